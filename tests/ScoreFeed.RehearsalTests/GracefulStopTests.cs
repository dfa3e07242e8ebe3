using System.Diagnostics;
using Xunit.Abstractions;

namespace ScoreFeed.RehearsalTests;

/// <summary>
/// Every app stopped (SIGTERM) while Redis is down (primary and replica stopped) exits 0 within its grace period
/// (rehearse.sh: 40 s, then SIGKILL). Afterwards Redis and the apps are started again, so the rehearsal carries on.
/// </summary>
[Collection(RehearsalCollection.Name)]
public sealed class GracefulStopTests(Rehearsal rehearsal, ITestOutputHelper output)
{
    private static readonly string[] Apps = ["nginx", "web", "hub-1", "hub-2", "hub-3", "ingest-1", "ingest-2"];

    [Fact]
    public async Task Every_app_stopped_while_Redis_is_down_exits_0_within_its_grace_period()
    {
        var results = new List<(string App, int Code, double Seconds)>();
        try
        {
            Assert.Equal(0, await rehearsal.StopAsync("redis-replica"));
            Assert.Equal(0, await rehearsal.StopAsync("redis-primary"));
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var app in Apps.Where(a => a != "nginx"))
            {
                var watch = Stopwatch.StartNew();
                var code = await rehearsal.StopAsync(app);
                results.Add((app, code, watch.Elapsed.TotalSeconds));
            }
        }
        finally
        {
            await rehearsal.ControlAsync("start", "redis-primary");
            await rehearsal.ControlAsync("start", "redis-replica");
            foreach (var app in Apps.Where(a => a != "nginx"))
            {
                await rehearsal.ControlAsync("start", app);
            }
        }
        foreach (var (app, code, seconds) in results)
        {
            output.WriteLine($"{app}: SIGTERM with Redis down → exit {code} after {seconds:F1} s");
        }
        Assert.All(results, r => Assert.True(r.Code == 0 && r.Seconds < 40, $"{r.App} exited {r.Code} after {r.Seconds:F1} s"));
    }
}
