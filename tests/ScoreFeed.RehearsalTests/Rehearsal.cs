using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace ScoreFeed.RehearsalTests;

/// <summary>
/// One production rehearsal for all tests of the collection: <c>deploy/rehearse.sh</c> (nginx on 127.0.0.1:443 as
/// https://scores.example, 3 hubs, 2 ingest processes, the web app, Redis primary + replica + 3 Sentinels, all in
/// Production) on internal ports from <see cref="BasePort"/>. Started once (the script builds Release, incrementally),
/// stopped with SIGINT at the end, checking that nothing it started is left.
/// For tests: the work directory, ports, pids, <see cref="ControlAsync"/> to stop/start one process,
/// <see cref="RedisCliAsync"/>, and clients that reach the public origin through nginx.
/// </summary>
public sealed class Rehearsal : IAsyncLifetime
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

    public static string RepositoryRoot { get; } = FindRoot();

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

    /// <summary>redis-cli as <c>admin</c> against a node: "redis-primary", "redis-replica" or "sentinel-N".</summary>
    public async Task<string> RedisCliAsync(string node, params string[] args)
    {
        var port = node switch
        {
            "redis-primary" => RedisPrimaryPort,
            "redis-replica" => RedisReplicaPort,
            _ when node.StartsWith("sentinel-", StringComparison.Ordinal) => SentinelPorts[int.Parse(node["sentinel-".Length..]) - 1],
            _ => throw new ArgumentException($"no Redis node '{node}'", nameof(node)),
        };
        var (_, output) = await RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port.ToString(), "--user", "admin", "--no-auth-warning", .. args], TimeSpan.FromSeconds(30),
            new() { ["REDISCLI_AUTH"] = File.ReadAllText(Path.Combine(WorkDirectory, "secrets", "admin")).Trim() });
        return output.Trim();
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

    /// <summary>The Redis node Sentinel names as the master of <c>scorefeed</c> ("redis-primary" or "redis-replica"), asking each Sentinel in turn.</summary>
    public async Task<string> MasterAsync()
    {
        foreach (var sentinel in new[] { "sentinel-1", "sentinel-2", "sentinel-3" })
        {
            var answer = (await RedisCliAsync(sentinel, "SENTINEL", "get-master-addr-by-name", "scorefeed")).Split('\n', StringSplitOptions.TrimEntries);
            if (answer.Length == 2 && int.TryParse(answer[1], out var port))
            {
                return port == RedisPrimaryPort ? "redis-primary" : port == RedisReplicaPort ? "redis-replica" : throw new InvalidOperationException($"unknown master port {port}");
            }
        }
        throw new InvalidOperationException("no Sentinel named a master");
    }

    /// <summary>The other Redis node.</summary>
    public static string OtherRedis(string node) => node == "redis-primary" ? "redis-replica" : "redis-primary";

    /// <summary>A Redis node's data directory (its AOF in appendonlydir/, and dump.rdb after SAVE).</summary>
    public string RedisDataDirectory(string node) => Path.Combine(WorkDirectory, "redis", node["redis-".Length..]);

    /// <summary>
    /// Puts Redis back as rehearse.sh starts it, whatever a test did before: both nodes running, redis-primary the
    /// master (a <c>SENTINEL FAILOVER</c> back if needed) and redis-replica in sync with it. Returns what it did.
    /// </summary>
    public async Task<string> RestoreRedisAsync()
    {
        var done = new List<string>();
        foreach (var node in new[] { "redis-primary", "redis-replica" })
        {
            if (Pid(node) is null)
            {
                await ControlAsync("start", node);
                done.Add($"started {node}");
            }
        }
        if (await MasterAsync() != "redis-primary")
        {
            // The old master rejoins as a replica once a Sentinel has told it; a failover needs it in sync.
            await WaitAsync(async () => (await RedisCliAsync("redis-primary", "INFO", "replication")).Contains("master_link_status:up"), TimeSpan.FromSeconds(60),
                "redis-primary to replicate the new master");
            var watch = Stopwatch.StartNew();
            await WaitAsync(async () => (await RedisCliAsync("sentinel-1", "SENTINEL", "failover", "scorefeed")) == "OK" || await MasterAsync() == "redis-primary",
                TimeSpan.FromSeconds(60), "a Sentinel to accept a failover back to redis-primary");
            await WaitAsync(async () => await MasterAsync() == "redis-primary", TimeSpan.FromSeconds(60), "Sentinel to name redis-primary the master again");
            done.Add($"failed over back to redis-primary in {watch.Elapsed.TotalSeconds:F1} s");
        }
        await WaitAsync(async () => (await RedisCliAsync("redis-replica", "INFO", "replication")).Contains("master_link_status:up")
            && (await RedisCliAsync("redis-primary", "ROLE")).StartsWith("master", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "redis-replica to replicate redis-primary");
        for (var i = 0; i < IngestPorts.Length; i++)
        {
            if (Pid($"ingest-{i + 1}") is null)
            {
                await ControlAsync("start", $"ingest-{i + 1}");
                done.Add($"started ingest-{i + 1}");
            }
        }
        var idle = await WaitPlayingAsync();
        if (idle > TimeSpan.FromSeconds(5))
        {
            done.Add($"the simulator played again only after {idle.TotalSeconds:F0} s");
        }
        return done.Count == 0 ? "as started" : string.Join(", ", done);
    }

    /// <summary>
    /// Waits until the simulator plays (a match's seq moves within 2 s on the read API): after a failover, a fail-back
    /// or an ingest restart, the lease holder takes a few seconds to play again.
    /// </summary>
    public async Task<TimeSpan> WaitPlayingAsync()
    {
        using var http = CreateHttpClient();
        return await WaitAsync(async () =>
        {
            var first = await PositionsAsync(http);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var then = await PositionsAsync(http);
            return then.Any(p => first.TryGetValue(p.Key, out var f) && f.Epoch == p.Value.Epoch && p.Value.Seq > f.Seq);
        }, TimeSpan.FromSeconds(90), "the simulator to play");
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling every 200 ms.</summary>
    public static async Task<TimeSpan> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return watch.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // Not yet: a process on the way down or up.
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:F0} s for {what}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>GET /metrics of an ingest process (0 or 1) on its own port.</summary>
    public static async Task<string> IngestMetricsAsync(int index)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync($"http://127.0.0.1:{IngestPorts[index]}/metrics");
    }

    /// <summary>The sum of a Prometheus series' samples, with or without labels (only those containing <paramref name="label"/> if given).</summary>
    public static double Metric(string metrics, string name, string? label = null) => metrics.Split('\n')
        .Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
        .Where(l => label is null || l.Contains(label, StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf('}') is var end and >= 0 ? end + 1 : name.Length)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary><c>scorefeed_ingest_store_reissued_total</c> summed over the running ingest processes.</summary>
    public static async Task<double> ReissuedAsync()
    {
        double sum = 0;
        for (var i = 0; i < IngestPorts.Length; i++)
        {
            try
            {
                sum += Metric(await IngestMetricsAsync(i), "scorefeed_ingest_store_reissued_total");
            }
            catch (HttpRequestException)
            {
                // A stopped ingest: its count went with it.
            }
        }
        return sum;
    }

    /// <summary>Every match of the read API (through nginx): (epoch, seq, status).</summary>
    public async Task<Dictionary<string, (string Epoch, long Seq, string Status)>> PositionsAsync(HttpClient http) =>
        (await MatchesAsync(http)).ToDictionary(m => m.GetProperty("matchId").GetString()!,
            m => (m.GetProperty("epoch").GetString()!, m.GetProperty("seq").GetInt64(), m.GetProperty("status").GetString()!), StringComparer.Ordinal);

    /// <summary>An operator's access token for <c>rehearsal</c> (POST api/v1/auth/token through nginx).</summary>
    public async Task<string> TokenAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("api/v1/auth/token", new { username = "rehearsal", password = OperatorPassword });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>The rehearsal's certificate (self-signed, for scores.example, partner.example and evil.example).</summary>
    public X509Certificate2 Certificate => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(WorkDirectory, "tls", "fullchain.pem")));

    /// <summary>
    /// A handler that reaches nginx on 127.0.0.1:443 whatever the host name (SNI and Host stay the public name), and
    /// accepts the rehearsal's certificate only.
    /// </summary>
    public SocketsHttpHandler CreateHandler()
    {
        var thumbprint = Certificate.Thumbprint;
        return new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == thumbprint,
            },
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
    }

    /// <summary>An HttpClient on the public origin https://scores.example/ through nginx.</summary>
    public HttpClient CreateHttpClient() => new(CreateHandler()) { BaseAddress = PublicBaseUrl, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>Connects a ClientWebSocket to wss://scores.example/hubs/scores (plus <paramref name="query"/>) through nginx.</summary>
    public async Task<ClientWebSocket> ConnectWebSocketAsync(string query = "", CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(CreateHandler());
        await socket.ConnectAsync(new Uri($"wss://{PublicName}/hubs/scores{query}"), invoker, cancellationToken);
        return socket;
    }

    /// <summary>Every match of the read API (through nginx), as JSON.</summary>
    public async Task<JsonElement[]> MatchesAsync(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("api/v1/matches"));
        var root = doc.RootElement;
        var list = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("matches");
        return [.. list.EnumerateArray().Select(e => e.Clone())];
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
            _ = kill(_script.Id, 2); // SIGINT, as Ctrl+C
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
            throw new TimeoutException($"deploy/rehearse.sh did not stop within 3 min of SIGINT:\n{Output}");
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

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScoreFeed.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ScoreFeed.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class RehearsalCollection : ICollectionFixture<Rehearsal>
{
    public const string Name = "rehearsal";
}
