using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// Fault 4 of the chaos issue: a fan stops reading while updates pour in. Its hub must not buffer without bound nor
/// hold the other fans of the same group back; it disconnects the slow one with a reason, and when that fan comes back
/// it recovers what it missed.
/// </summary>
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_fan_that_stops_reading_is_disconnected_with_a_reason_without_holding_back_the_others_and_recovers_when_it_reads_again()
    {
        const string MaxPending = "1048576";
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new()
        {
            ["Hub:SlowConsumers:MaxPendingBytes"] = MaxPending,
            ["Hub:SlowConsumers:MaxStall"] = "00:00:20",
        });
        // Long team names make every update about 16 KB: a few hundred outgrow the kernel's socket buffers (4 MiB on loopback).
        var ids = new[] { "sc0" };
        var created = await system.Feed.CreateMatchAsync("sc0");
        await system.Feed.Updater.UpdateAsync("sc0", current => new ScoreFeed.Redis.MatchChange
        {
            State = current! with
            {
                Home = current.Home with { Name = new string('h', 8000) },
                Away = current.Away with { Name = new string('a', 8000) },
            },
        }, CancellationToken.None);
        var hub = system.Hubs[0];
        await using var quick = new FanPool(system.HubUrls);
        await quick.StartAsync(20, _ => ["match:sc0"], TimeSpan.FromSeconds(30));
        await using var slowPool = new FanPool(system.HubUrls) { SmallReceiveBuffers = true };
        await slowPool.StartAsync(1, _ => ["match:sc0"], TimeSpan.FromSeconds(30));
        var slow = slowPool.Fans[0];
        var rssBefore = RssKb(hub.Id);

        slow.PauseReading();
        // Far more than the socket buffers, SignalR's transport buffer and the guard's limit hold together, at a pace
        // the other fans keep up with (100 updates/s, 1.6 MB/s each).
        const int Updates = 800;
        var pace = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Updates; i++)
        {
            await system.Feed.TickAsync("sc0");
            if (TimeSpan.FromMilliseconds(10 * (i + 1)) - pace.Elapsed is { Ticks: > 0 } ahead)
            {
                await Task.Delay(ahead);
            }
        }
        var final = await system.PositionsAsync(ids);

        // The quick fans got everything while the slow one was still not reading, without waiting behind it (plain
        // SignalR holds the group's messages on this hub until its transport gives up on the stalled send, 10 s).
        var published = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await FanPool.WaitAsync(() => quick.Fans.All(f => f.Tracks()["sc0"].Seq == final["sc0"].Seq), TimeSpan.FromSeconds(30),
                "the quick fans to receive every update while one fan of their group does not read");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"hub exited: {hub.HasExited}; its output: {hub.Output[^Math.Min(hub.Output.Length, 4000)..]}");
            output.WriteLine($"final seq {final["sc0"].Seq}; slow consumers disconnected: {Prometheus.Sum(await system.MetricsAsync(hub), "scorefeed_hub_slow_consumers_disconnected_total")}; quick fans (seq, disconnects): "
                + string.Join(", ", quick.Fans.Select(f => $"{f.Tracks()["sc0"].Seq}/{f.Disconnects}")) + $"; slow fan at {slow.Tracks()["sc0"].Seq}");
            throw;
        }
        var quickLag = published.Elapsed;
        var metrics = await system.MetricsAsync(hub);
        var disconnected = Prometheus.Sum(metrics, "scorefeed_hub_slow_consumers_disconnected_total");
        var rssDuring = RssKb(hub.Id);
        var slowSeqWhenPaused = slow.Tracks()["sc0"].Seq;

        slow.ResumeReading();
        await FanPool.WaitAsync(() => slow.Tracks()["sc0"].Seq == final["sc0"].Seq, TimeSpan.FromSeconds(30), "the slow fan to recover");
        var report = FanReport.Check([.. quick.Fans, slow], _ => ids, final);
        output.WriteLine($"{Updates} updates of about 16 KB to 21 fans of one match (epoch {created.Epoch}); one fan (4 KiB socket buffer) stopped reading at seq {slowSeqWhenPaused}");
        output.WriteLine($"the 20 quick fans had every update {quickLag.TotalSeconds:F2} s after the last was published ({pace.Elapsed.TotalSeconds:F1} s of publishing)");
        output.WriteLine($"hub: {disconnected} slow consumer disconnected (limit {MaxPending} bytes waiting); RSS {rssBefore / 1024} MB before, {rssDuring / 1024} MB during");
        output.WriteLine($"slow fan: {slow.Disconnects} reconnect(s), {slow.Recovered} updates recovered from history; close message: {HubFailureTests.Describe(slowPool.CloseReasons)}");
        output.WriteLine(report.ToString());

        Assert.Equal(1, disconnected);
        Assert.True(quickLag < TimeSpan.FromSeconds(5), $"the quick fans finished {quickLag.TotalSeconds:F1} s after the last update: held back by the slow one");
        Assert.True(slow.Disconnects >= 1);
        FanReport.Check(quick.Fans, _ => ids, final).AssertNothingLost();
        Assert.Equal((0L, 0L), (report.AppliedTwice, report.OutOfOrder));
        // The slow fan's gap (hundreds of updates) is past what one Subscribe recovers for a match
        // (Hub:MaxRecoveredPerSubscribe, at most 100 per match): it resumes from the match's snapshot, on the final seq.
        var resumed = slow.Tracks()["sc0"];
        Assert.Equal(final["sc0"], (resumed.Epoch, resumed.Seq));
        Assert.True(resumed.Skipped > 100, $"the slow fan skipped {resumed.Skipped} updates by a snapshot; its gap was over 100");
    }

    [Fact]
    public async Task A_client_that_stops_reading_then_sends_its_close_is_let_go_within_seconds()
    {
        // The slow-consumer cut is far away here: only the close's own bound can end this connection.
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new()
        {
            ["Hub:SlowConsumers:MaxPendingBytes"] = "67108864",
            ["Hub:SlowConsumers:MaxStall"] = "00:05:00",
        });
        await system.Feed.CreateMatchAsync("cc0");
        await system.Feed.Updater.UpdateAsync("cc0", current => new ScoreFeed.Redis.MatchChange
        {
            State = current! with { Home = current.Home with { Name = new string('h', 8000) }, Away = current.Away with { Name = new string('a', 8000) } },
        }, CancellationToken.None);
        var hub = system.Hubs[0];

        // A client with a 4 KiB receive buffer subscribes, then reads nothing.
        using var client = new RawHubClient { SocketReceiveBufferSize = 4096 };
        await client.ConnectAsync(hub.HubUrl).Within();
        await client.HandshakeAsync();
        await client.SubscribeAsync(new SubscribeRequest { Topics = ["match:cc0"] });
        var local = client.LocalEndPoint!.Port;
        var hubPort = hub.BaseAddress.Port;

        // 300 updates of ~16 KB: far more than the socket buffers hold, so the hub's sends to it stall.
        for (var i = 0; i < 300; i++)
        {
            await system.Feed.TickAsync("cc0");
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True(HubHolds(hubPort, local), "the hub should still hold the stalled connection before the close");

        // The client sends its close frame (and still reads nothing): the hub cannot send its close answer.
        var closedAt = System.Diagnostics.Stopwatch.StartNew();
        await client.CloseOutputAsync("bye").WaitAsync(TimeSpan.FromSeconds(10));
        try
        {
            await Wait.UntilAsync(() => Task.FromResult(!HubHolds(hubPort, local)), TimeSpan.FromSeconds(30), "the hub to let the stalled, closing connection go");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"still held: {Ss(hubPort, local)}; hub log:\n{string.Join('\n', hub.Output.Split('\n').TakeLast(30))}");
            throw;
        }
        var cut = closedAt.Elapsed;
        var metrics = await system.MetricsAsync(hub);
        output.WriteLine($"stalled client sent its close: the hub let the connection go {cut.TotalSeconds:F1} s later ({(Ss(hubPort, local) is { Length: > 0 } left ? "kernel still sending: " + left.Trim() : "reset")}); close cuts counted {Prometheus.Sum(metrics, "scorefeed_hub_socket_close_cuts_total")}");
        // Cut (reset) when the hub still held unsent data after 3 s; closed when all of it was in the kernel's buffer
        // already (FIN-WAIT: the kernel's to drop, the hub holds nothing). Either way well before the client lets go.
        // The hub serves others as before.
        await using var other = await TestClient.ConnectAsync(hub.HubUrl);
        Assert.Contains((await other.SubscribeAsync(["match:cc0"])).Matches, m => m.MatchId == "cc0");
    }

    /// <summary>Whether the hub still holds its side of the connection to <paramref name="clientPort"/> open (established, or the client closed and the hub has not).</summary>
    private static bool HubHolds(int hubPort, int clientPort) =>
        Ss(hubPort, clientPort).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Any(l => l.StartsWith("ESTAB", StringComparison.Ordinal) || l.StartsWith("CLOSE-WAIT", StringComparison.Ordinal));

    private static string Ss(int hubPort, int clientPort)
    {
        using var ss = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ss", $"-tnH state connected sport = :{hubPort} and dport = :{clientPort}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        return output;
    }

    private static long RssKb(int pid) => File.ReadLines($"/proc/{pid}/status")
        .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
        .FirstOrDefault();
}
