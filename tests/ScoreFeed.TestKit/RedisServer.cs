using System.Diagnostics;
using StackExchange.Redis;

namespace ScoreFeed.Testing;

/// <summary>
/// A real redis-server on a free 127.0.0.1 port, without persistence unless asked (<see cref="WithAppendOnlyFile"/>),
/// stopped on dispose. <see cref="KillAsync"/> and <see cref="RestartAsync"/> are for fault tests.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string[] _extraArgs;
    private Process _process;

    private RedisServer(Process process, int port, string[] extraArgs)
    {
        _process = process;
        Port = port;
        _extraArgs = extraArgs;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>
    /// Added to the probe's connection string (<c>,user=…,password=…</c>) where the default user is off, so that "up"
    /// still means "answers commands" (not NOAUTH, not LOADING).
    /// </summary>
    private string ProbeCredentials { get; init; } = "";

    public static Task<RedisServer> StartAsync(params string[] extraArgs) => StartOnPortAsync(Ports.Free(), extraArgs);

    /// <summary>Arguments for an append-only file in <paramref name="directory"/>, fsynced every second (what production runs).</summary>
    public static string[] WithAppendOnlyFile(string directory) =>
        ["--dir", directory, "--appendonly", "yes", "--appendfsync", "everysec"];

    /// <summary>Arguments for snapshots (RDB) in <paramref name="directory"/>, taken only when asked (<see cref="SnapshotAsync"/>).</summary>
    public static string[] WithSnapshots(string directory) => ["--dir", directory, "--dbfilename", "dump.rdb"];

    /// <summary>
    /// Saves a snapshot now (SAVE) and keeps a copy of it; <see cref="RestartFromAsync"/> brings Redis back from that copy,
    /// older than what it held when it stopped. Needs <see cref="WithSnapshots"/>.
    /// </summary>
    public async Task<string> SnapshotAsync()
    {
        var dir = DataDirectory ?? throw new InvalidOperationException("Start the server WithSnapshots(dir) first.");
        await using (var c = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true"))
        {
            await c.GetDatabase().ExecuteAsync("SAVE");
        }
        var copy = Path.Combine(dir, $"snapshot-{DateTime.UtcNow:HHmmssfff}.rdb");
        File.Copy(Path.Combine(dir, "dump.rdb"), copy);
        return copy;
    }

    /// <summary>
    /// Calls of each command since the server started (<c>INFO commandstats</c>), by lower-case name. Ask through a
    /// connection opened before the window counted: opening one sends commands too.
    /// </summary>
    public static async Task<Dictionary<string, long>> CommandCallsAsync(IServer server)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in ((string)(await server.ExecuteAsync("INFO", "commandstats"))!).Split('\n'))
        {
            // cmdstat_get:calls=1,usec=…
            var match = System.Text.RegularExpressions.Regex.Match(line, "^cmdstat_([a-z_|]+):calls=([0-9]+)");
            if (match.Success)
            {
                calls[match.Groups[1].Value] = long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return calls;
    }

    /// <summary>Kills the server (SIGKILL) and starts it again from <paramref name="snapshot"/>: Redis comes back older.</summary>
    public async Task RestartFromAsync(string snapshot)
    {
        await KillAsync();
        File.Copy(snapshot, Path.Combine(DataDirectory!, "dump.rdb"), overwrite: true);
        await RestartAsync();
    }

    private string? DataDirectory => Array.IndexOf(_extraArgs, "--dir") is var i and >= 0 ? _extraArgs[i + 1] : null;

    public static Task<RedisServer> StartOnPortAsync(int port, params string[] extraArgs) => StartAsync(port, "", extraArgs);

    /// <summary>A server whose default user is off: the probe signs in with <paramref name="probeCredentials"/>.</summary>
    public static async Task<RedisServer> StartAsync(int port, string probeCredentials, string[] extraArgs)
    {
        var server = new RedisServer(Launch(port, extraArgs), port, extraArgs) { ProbeCredentials = probeCredentials };
        await server.WaitUntilUpAsync();
        return server;
    }

    /// <summary>Kills the server at once (SIGKILL): no shutdown save, connections reset.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Freezes the server (SIGSTOP): its connections stay open and nothing answers, as a Redis that hangs.</summary>
    public void Freeze() => Signals.Send(_process.Id, Signals.SIGSTOP);

    /// <summary>Lets a frozen server run again (SIGCONT).</summary>
    public void Thaw() => Signals.Send(_process.Id, Signals.SIGCONT);

    /// <summary>Starts the server again on the same port with the same arguments (the same data directory, if any).</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _process.Dispose();
        _process = Launch(Port, _extraArgs);
        await WaitUntilUpAsync();
    }

    private static Process Launch(int port, string[] extraArgs)
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", .. extraArgs])
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh (it installs it) or apt-get install redis-server.", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private Task WaitUntilUpAsync() => Wait.UntilAsync(async () =>
    {
        try
        {
            await using var probe = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",connectTimeout=500" + ProbeCredentials);
            await probe.GetDatabase().PingAsync();
            return true;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
        catch (RedisServerException e) when (e.Message.StartsWith("LOADING", StringComparison.Ordinal))
        {
            return false; // still reading its append-only file
        }
    }, TimeSpan.FromSeconds(20), $"redis-server on port {Port}");

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
