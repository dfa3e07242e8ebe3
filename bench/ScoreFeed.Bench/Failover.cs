using System.Diagnostics;
using ScoreFeed.Contract;

namespace ScoreFeed.Bench;

/// <summary>
/// A hub killed under load: two real hubs on one Redis, the simulator publishing, half the fans on each, all on
/// <c>live</c>. Hub A is killed (SIGKILL); its fans reconnect to hub B at once with their positions, as ScoreFeed's
/// clients do. Measured: the time until every one of them has its Subscribe result on B, the updates lost (a gap in
/// a fan's seq after it resumed), the updates received twice (the client rules drop them: none is applied twice),
/// and the latency of every delivery around it.
/// </summary>
internal static class Failover
{
    public static async Task<Result> RunAsync(RunOptions o)
    {
        await using var redis = await RedisServer.StartAsync();
        var env = Runner.HubEnvironment(redis.ConnectionString);
        var (portA, portB) = (Ports.Free(), Ports.Free());
        await using var hubA = Runner.App("hub-a", "ScoreFeed.Hub", portA, env);
        await using var hubB = Runner.App("hub-b", "ScoreFeed.Hub", portB, env);
        var (a, b) = (new Uri($"http://127.0.0.1:{portA}"), new Uri($"http://127.0.0.1:{portB}"));
        await Task.WhenAll(
            Wait.UntilAnswersAsync(new Uri(a, "/health/ready"), TimeSpan.FromSeconds(30), "hub A to be ready"),
            Wait.UntilAnswersAsync(new Uri(b, "/health/ready"), TimeSpan.FromSeconds(30), "hub B to be ready"));
        await using var publisher = Runner.StartPublisher("scorefeed", redis.ConnectionString, o.Rate, Math.Max(1, o.Matches), perMatch: false, Runner.AppEnvironment(redis.ConnectionString));
        await Runner.InPlayMatchIdsAsync(a, 1);

        var onA = new LoadGenerator(a, "signalr", o.Protocol, o.SourceAddresses);
        var onB = new LoadGenerator(b, "signalr", o.Protocol, o.SourceAddresses);
        await onA.ConnectAsync(o.Connections / 2, _ => [Topic.LiveName], perSecond: o.Ramp);
        await onB.ConnectAsync(o.Connections - o.Connections / 2, _ => [Topic.LiveName], perSecond: o.Ramp);
        Console.WriteLine($"   {onA.Count} fans on hub A, {onB.Count} on hub B");
        await Task.Delay(TimeSpan.FromSeconds(o.WarmupSeconds));
        onA.StartMeasuring();
        onB.StartMeasuring();
        await Task.Delay(TimeSpan.FromSeconds(3));

        hubA.Kill(); // SIGKILL: no close frames, the fans find their sockets reset
        var moved = await onA.StormAsync(to: b);
        Console.WriteLine($"   hub A killed: its {onA.Count} fans resumed on hub B in {moved.TotalSeconds:F2} s, {onA.ConnectRetries} connection attempts retried");
        // Long enough for updates published meanwhile to be recovered and a few to arrive on B as usual.
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(5, o.Seconds / 2)));

        var (_, latenciesA) = onA.StopMeasuring();
        var (_, latenciesB) = onB.StopMeasuring();
        float[] latencies = [.. latenciesA, .. latenciesB];
        Array.Sort(latencies);
        double P(double q) => Report.Percentile(latencies, q);
        var mem = hubB.MemoryMb();
        var (resumed, fans) = (onA.Count, onA.Count + onB.Count);
        await onA.CloseAllAsync();
        await onB.CloseAllAsync();
        return new Result
        {
            Target = "scorefeed",
            Scenario = o.Scenario,
            Protocol = o.Protocol,
            Connections = fans,
            Rate = o.Rate,
            DeliveriesPerSecond = double.NaN,
            OfferedDeliveriesPerSecond = o.Rate * o.Connections,
            P50Ms = P(0.5),
            P90Ms = P(0.9),
            P99Ms = P(0.99),
            P999Ms = P(0.999),
            MaxMs = latencies.Length == 0 ? double.NaN : latencies[^1],
            LatencyQuantiles = Charts.Quantiles(latencies),
            Gaps = onA.Gaps + onB.Gaps,
            Duplicates = onA.Duplicates + onB.Duplicates,
            Errors = onA.Errors + onB.Errors,
            CpuUsPerDelivery = double.NaN,
            ClientCpuUsPerDelivery = double.NaN,
            RssMb = mem.Rss,
            PeakRssMb = mem.Peak,
            StormSeconds = moved.TotalSeconds,
            StormResumed = resumed,
        };
    }
}
