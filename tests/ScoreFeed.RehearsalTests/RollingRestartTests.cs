using System.Diagnostics;
using ScoreFeed.Contract;
using Xunit.Abstractions;

namespace ScoreFeed.RehearsalTests;

/// <summary>
/// A rolling restart of the three hubs, one by one (SIGTERM, wait for the exit, start it again, wait until ready),
/// under raw WebSocket fans connected through nginx (wss://scores.example, TLS) following the simulator's live matches:
/// nothing lost, nothing applied twice, nothing out of order.
/// </summary>
[Collection(RehearsalCollection.Name)]
public sealed class RollingRestartTests(Rehearsal rehearsal, ITestOutputHelper output)
{
    /// <summary>2,000 as the issue asks; through nginx's TLS on the 2-core machine (measured: see the output).</summary>
    private const int FanCount = 2000;

    [Fact]
    public async Task A_rolling_restart_of_the_hubs_under_2000_fans_through_nginx_loses_nothing()
    {
        var total = Stopwatch.StartNew();
        using var handlerOwner = new HttpMessageInvoker(rehearsal.CreateHandler());
        // One balanced endpoint: nginx picks the hub; a fan that loses its hub reconnects through nginx again.
        await using var fans = new FanPool([new Uri(rehearsal.PublicBaseUrl, "/hubs/scores")]) { Invoker = handlerOwner };
        var connecting = Stopwatch.StartNew();
        await fans.StartAsync(FanCount, _ => [Topic.LiveName], TimeSpan.FromSeconds(80));
        output.WriteLine($"{FanCount} fans connected and subscribed through nginx (TLS) in {connecting.Elapsed.TotalSeconds:F1} s");

        var restarts = new List<string>();
        foreach (var hub in new[] { "hub-1", "hub-2", "hub-3" })
        {
            var at = Stopwatch.GetTimestamp();
            var code = await rehearsal.StopAsync(hub);
            var exited = Stopwatch.GetElapsedTime(at);
            await rehearsal.ControlAsync("start", hub);
            var ready = Stopwatch.GetElapsedTime(at);
            // Every fan subscribed again (those of the stopped hub resumed through nginx on another one).
            try
            {
                await FanPool.WaitAsync(() => fans.Fans.All(f => f.Subscribed), TimeSpan.FromSeconds(60), "every fan to be subscribed again");
            }
            catch (TimeoutException)
            {
                output.WriteLine($"after {hub}'s restart: {fans.Fans.Count(f => !f.Subscribed)} fans not subscribed; connects {fans.Fans.Sum(f => f.Connects)}, " +
                    $"subscribe errors {fans.Fans.Sum(f => f.SubscribeErrors)}; connection failures: {string.Join(", ", fans.ConnectFailures.Select(kv => $"{kv.Key}: {kv.Value}"))}; " +
                    $"close messages: {string.Join(", ", fans.CloseReasons.Select(kv => $"{kv.Key} ×{kv.Value}"))}");
                throw;
            }
            var resumed = Stopwatch.GetElapsedTime(at);
            restarts.Add($"{hub}: exit {code} after {exited.TotalSeconds:F1} s, ready again after {ready.TotalSeconds:F1} s, every fan subscribed {resumed.TotalSeconds:F1} s after SIGTERM");
            Assert.Equal(0, code);
        }
        foreach (var line in restarts)
        {
            output.WriteLine(line);
        }

        // The simulator plays on: take every match's position now and wait until each fan has reached it.
        var positions = new Dictionary<string, (string Epoch, long Seq)>(StringComparer.Ordinal);
        using (var http = rehearsal.CreateHttpClient())
        {
            foreach (var m in await rehearsal.MatchesAsync(http))
            {
                positions[m.GetProperty("matchId").GetString()!] = (m.GetProperty("epoch").GetString()!, m.GetProperty("seq").GetInt64());
            }
        }
        await FanPool.WaitAsync(() => fans.Fans.All(f => f.Tracks().All(t => !positions.TryGetValue(t.Key, out var p) || t.Value.Epoch != p.Epoch || t.Value.Seq >= p.Seq)),
            TimeSpan.FromSeconds(30), "every fan to reach the positions read after the restarts");

        long applied = 0, lost = 0, twice = 0, disorder = 0;
        var problems = new List<string>();
        foreach (var fan in fans.Fans)
        {
            foreach (var (matchId, track) in fan.Tracks())
            {
                applied += track.Applied.Count;
                twice += track.Applied.Count - track.Applied.Distinct().Count();
                for (var i = 0; i < track.Applied.Count; i++)
                {
                    if (track.Applied[i] != track.First + 1 + i)
                    {
                        disorder++;
                    }
                }
                lost += track.Skipped + Math.Max(0, track.Seq - track.First - track.Applied.Count);
                if (track.Skipped != 0 && problems.Count < 10)
                {
                    problems.Add($"fan {fan.Index}: {matchId} skipped {track.Skipped} by a snapshot");
                }
            }
            twice += fan.EarlierEpochs().Sum(e => e.Applied.Count - e.Applied.Distinct().Count());
        }
        output.WriteLine($"{FanCount} fans: {applied} updates applied, {lost} lost, {twice} applied twice, {disorder} out of order; " +
            $"{fans.Fans.Sum(f => f.Duplicates)} duplicates dropped, {fans.Fans.Sum(f => f.Gaps)} gaps recovered ({fans.Fans.Sum(f => f.Recovered)} replayed), " +
            $"{fans.Fans.Sum(f => f.Disconnects)} reconnects, {fans.Fans.Sum(f => f.Resnapshots)} re-snapshots; connection failures: " +
            (fans.ConnectFailures.IsEmpty ? "none" : string.Join(", ", fans.ConnectFailures.Select(kv => $"{kv.Key}: {kv.Value}"))) +
            $"; {total.Elapsed.TotalSeconds:F1} s in all");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(0, lost);
        Assert.Equal(0, twice);
        Assert.Equal(0, disorder);
        Assert.True(applied > 0, "the fans applied no update");
    }
}
