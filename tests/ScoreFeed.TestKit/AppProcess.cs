using System.Collections.Concurrent;
using System.Diagnostics;

namespace ScoreFeed.Testing;

/// <summary>One ScoreFeed app (hub or ingest) as a real process with its own Kestrel on 127.0.0.1.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AppProcess(Process process, Uri baseAddress, string project)
    {
        _process = process;
        BaseAddress = baseAddress;
        Project = project;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Project { get; }

    public Uri HubUrl => new(BaseAddress, "/hubs/scores");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts the app in Production with <paramref name="settings"/> and what <see cref="TestDeployment"/> adds (loopback
    /// allowed, the keys Production requires that the test did not set); with <paramref name="waitUntilReady"/> returns
    /// once /health/ready answers 200. It listens on <paramref name="port"/> (a free one by default) and also on
    /// <paramref name="alsoOn"/>.
    /// </summary>
    public static Task<AppProcess> StartAsync(string project, IDictionary<string, string> settings, bool waitUntilReady = true, int? port = null, params int[] alsoOn) =>
        StartExactlyAsync(project, TestDeployment.With(project, settings), waitUntilReady, port, alsoOn);

    /// <summary>Starts the app in Production with exactly <paramref name="settings"/>: nothing of <see cref="TestDeployment"/>.</summary>
    public static async Task<AppProcess> StartExactlyAsync(string project, IDictionary<string, string> settings, bool waitUntilReady = true, int? port = null, params int[] alsoOn)
    {
        port ??= Ports.Free();
        var dll = Paths.AppDll(project);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(string.Join(';', new[] { port.Value }.Concat(alsoOn).Select(p => $"http://127.0.0.1:{p}")));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var app = new AppProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"), project);
        if (waitUntilReady)
        {
            await Wait.UntilAnswersAsync(new Uri(app.BaseAddress, "/health/ready"), TimeSpan.FromSeconds(30), $"{project} on port {port} to be ready", () =>
            {
                if (app.HasExited)
                {
                    throw new InvalidOperationException($"{project} exited with {app.ExitCode}:\n{app.Output}");
                }
            });
        }
        return app;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Asks the app to stop (SIGTERM, what Kubernetes and Docker send): it shuts down gracefully.</summary>
    public void Terminate()
    {
        Signals.Send(_process.Id, Signals.SIGTERM);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 2000 && _output.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }
}
