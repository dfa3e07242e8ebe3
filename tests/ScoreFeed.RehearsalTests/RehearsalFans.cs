using ScoreFeed.Contract;
using Xunit.Abstractions;

namespace ScoreFeed.RehearsalTests;

/// <summary>
/// Checks on fans that follow <c>live</c> while the rehearsal's simulator plays on (it cannot be paused): a position
/// is read once, then every fan must reach it; a fan may be past it by the time it is checked.
/// </summary>
internal static class RehearsalFans
{
    public static bool InPlay(string status) => MatchStatus.IsInPlay(status);

    /// <summary>The matches a <c>live</c> fan holds and must be current on: those still in play in <paramref name="positions"/>.</summary>
    public static IEnumerable<string> Held(Fan fan, IReadOnlyDictionary<string, (string Epoch, long Seq, string Status)> positions) =>
        fan.Tracks().Keys.Where(id => positions.TryGetValue(id, out var p) && InPlay(p.Status));

    public static bool Reached(Fan fan, IReadOnlyDictionary<string, (string Epoch, long Seq, string Status)> positions) =>
        fan.Tracks().All(t => !positions.TryGetValue(t.Key, out var p) || !InPlay(p.Status) || (t.Value.Epoch == p.Epoch && t.Value.Seq >= p.Seq));

    /// <summary>Waits until every fan holds, for every match it holds that is in play, the position's epoch and at least its seq.</summary>
    public static async Task<TimeSpan> WaitReachedAsync(FanPool fans, IReadOnlyDictionary<string, (string Epoch, long Seq, string Status)> positions,
        TimeSpan timeout, ITestOutputHelper output)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await FanPool.WaitAsync(() => fans.Fans.All(f => Reached(f, positions)), timeout, "every fan to reach Redis's (epoch, seq)");
            return watch.Elapsed;
        }
        catch (TimeoutException)
        {
            var stuck = fans.Fans.Where(f => !Reached(f, positions)).ToList();
            output.WriteLine($"{stuck.Count} fans not on Redis's position; connection failures: {string.Join(", ", fans.ConnectFailures.Select(kv => $"{kv.Key}: {kv.Value}"))}");
            foreach (var f in stuck.Take(5))
            {
                output.WriteLine($"  fan {f.Index}: subscribed {f.Subscribed}, connects {f.Connects}, re-snapshots {f.Resnapshots}, pushed {f.Pushed}, subscribe errors {f.SubscribeErrors}; " +
                    string.Join(", ", f.Tracks().Where(t => positions.TryGetValue(t.Key, out var p) && InPlay(p.Status))
                        .Select(t => $"{t.Key} {t.Value.Epoch}#{t.Value.Seq} (Redis {positions[t.Key].Epoch}#{positions[t.Key].Seq})")));
            }
            throw;
        }
    }

    /// <summary>FanReport over the in-play matches each fan holds, against positions the fans may have passed.</summary>
    public static FanReport Report(FanPool fans, IReadOnlyDictionary<string, (string Epoch, long Seq, string Status)> positions) =>
        FanReport.Check(fans.Fans, f => Held(f, positions), positions.ToDictionary(p => p.Key, p => (p.Value.Epoch, p.Value.Seq)), moving: true);

    public static string Failures(FanPool fans) =>
        fans.ConnectFailures.IsEmpty ? "none" : string.Join(", ", fans.ConnectFailures.Select(kv => $"{kv.Key}: {kv.Value}"));
}
