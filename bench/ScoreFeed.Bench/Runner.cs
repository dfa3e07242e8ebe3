using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Bench;

internal sealed record RunOptions
{
    public string Scenario { get; init; } = "big-match";
    public string[] Targets { get; init; } = ["signalr", "raw", "scorefeed"];
    public int Connections { get; init; } = 5000;
    public double Rate { get; init; } = 20;
    public int Matches { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 5;
    public double Seconds { get; init; } = 20;
    public string Protocol { get; init; } = "json";
    public double[] SweepRates { get; init; } = [20, 25, 30, 40, 50, 60, 80, 100, 120, 140, 160, 180, 200, 240];
    public string Out { get; init; } = "bench/results";
    /// <summary>Extra environment for the server under test only (e.g. DOTNET_gcServer=0), for experiments.</summary>
    public Dictionary<string, string> ServerEnv { get; init; } = [];
    /// <summary>New connections per second at most (0: as fast as they are answered).</summary>
    public double Ramp { get; init; }
    /// <summary>Source addresses 127.0.0.1..N the load generator's connections leave from (about 28,000 each).</summary>
    public int SourceAddresses { get; init; } = 1;
    /// <summary>The curve's connection counts, each measured in turn on one server (connections are kept between steps).</summary>
    public int[] Steps { get; init; } = [1_000, 5_000, 10_000, 25_000, 50_000, 100_000];
    /// <summary>wss:// for the scorefeed target: none (ws://), hub (the hub terminates TLS) or nginx (nginx in front does).</summary>
    public string Tls { get; init; } = "none";
}

/// <summary>Runs one scenario against each target, each on a fresh redis-server, and writes JSON and markdown.</summary>
internal static class Runner
{
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        IncludeFields = true, // the latency quantiles are (Quantile, Ms) tuples
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<int> RunAsync(RunOptions options)
    {
        if (options.Scenario == "failover")
        {
            options = options with { Targets = ["scorefeed"] };
        }
        if (options.Scenario == "curve" && OpenFileLimit() is { } limit && options.Steps.Any(n => n > limit - 1000))
        {
            // Each connection is a descriptor in this process and one in the server (which inherits this limit).
            Console.WriteLine($"   open files are limited to {limit} per process here (bench/fanout.sh raises the limit where the machine allows it): " +
                $"steps above {limit - 1000} are left out: {string.Join(", ", options.Steps.Where(n => n > limit - 1000))}");
            options = options with { Steps = [.. options.Steps.Where(n => n <= limit - 1000).DefaultIfEmpty(limit - 1000)] };
        }
        var results = new List<Result>();
        foreach (var target in options.Targets)
        {
            Console.WriteLine($"== {options.Scenario} / {target} / {options.Protocol}: {options.Connections} connections");
            results.AddRange(await RunTargetAsync(options, target));
            foreach (var r in results.Where(r => r.Target == target))
            {
                Console.WriteLine(Report.Describe(r));
            }
        }
        Directory.CreateDirectory(options.Out);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var name = Path.Combine(options.Out, $"{stamp}-{options.Scenario}-{options.Protocol}");
        await File.WriteAllTextAsync(name + ".json", JsonSerializer.Serialize(new { options, machine = Report.Machine(), results }, JsonOptions));
        var table = Report.Markdown(options, results);
        await File.WriteAllTextAsync(name + ".md", table);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"written: {string.Join(", ", [$"{name}.json", $"{name}.md", .. Charts.Draw(options, results, name)])}");
        return 0;
    }

    private static async Task<List<Result>> RunTargetAsync(RunOptions o, string target)
    {
        if (o.Scenario == "failover")
        {
            return [await Failover.RunAsync(o)];
        }
        await using var redis = await RedisServer.StartAsync();
        var redisAddress = redis.ConnectionString;

        var port = Ports.Free();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var quiet = AppEnvironment(redisAddress);
        var serverEnv = target == "scorefeed" ? HubEnvironment(redisAddress) : new Dictionary<string, string>(quiet);
        // wss:// (--tls hub|nginx, ScoreFeed only): fans connect to the TLS port; health and metrics stay on plain HTTP.
        var fansUri = baseUri;
        var tlsDirectory = o.Tls == "none" ? null : Directory.CreateTempSubdirectory("scorefeed-bench-tls-").FullName;
        var tlsPort = Ports.Free();
        X509Certificate2? certificate = null;
        if (tlsDirectory is not null)
        {
            if (target != "scorefeed" || o.Tls is not ("hub" or "nginx"))
            {
                throw new ArgumentException($"--tls {o.Tls}: hub or nginx, for the scorefeed target only");
            }
            certificate = Tls.WriteCertificate(tlsDirectory);
            fansUri = new Uri($"https://127.0.0.1:{tlsPort}");
            if (o.Tls == "hub")
            {
                foreach (var (k, v) in Tls.HubEndpoints(tlsDirectory, port, tlsPort))
                {
                    serverEnv[k] = v;
                }
            }
        }
        foreach (var (k, v) in o.ServerEnv)
        {
            serverEnv[k] = v;
        }
        await using var server = target switch
        {
            "scorefeed" => App("hub", "ScoreFeed.Hub", port, serverEnv),
            "signalr" => Self("plain-hub", ["plain-hub", "--port", $"{port}", "--redis", redisAddress], serverEnv),
            "raw" => Self("raw-server", ["raw-server", "--port", $"{port}", "--redis", redisAddress], serverEnv),
            _ => throw new ArgumentException($"unknown target {target}: scorefeed, signalr or raw"),
        };
        await using var proxy = o.Tls == "nginx" ? Tls.StartNginx(tlsDirectory!, port, tlsPort) : null;
        // What serves the fans, measured together: the hub, and nginx (its master and workers) in front of it.
        Child[] servers = proxy is null ? [server] : [server, proxy];
        await Wait.UntilAnswersAsync(new Uri(baseUri, "/health/ready"), TimeSpan.FromSeconds(30), $"{target} on port {port} to be ready");
        await Task.Delay(1000);
        var memBefore = RssMb(servers);

        var perMatch = o.Scenario == "many-matches";
        var matches = perMatch ? o.Matches : Math.Max(1, o.Matches);
        Child? publisher = null;
        var results = new List<Result>();
        double[] opened = [];
        var connectSeconds = 0.0;
        try
        {
            string[] matchIds = [.. Enumerable.Range(0, matches).Select(i => $"m{i}")];
            if (o.Scenario != "idle")
            {
                publisher = StartPublisher(target, redisAddress, o.Rate, matches, perMatch, quiet);
                if (target == "scorefeed")
                {
                    matchIds = await InPlayMatchIdsAsync(baseUri, matches);
                }
            }
            var kind = target == "raw" ? "raw" : "signalr";
            var load = new LoadGenerator(fansUri, kind, target == "raw" ? "json" : o.Protocol, o.SourceAddresses, certificate);
            using var stop = new CancellationTokenSource();
            var pinging = load.PingAsync(stop.Token);
            Func<int, string[]> topicsFor = i => perMatch ? [Topic.ForMatch(matchIds[i % matchIds.Length]).Name] : [Topic.LiveName];
            if (o.Scenario == "curve")
            {
                foreach (var step in o.Steps.Where(n => n > load.Count))
                {
                    var connectWatch = Stopwatch.StartNew();
                    opened = await load.ConnectAsync(step - load.Count, topicsFor, perSecond: o.Ramp);
                    Console.WriteLine($"   {load.Count} connected and subscribed ({opened.Length} new in {connectWatch.Elapsed.TotalSeconds:F1} s)");
                    var r = await MeasureAsync(o, target, servers, load, perMatch);
                    r = r with
                    {
                        RssKbPerConnection = (r.RssMb - memBefore) * 1024 / load.Count,
                        SubscribeP50Ms = Report.Percentile(opened, 0.5),
                        SubscribeP99Ms = Report.Percentile(opened, 0.99),
                    };
                    results.Add(r);
                    Console.WriteLine(Report.Describe(r));
                }
            }
            else
            {
                var connectWatch = Stopwatch.StartNew();
                opened = await load.ConnectAsync(o.Connections, topicsFor, perSecond: o.Ramp);
                connectSeconds = connectWatch.Elapsed.TotalSeconds;
                Console.WriteLine($"   {load.Count} connected and subscribed in {connectSeconds:F1} s");
            }

            if (o.Scenario == "idle")
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                var mem = (Rss: RssMb(servers), Peak: servers.Sum(c => c.MemoryMb().Peak));
                results.Add(new Result
                {
                    Target = target, Scenario = o.Scenario, Protocol = o.Protocol, Connections = load.Count,
                    RssMb = mem.Rss, PeakRssMb = mem.Peak,
                    IdleKbPerConnection = (mem.Rss - memBefore) * 1024 / load.Count,
                    ConnectSeconds = connectSeconds,
                    SubscribeP50Ms = Report.Percentile(opened, 0.5),
                    SubscribeP99Ms = Report.Percentile(opened, 0.99),
                });
            }
            else if (o.Scenario == "sweep")
            {
                foreach (var rate in o.SweepRates)
                {
                    if (publisher is not null)
                    {
                        await publisher.DisposeAsync();
                    }
                    publisher = StartPublisher(target, redisAddress, rate, matches, perMatch, quiet);
                    await UpToRateAsync(load, perMatch ? rate * load.Count / o.Matches : rate * load.Count);
                    var r = await MeasureAsync(o with { Rate = rate, Seconds = Math.Min(o.Seconds, 10) }, target, servers, load, perMatch);
                    results.Add(r);
                    Console.WriteLine(Report.Describe(r));
                    if (r.P99Ms > 1000 || r.DeliveriesPerSecond < 0.9 * r.OfferedDeliveriesPerSecond)
                    {
                        break;
                    }
                }
            }
            else if (o.Scenario != "curve")
            {
                var measured = await MeasureAsync(o, target, servers, load, perMatch);
                if (o.Scenario == "storm")
                {
                    load.StartMeasuring();
                    var took = await load.StormAsync();
                    Console.WriteLine($"   storm: {load.Count} resumed in {took.TotalSeconds:F2} s, {load.ConnectRetries} connection attempts retried");
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    var after = load.StopMeasuring();
                    measured = measured with { StormSeconds = took.TotalSeconds, StormResumed = load.Count, Gaps = load.Gaps, Duplicates = load.Duplicates, Errors = load.Errors };
                    _ = after;
                }
                results.Add(measured);
            }
            await stop.CancelAsync();
            await load.CloseAllAsync();
            try
            {
                await pinging;
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            if (publisher is not null)
            {
                await publisher.DisposeAsync();
            }
            if (tlsDirectory is not null)
            {
                Directory.Delete(tlsDirectory, recursive: true);
            }
        }
        return results;
    }

    /// <summary>
    /// Sweep steps start a new publisher (for ScoreFeed the ingest process, with its start-up on the shared cores): the
    /// step is measured once it delivers at its rate for a second, or after 15 s, so that the start-up is not counted.
    /// </summary>
    private static async Task UpToRateAsync(LoadGenerator load, double offered)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            load.StartMeasuring();
            await Task.Delay(1000);
            var (deliveries, _) = load.StopMeasuring();
            if (deliveries >= 0.9 * offered)
            {
                return;
            }
        }
    }

    /// <summary>What every app of a run gets: Production on 127.0.0.1 with the bench's Redis, logging quiet.</summary>
    internal static Dictionary<string, string> AppEnvironment(string redisAddress) => new()
    {
        ["Logging__LogLevel__Default"] = "Warning",
        ["ConnectionStrings__redis"] = redisAddress,
        // Production, as deployed, on 127.0.0.1 with a Redis without a password: the documented opt-out of the
        // loopback part of the Production rule, and the keys Production requires (docs/configuration.md).
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Deployment__AllowLoopback"] = "true",
        ["Hub__SiteOrigins__0"] = "http://127.0.0.1:5000",
        ["Operators__CorsOrigins__0"] = "http://127.0.0.1:5000",
        ["Operators__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    };

    /// <summary>
    /// A hub's: every load-generator connection comes from 127.0.0.1, so no per-address limit, and admission sized
    /// for the storm and failover scenarios (the hub's defaults, 60 per address per 10 s and 200/s, are for the
    /// public internet).
    /// </summary>
    internal static Dictionary<string, string> HubEnvironment(string redisAddress) => new(AppEnvironment(redisAddress))
    {
        ["Hub__ConnectionLimits__PerAddress"] = "0",
        ["Hub__ConnectionLimits__PerSecond"] = "5000",
    };

    private static double RssMb(Child[] servers) => servers.Sum(c => c.MemoryMb().Rss);

    private static async Task<Result> MeasureAsync(RunOptions o, string target, Child[] servers, LoadGenerator load, bool perMatch)
    {
        await Task.Delay(TimeSpan.FromSeconds(o.WarmupSeconds));
        load.StartMeasuring();
        var cpu0 = servers.Sum(c => c.CpuMs());
        var clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        double maxRss = 0;
        while (watch.Elapsed.TotalSeconds < o.Seconds)
        {
            await Task.Delay(1000);
            maxRss = Math.Max(maxRss, RssMb(servers));
        }
        var cpu = servers.Sum(c => c.CpuMs()) - cpu0;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu0).TotalMilliseconds;
        var seconds = watch.Elapsed.TotalSeconds;
        var (deliveries, latencies) = load.StopMeasuring();
        var peak = servers.Sum(c => c.MemoryMb().Peak);
        double P(double q) => Report.Percentile(latencies, q);
        return new Result
        {
            Target = o.Tls == "none" ? target : $"{target} (wss, TLS at {o.Tls})",
            Scenario = o.Scenario,
            Protocol = target == "raw" ? "raw" : o.Protocol,
            Connections = load.Count,
            Rate = o.Rate,
            OfferedDeliveriesPerSecond = perMatch ? o.Rate * load.Count / o.Matches : o.Rate * load.Count,
            DeliveriesPerSecond = deliveries / seconds,
            P50Ms = P(0.50),
            P90Ms = P(0.90),
            P99Ms = P(0.99),
            P999Ms = P(0.999),
            MaxMs = latencies.Length == 0 ? double.NaN : latencies[^1],
            LatencyQuantiles = Charts.Quantiles(latencies),
            Gaps = load.Gaps,
            Duplicates = load.Duplicates,
            Errors = load.Errors,
            CpuUsPerDelivery = deliveries == 0 ? double.NaN : cpu * 1000 / deliveries,
            ClientCpuUsPerDelivery = deliveries == 0 ? double.NaN : clientCpu * 1000 / deliveries,
            RssMb = maxRss,
            PeakRssMb = peak,
        };
    }

    internal static Child StartPublisher(string target, string redis, double rate, int matches, bool perMatch, Dictionary<string, string> env)
    {
        var rateText = rate.ToString(CultureInfo.InvariantCulture);
        if (target == "scorefeed")
        {
            var ingestEnv = new Dictionary<string, string>(env)
            {
                ["Ingest__Simulator__Matches"] = $"{matches}",
                ["Ingest__Simulator__UpdatesPerSecond"] = rateText,
                ["Ingest__Simulator__StartInPlay"] = "1",
                ["Ingest__Simulator__Seed"] = "1",
                ["Store__HistoryLength"] = "1000",
            };
            return App("ingest", "ScoreFeed.Ingest", Ports.Free(), ingestEnv);
        }
        List<string> args = ["publisher", "--kind", target, "--redis", redis, "--rate", rateText, "--matches", $"{matches}"];
        if (perMatch)
        {
            args.Add("--per-match");
        }
        return Self("publisher", args);
    }

    internal static async Task<string[]> InPlayMatchIdsAsync(Uri hub, int matches)
    {
        using var http = new HttpClient();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var list = await http.GetFromJsonAsync(new Uri(hub, "/api/v1/matches"), ScoreFeedJsonContext.Default.MatchList);
            var ids = list!.Matches.Where(m => MatchStatus.IsInPlay(m.Status)).Select(m => m.MatchId).ToArray();
            if (ids.Length >= matches || watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                return ids.Length > 0 ? ids : throw new InvalidOperationException("the simulator produced no match in play");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>This process's open-file limit (the runtime raises the soft limit to the hard one at start), or null if unknown.</summary>
    private static int? OpenFileLimit()
    {
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 3 } && int.TryParse(fields[3], CultureInfo.InvariantCulture, out var soft) ? soft : null;
    }

    internal static Child App(string name, string project, int port, IDictionary<string, string> env)
    {
        var dll = Paths.AppDll(project, "Release");
        return Child.Start(name, "dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"], Path.GetDirectoryName(dll), env);
    }

    private static Child Self(string name, IEnumerable<string> args, IDictionary<string, string>? env = null) =>
        Child.Start(name, "dotnet", [typeof(Runner).Assembly.Location, .. args], env: env);
}
