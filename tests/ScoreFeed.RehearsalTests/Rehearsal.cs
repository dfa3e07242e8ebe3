using System.Diagnostics;

namespace ScoreFeed.RehearsalTests;

/// <summary>
/// One production rehearsal for all tests of the collection: <c>deploy/rehearse.sh</c> (nginx on 127.0.0.1:443 as
/// https://scores.example, 3 hubs, 2 ingest processes, the web app, Redis primary + replica + 3 Sentinels, all in
/// Production) on internal ports from <see cref="BasePort"/>. Started once (the script builds Release, incrementally),
/// stopped with SIGTERM at the end, checking that nothing it started is left.
/// For tests: the work directory, ports, pids, <see cref="ControlAsync"/> to stop/start one process; Redis and
/// Sentinel in Rehearsal.Redis.cs; clients that reach the public origin through nginx in Rehearsal.Origin.cs.
/// </summary>
public sealed partial class Rehearsal : IAsyncLifetime
{
    /// <summary>Internal ports from here (deploy/rehearse.sh --base-port; its own default is 7100).</summary>
    public const int BasePort = 7600;
    public const string PublicName = "scores.example";
    public const string PartnerName = "partner.example";
    public const string EvilName = "evil.example";
    public const int PublicPort = 443;

    private Process? _script;
    private readonly List<int> _seen = [];
    private string _readyFile = "";

    public static string RepositoryRoot => Paths.RepoRoot;

    /// <summary>.rehearsal/: logs/, pids/NAME.pid, exits/NAME, secrets/, tls/, redis/, sentinel-N/, nginx/.</summary>
    public string WorkDirectory => Path.Combine(RepositoryRoot, ".rehearsal");

    public Uri PublicBaseUrl { get; } = new($"https://{PublicName}/");
    public Uri PartnerBaseUrl { get; } = new($"https://{PartnerName}/");
    public Uri EvilBaseUrl { get; } = new($"https://{EvilName}/");

    public static int RedisPrimaryPort => BasePort;
    public static int RedisReplicaPort => BasePort + 1;
    public static int[] SentinelPorts => [BasePort + 2, BasePort + 3, BasePort + 4];
    public static int[] HubPorts => [BasePort + 10, BasePort + 11, BasePort + 12];
    public static int[] IngestPorts => [BasePort + 20, BasePort + 21];
    public static int WebPort => BasePort + 30;

    /// <summary>Every process of the rehearsal, by the name rehearse.sh gives it.</summary>
    public static readonly string[] Processes =
        ["redis-primary", "redis-replica", "sentinel-1", "sentinel-2", "sentinel-3", "ingest-1", "ingest-2", "hub-1", "hub-2", "hub-3", "web", "nginx"];

    /// <summary>Password of the operator account <c>rehearsal</c>.</summary>
    public string OperatorPassword => File.ReadAllText(Path.Combine(WorkDirectory, "secrets", "operator")).Trim();

    public TimeSpan StartupTime { get; private set; }

    public async Task InitializeAsync()
    {
        _readyFile = Path.Combine(Path.GetTempPath(), $"scorefeed-rehearsal-{Environment.ProcessId}.ready");
        File.Delete(_readyFile);
        var watch = Stopwatch.StartNew();
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "deploy", "rehearse.sh"), "--base-port", BasePort.ToString(), "--ready-file", _readyFile])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _script = Process.Start(start)!;
        _script.OutputDataReceived += (_, e) => Log(e.Data);
        _script.ErrorDataReceived += (_, e) => Log(e.Data);
        _script.BeginOutputReadLine();
        _script.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (!File.Exists(_readyFile))
        {
            if (_script.HasExited)
            {
                await _script.WaitForExitAsync(); // and for the end of its output
                throw new InvalidOperationException($"deploy/rehearse.sh exited with {_script.ExitCode} before it was ready:\n{Output}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"deploy/rehearse.sh was not ready within 10 min:\n{Output}");
            }
            await Task.Delay(500);
        }
        StartupTime = watch.Elapsed;
        RememberPids();
    }

    private readonly System.Text.StringBuilder _output = new();

    /// <summary>What rehearse.sh printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The pid (= process group) of a running process, or null.</summary>
    public int? Pid(string name)
    {
        var file = Path.Combine(WorkDirectory, "pids", name + ".pid");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid) ? pid : null;
    }

    private void RememberPids()
    {
        lock (_seen)
        {
            foreach (var name in Processes)
            {
                if (Pid(name) is { } pid && !_seen.Contains(pid))
                {
                    _seen.Add(pid);
                }
            }
        }
    }

    /// <summary>
    /// <c>deploy/rehearse.sh --ctl stop|start|restart NAME</c>: stop answers "NAME exited CODE" once the process has
    /// exited (SIGTERM, then SIGKILL after 40 s); start answers "NAME PID" once it is ready.
    /// </summary>
    public async Task<string> ControlAsync(string verb, string name)
    {
        var (code, output) = await RunAsync("bash", [Path.Combine(RepositoryRoot, "deploy", "rehearse.sh"), "--base-port", BasePort.ToString(), "--ctl", verb, name], TimeSpan.FromMinutes(7));
        RememberPids();
        Assert.True(code == 0, $"rehearse.sh --ctl {verb} {name} failed ({code}): {output}");
        return output.Trim();
    }

    /// <summary>Stops a process and returns its exit code.</summary>
    public async Task<int> StopAsync(string name)
    {
        var answer = await ControlAsync("stop", name);
        return int.Parse(answer.Split(' ')[^1]);
    }

    /// <summary>
    /// <c>kill -9</c> of a process (its whole group) and waits until the rehearsal has seen it exit (it reaps it and
    /// logs "exited on its own"); <c>ControlAsync("start", name)</c> brings it back. Returns the pid killed.
    /// </summary>
    public async Task<int> KillAsync(string name)
    {
        var pid = Pid(name) ?? throw new InvalidOperationException($"{name} is not running");
        RememberPids();
        Assert.Equal(0, kill(-pid, 9));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Pid(name) == pid)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the rehearsal did not reap {name} (pid {pid}) within 30 s of kill -9");
            await Task.Delay(50);
        }
        return pid;
    }

    public async Task DisposeAsync()
    {
        if (_script is null)
        {
            return;
        }
        RememberPids();
        var watch = Stopwatch.StartNew();
        if (!_script.HasExited)
        {
            // SIGTERM, not SIGINT: a SIGINT sent to bash alone while it waits for a foreground command (a readiness
            // curl) is dropped once that command exits normally (bash assumes the command handled it), and the
            // script went on running. Ctrl+C in a terminal reaches the command too; the script traps both alike.
            _ = kill(_script.Id, 15);
        }
        var exited = _script.WaitForExit(TimeSpan.FromMinutes(3));
        var left = new List<int>();
        lock (_seen)
        {
            left.AddRange(_seen.Where(pid => Directory.Exists($"/proc/{pid}") && !IsZombie(pid)));
        }
        foreach (var pid in left)
        {
            _ = kill(-pid, 9);
        }
        File.Delete(_readyFile);
        if (!exited)
        {
            _script.Kill(entireProcessTree: true);
            throw new TimeoutException($"deploy/rehearse.sh did not stop within 3 min of SIGTERM:\n{Output}");
        }
        Console.WriteLine($"[rehearsal] stopped in {watch.Elapsed.TotalSeconds:F1} s, exit {_script.ExitCode}; processes left behind: {left.Count}");
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"deploy/rehearse.sh left processes behind: {string.Join(", ", left)}\n{Output}");
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    internal static async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

[CollectionDefinition(Name)]
public sealed class RehearsalCollection : ICollectionFixture<Rehearsal>
{
    public const string Name = "rehearsal";
}
