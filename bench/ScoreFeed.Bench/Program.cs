using System.Globalization;
using ScoreFeed.Bench;

// dotnet ScoreFeed.Bench.dll run --scenario big-match|many-matches|sweep|idle|storm|curve|failover [--targets signalr,raw,scorefeed]
//     [--connections 5000] [--rate 20] [--matches 10] [--seconds 20] [--warmup 5] [--protocol json|msgpack] [--out bench/results]
//     [--ramp N/s] [--source-addresses N] [--steps 1000,5000,…] (curve) [--tls hub|nginx] (scorefeed over wss://)
//     [--server-env NAME=VALUE]...   (environment for the server under test only)
// dotnet ScoreFeed.Bench.dll push-latency [--goals 300] [--matches 10] [--fans 20] [--rate 20]   (goal alerts' latency)
// The other verbs are the processes `run` starts: plain-hub, raw-server, publisher; and charts RESULT.json, which draws
// a run's charts again from its JSON.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: run --scenario big-match|many-matches|sweep|idle|storm|curve|failover [options]  (see docs/benchmarks.md)");
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
            "curve" => new RunOptions { Scenario = scenario, Rate = 1, Matches = 1, Seconds = 15, WarmupSeconds = 3 },
            "failover" => new RunOptions { Scenario = scenario, Connections = 10_000, Rate = 1, Matches = 1, WarmupSeconds = 3 },
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
            Ramp = Num("--ramp", defaults.Ramp),
            Tls = Arg("--tls", defaults.Tls),
            SourceAddresses = (int)Num("--source-addresses", defaults.SourceAddresses),
            Steps = Arg("--steps", "") is { Length: > 0 } steps ? [.. steps.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))] : defaults.Steps,
            SweepRates = Arg("--rates", "") is { Length: > 0 } rates ? [.. rates.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))] : defaults.SweepRates,
        };
        return await Runner.RunAsync(options);
    case "push-latency":
        // Goal alerts: commit (the envelope's ts) → the stand-in push service has the decrypted alert (docs/benchmarks.md).
        return await PushLatency.RunAsync((int)Num("--goals", 300), (int)Num("--matches", 10), (int)Num("--fans", 20), Num("--rate", 20));
    case "charts" when args.Length > 1:
        // Draws the charts of a run again from its JSON (e.g. after the chart format changed).
        Console.WriteLine($"written: {string.Join(", ", await Charts.DrawAgainAsync(args[1]))}");
        return 0;
    default:
        Console.Error.WriteLine($"unknown verb {args[0]}");
        return 2;
}
