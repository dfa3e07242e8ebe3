using System.Net;
using ScoreFeed.Contract;

namespace ScoreFeed.EndToEndTests.Push;

[CollectionDefinition(Name)]
public sealed class PushTakeoverCollection : ICollectionFixture<PushSystem>
{
    public const string Name = "push-takeover";
}

/// <summary>The sender lease changing hands, and the API's per-address limit: on a system of their own.</summary>
[Collection(PushTakeoverCollection.Name)]
public sealed class PushTakeoverTests(PushSystem system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task When_the_sending_web_process_stops_the_other_takes_the_lease_and_alerts_go_on_once()
    {
        var db = system.Connection.GetDatabase();
        var holder = (string)(await db.StringGetAsync(system.Keys.PushSenderLease))!;
        var (stopping, staying) = holder.Split('/')[1] == system.WebA.Id.ToString() ? (system.WebA, system.WebB) : (system.WebB, system.WebA);
        Assert.Equal(stopping.Id.ToString(), holder.Split('/')[1]);
        var match = await system.CreateMatchAsync("push-takeover");
        var fan = system.PushService.NewDevice("fan-" + match.MatchId);
        await system.SubscribeAsync(fan, [$"m:{match.MatchId}"], web: staying);
        await system.GoalAsync(match.MatchId);
        await Wait.UntilAsync(() => system.PushService.For(fan.Name).Count >= 1, Patience, "the first goal's alert");

        stopping.Terminate(); // SIGTERM: it gives the lease up as it stops
        Assert.Equal(0, await stopping.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await Wait.UntilAsync(async () => ((string?)await db.StringGetAsync(system.Keys.PushSenderLease))?.Split('/')[1] == staying.Id.ToString(),
            Patience, "the other web process to take the lease");

        await system.GoalAsync(match.MatchId, TeamSides.Away);
        await system.FinalWhistleAsync(match.MatchId);
        await Wait.UntilAsync(() => system.PushService.For(fan.Name).Count >= 3, Patience, "the alerts after the hand-over");
        await Task.Delay(500); // a duplicate would come right behind
        Assert.Equal(["goal", "goal", "full-time"], system.PushService.For(fan.Name).Select(p => p.Kind));
    }

    [Fact]
    public async Task The_subscription_api_limits_each_client_address()
    {
        var settings = PushSystem.WebSettings(system.Redis.ConnectionString, system.PublicKey, system.PrivateKey);
        settings["Push:RequestsPerMinute"] = "3";
        await using var web = await AppProcess.StartAsync("ScoreFeed.Web", settings);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await system.Http.GetAsync(new Uri(web.BaseAddress, "/api/v1/push/key"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("60", response.Headers.GetValues("Retry-After").Single());
            }
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
