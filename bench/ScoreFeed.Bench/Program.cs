using System.Globalization;
using ScoreFeed.Bench;

// dotnet ScoreFeed.Bench.dll run --scenario big-match|many-matches|sweep|idle|storm [--targets signalr,raw,scorefeed]
//     [--connections 5000] [--rate 20] [--matches 10] [--seconds 20] [--warmup 5] [--protocol json|msgpack] [--out bench/results]
//     [--server-env NAME=VALUE]...   (environment for the server under test only)
// The other verbs are the processes `run` starts: plain-hub, raw-server, publisher; and chart-demo OUTDIR, which
// draws the charts from made-up numbers to show their format.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: run --scenario big-match|many-matches|sweep|idle|storm [options]  (see docs/benchmarks.md)");
    return 2;
}
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
double Num(string name, double fallback) => double.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

switch (args[0])
{
    case "plain-hub":
        await Baselines.RunPlainHubAsync((int)Num("--port", 0), Arg("--redis", "127.0.0.1:6379"));
        return 0;
    case "raw-server":
        await Baselines.RunRawServerAsync((int)Num("--port", 0), Arg("--redis", "127.0.0.1:6379"));
        return 0;
    case "publisher":
        await Publisher.RunAsync(Arg("--kind", "signalr"), Arg("--redis", "127.0.0.1:6379"), Num("--rate", 20), (int)Num("--matches", 10), args.Contains("--per-match"), CancellationToken.None);
        return 0;
    case "run":
        var scenario = Arg("--scenario", "big-match");
        var defaults = scenario switch
        {
            "many-matches" => new RunOptions { Scenario = scenario, Rate = 200, Matches = 100 },
            "idle" => new RunOptions { Scenario = scenario, Connections = 10_000 },
            _ => new RunOptions { Scenario = scenario },
        };
        var options = defaults with
        {
            Targets = Arg("--targets", string.Join(',', defaults.Targets)).Split(','),
            Connections = (int)Num("--connections", defaults.Connections),
            Rate = Num("--rate", defaults.Rate),
            Matches = (int)Num("--matches", defaults.Matches),
            Seconds = Num("--seconds", defaults.Seconds),
            WarmupSeconds = Num("--warmup", defaults.WarmupSeconds),
            Protocol = Arg("--protocol", defaults.Protocol),
            Out = Arg("--out", defaults.Out),
            ServerEnv = args.Select((a, i) => (a, i)).Where(x => x.a == "--server-env" && x.i + 1 < args.Length)
                .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""),
            SweepRates = Arg("--rates", "") is { Length: > 0 } rates ? [.. rates.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))] : defaults.SweepRates,
        };
        return await Runner.RunAsync(options);
    case "chart-demo" when args.Length > 1:
    {
        // A demo of the chart format only: every number here is made up.
        Directory.CreateDirectory(args[1]);
        var targets = new[] { ("signalr", 1.0), ("raw", 0.45), ("scorefeed", 0.6) };
        int[] counts = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];
        var curve = targets.SelectMany(t => counts.Select(n => new CurvePoint(t.Item1, n,
            CpuUsPerDelivery: t.Item2 * (4 + Math.Log10(n)), RssKbPerConnection: t.Item2 * (30 + 200_000.0 / n),
            P99Ms: t.Item2 * (5 + n / 2_000.0), SubscribeMs: t.Item2 * (2 + Math.Sqrt(n) / 10)))).ToList();
        var curvePng = Path.Combine(args[1], "cost-curve-demo.png");
        Charts.CostCurve(curve, "Cost per connection count (demo numbers)", curvePng);
        // Latencies with an exponential body and a heavier tail, already ascending.
        float[] Latencies(double body, double tail) => [.. Enumerable.Range(0, 100_000).Select(i => -Math.Log(1 - (i + 0.5) / 100_000))
            .Select(e => (float)(body * (1 + e) + (e > 7 ? tail * (e - 7) : 0)))];
        var series = targets.Select(t => new LatencySeries(t.Item1, Charts.Quantiles(Latencies(2 * t.Item2, 40 * t.Item2)))).ToList();
        var latencyPng = Path.Combine(args[1], "latency-demo.png");
        Charts.LatencyDistribution(series, "Delivery latency by percentile, 10k connections (demo numbers)", latencyPng);
        Console.WriteLine($"written: {curvePng}, {latencyPng}");
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown verb {args[0]}");
        return 2;
}
