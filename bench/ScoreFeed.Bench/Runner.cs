using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ScoreFeed.Contract;
using StackExchange.Redis;

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
}

internal sealed record Result
{
    public string Target { get; init; } = "";
    public string Scenario { get; init; } = "";
    public string Protocol { get; init; } = "";
    public int Connections { get; init; }
    public double Rate { get; init; }
    public double OfferedDeliveriesPerSecond { get; init; }
    public double DeliveriesPerSecond { get; init; }
    public double P50Ms { get; init; }
    public double P99Ms { get; init; }
    public double P999Ms { get; init; }
    public double MaxMs { get; init; }
    public long Gaps { get; init; }
    public long Duplicates { get; init; }
    public long Errors { get; init; }
    public double CpuUsPerDelivery { get; init; }
    /// <summary>The load generator's own CPU (this process) per delivery: what receiving costs on the shared cores.</summary>
    public double ClientCpuUsPerDelivery { get; init; }
    public double RssMb { get; init; }
    public double PeakRssMb { get; init; }
    public double? IdleKbPerConnection { get; init; }
    public double? StormSeconds { get; init; }
    public int? StormResumed { get; init; }
}

/// <summary>Runs one scenario against each target, each on a fresh redis-server, and writes JSON and markdown.</summary>
internal static class Runner
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<int> RunAsync(RunOptions options)
    {
        var results = new List<Result>();
        foreach (var target in options.Targets)
        {
            Console.WriteLine($"== {options.Scenario} / {target} / {options.Protocol}: {options.Connections} connections");
            results.AddRange(await RunTargetAsync(options, target));
            foreach (var r in results.Where(r => r.Target == target))
            {
                Console.WriteLine(Describe(r));
            }
        }
        Directory.CreateDirectory(options.Out);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var name = Path.Combine(options.Out, $"{stamp}-{options.Scenario}-{options.Protocol}");
        await File.WriteAllTextAsync(name + ".json", JsonSerializer.Serialize(new { options, machine = Machine(), results }, JsonOptions));
        var table = Markdown(options, results);
        await File.WriteAllTextAsync(name + ".md", table);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"written: {name}.json, {name}.md");
        return 0;
    }

    private static async Task<List<Result>> RunTargetAsync(RunOptions o, string target)
    {
        var redisPort = Child.FreePort();
        var redisAddress = $"127.0.0.1:{redisPort}";
        await using var redis = Child.Start("redis", "redis-server", ["--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        await WaitRedisAsync(redisAddress);

        var port = Child.FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var quiet = new Dictionary<string, string>
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
        var serverEnv = new Dictionary<string, string>(quiet);
        if (target == "scorefeed")
        {
            // Every load-generator connection comes from 127.0.0.1: no per-address limit, and admission sized for the
            // storm scenario (the hub's defaults, 60 per address per 10 s and 200/s, are for the public internet).
            serverEnv["Hub__ConnectionLimits__PerAddress"] = "0";
            serverEnv["Hub__ConnectionLimits__PerSecond"] = "5000";
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
        await Child.WaitHttpAsync(new Uri(baseUri, "/health/ready"), TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        var memBefore = server.MemoryMb();

        var perMatch = o.Scenario == "many-matches";
        var matches = perMatch ? o.Matches : Math.Max(1, o.Matches);
        Child? publisher = null;
        var results = new List<Result>();
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
            var load = new LoadGenerator(baseUri, kind, target == "raw" ? "json" : o.Protocol);
            using var stop = new CancellationTokenSource();
            var pinging = load.PingAsync(stop.Token);
            var connectWatch = Stopwatch.StartNew();
            await load.ConnectAsync(o.Connections, i => perMatch ? [Topic.ForMatch(matchIds[i % matchIds.Length]).Name] : [Topic.LiveName]);
            Console.WriteLine($"   {load.Count} connected and subscribed in {connectWatch.Elapsed.TotalSeconds:F1} s");

            if (o.Scenario == "idle")
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                var mem = server.MemoryMb();
                results.Add(new Result
                {
                    Target = target, Scenario = o.Scenario, Protocol = o.Protocol, Connections = load.Count,
                    RssMb = mem.Rss, PeakRssMb = mem.Peak,
                    IdleKbPerConnection = (mem.Rss - memBefore.Rss) * 1024 / load.Count,
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
                    var r = await MeasureAsync(o with { Rate = rate, Seconds = Math.Min(o.Seconds, 10) }, target, server, load, perMatch);
                    results.Add(r);
                    Console.WriteLine(Describe(r));
                    if (r.P99Ms > 1000 || r.DeliveriesPerSecond < 0.9 * r.OfferedDeliveriesPerSecond)
                    {
                        break;
                    }
                }
            }
            else
            {
                var measured = await MeasureAsync(o, target, server, load, perMatch);
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

    private static async Task<Result> MeasureAsync(RunOptions o, string target, Child server, LoadGenerator load, bool perMatch)
    {
        await Task.Delay(TimeSpan.FromSeconds(o.WarmupSeconds));
        load.StartMeasuring();
        var cpu0 = server.CpuMs();
        var clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        double maxRss = 0;
        while (watch.Elapsed.TotalSeconds < o.Seconds)
        {
            await Task.Delay(1000);
            maxRss = Math.Max(maxRss, server.MemoryMb().Rss);
        }
        var cpu = server.CpuMs() - cpu0;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu0).TotalMilliseconds;
        var seconds = watch.Elapsed.TotalSeconds;
        var (deliveries, latencies) = load.StopMeasuring();
        var mem = server.MemoryMb();
        double P(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        return new Result
        {
            Target = target,
            Scenario = o.Scenario,
            Protocol = target == "raw" ? "raw" : o.Protocol,
            Connections = load.Count,
            Rate = o.Rate,
            OfferedDeliveriesPerSecond = perMatch ? o.Rate * load.Count / o.Matches : o.Rate * load.Count,
            DeliveriesPerSecond = deliveries / seconds,
            P50Ms = P(0.50),
            P99Ms = P(0.99),
            P999Ms = P(0.999),
            MaxMs = latencies.Length == 0 ? double.NaN : latencies[^1],
            Gaps = load.Gaps,
            Duplicates = load.Duplicates,
            Errors = load.Errors,
            CpuUsPerDelivery = deliveries == 0 ? double.NaN : cpu * 1000 / deliveries,
            ClientCpuUsPerDelivery = deliveries == 0 ? double.NaN : clientCpu * 1000 / deliveries,
            RssMb = maxRss,
            PeakRssMb = mem.Peak,
        };
    }

    private static Child StartPublisher(string target, string redis, double rate, int matches, bool perMatch, Dictionary<string, string> env)
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
            return App("ingest", "ScoreFeed.Ingest", Child.FreePort(), ingestEnv);
        }
        List<string> args = ["publisher", "--kind", target, "--redis", redis, "--rate", rateText, "--matches", $"{matches}"];
        if (perMatch)
        {
            args.Add("--per-match");
        }
        return Self("publisher", args);
    }

    private static async Task<string[]> InPlayMatchIdsAsync(Uri hub, int matches)
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

    private static Child App(string name, string project, int port, IDictionary<string, string> env)
    {
        var dll = Path.Combine(RepoRoot(), "src", project, "bin", "Release", "net10.0", project + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build Release first: {dll}");
        }
        return Child.Start(name, "dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"], Path.GetDirectoryName(dll), env);
    }

    private static Child Self(string name, IEnumerable<string> args, IDictionary<string, string>? env = null) =>
        Child.Start(name, "dotnet", [typeof(Runner).Assembly.Location, .. args], env: env);

    private static async Task WaitRedisAsync(string address)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await using var mux = await ConnectionMultiplexer.ConnectAsync(address + ",connectTimeout=500");
                return;
            }
            catch (RedisConnectionException) when (i < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScoreFeed.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ScoreFeed.sln not found");
    }

    private static object Machine() => new
    {
        cores = Environment.ProcessorCount,
        os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        runtime = Environment.Version.ToString(),
        date = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
    };

    private static string Describe(Result r) =>
        string.Create(CultureInfo.InvariantCulture,
            $"   {r.Target,-9} rate {r.Rate,6:F0}/s  deliveries {r.DeliveriesPerSecond,9:F0}/s of {r.OfferedDeliveriesPerSecond,9:F0}  p50 {r.P50Ms,7:F1} p99 {r.P99Ms,7:F1} p99.9 {r.P999Ms,7:F1} max {r.MaxMs,7:F1} ms  cpu {r.CpuUsPerDelivery,5:F2} µs/delivery (client {r.ClientCpuUsPerDelivery:F2})  rss {r.RssMb,6:F0} MB (peak {r.PeakRssMb:F0})  gaps {r.Gaps} dups {r.Duplicates} errors {r.Errors}")
        + (r.IdleKbPerConnection is { } kb ? string.Create(CultureInfo.InvariantCulture, $"  idle {kb:F1} KB/conn") : "")
        + (r.StormSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"  storm {r.StormResumed} resumed in {s:F2} s") : "");

    private static string Markdown(RunOptions o, List<Result> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### {o.Scenario} — {o.Protocol}, {o.Connections} connections, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine("| target | updates/s | deliveries/s (offered) | p50 ms | p99 ms | p99.9 ms | max ms | CPU µs/delivery | client CPU µs/delivery | RSS MB (peak) | gaps | dups | idle KB/conn | storm |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Target} | {r.Rate:F0} | {r.DeliveriesPerSecond:F0} ({r.OfferedDeliveriesPerSecond:F0}) | {r.P50Ms:F1} | {r.P99Ms:F1} | {r.P999Ms:F1} | {r.MaxMs:F1} | {r.CpuUsPerDelivery:F2} | {r.ClientCpuUsPerDelivery:F2} | {r.RssMb:F0} ({r.PeakRssMb:F0}) | {r.Gaps} | {r.Duplicates} | {(r.IdleKbPerConnection is { } kb ? kb.ToString("F1", CultureInfo.InvariantCulture) : "")} | {(r.StormSeconds is { } s ? $"{r.StormResumed} in {s:F2} s" : "")} |");
        }
        var sf = results.Where(r => r.Target == "scorefeed").ToList();
        foreach (var baseline in new[] { "signalr", "raw" })
        {
            var b = results.Where(r => r.Target == baseline).ToList();
            if (sf.Count == 0 || b.Count == 0)
            {
                continue;
            }
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"ScoreFeed ÷ {baseline}: {string.Join("; ", Ratios(sf, b))}");
        }
        return sb.ToString();
    }

    private static IEnumerable<string> Ratios(List<Result> sf, List<Result> b)
    {
        static string R(double x, double y) => y == 0 || double.IsNaN(x) || double.IsNaN(y) ? "n/a" : (x / y).ToString("F2", CultureInfo.InvariantCulture);
        var s = sf[^1];
        var o = b.FirstOrDefault(r => r.Rate == s.Rate) ?? b[^1];
        // The sweep's figure: the most delivered at a rate still kept up with (as the sweep's stopping rule says).
        static double KeptUp(List<Result> results) =>
            results.Where(r => r.P99Ms <= 1000 && r.DeliveriesPerSecond >= 0.9 * r.OfferedDeliveriesPerSecond).Select(r => r.DeliveriesPerSecond).DefaultIfEmpty(double.NaN).Max();
        yield return $"max deliveries/s kept up with {R(KeptUp(sf), KeptUp(b))}";
        yield return $"p99 {R(s.P99Ms, o.P99Ms)}";
        yield return $"CPU/delivery {R(s.CpuUsPerDelivery, o.CpuUsPerDelivery)}";
        yield return $"RSS {R(s.RssMb, o.RssMb)}";
        if (s.IdleKbPerConnection is { } kb && o.IdleKbPerConnection is { } okb)
        {
            yield return $"idle KB/conn {R(kb, okb)}";
        }
    }
}
