using Microsoft.AspNetCore.Http.Connections;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.EndToEndTests;

/// <summary>Ingest → Redis → two hubs → clients, with the simulator publishing throughout.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PipelineTests(ScoreFeedCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_on_hub_B_receives_every_update_ingest_publishes_in_seq_order(bool messagePack)
    {
        await using var client = await TestClient.ConnectAsync(cluster.HubB.HubUrl, messagePack);

        var result = await client.SubscribeAsync([Topic.LiveName]);
        await Wait.UntilAsync(() => client.Tracker.Applied >= 150, Patience, "150 live updates");

        Assert.Empty(result.Rejected);
        Assert.NotEmpty(result.Matches);
        Assert.All(result.Matches, m => Assert.True(MatchStatus.IsInPlay(m.Status) && m.Seq > 0 && m.Epoch.Length > 0, $"{m.MatchId} {m.Status} #{m.Seq}"));
        // Duplicates may legitimately arrive (published between the group join and the snapshot read) and are
        // dropped; gaps must not happen with one publisher, and nothing may be applied twice or out of order.
        Assert.Equal(0, client.Tracker.Gaps);
        var snapshotSeq = result.Matches.ToDictionary(m => m.MatchId, m => m.Seq);
        foreach (var matchId in client.AppliedMatches)
        {
            var seqs = client.Applied(matchId);
            var first = snapshotSeq.TryGetValue(matchId, out var s) ? s + 1 : seqs[0];
            Assert.Equal(Enumerable.Range(0, seqs.Count).Select(i => first + i), seqs);
        }
        var sample = client.Received[^1];
        Assert.True(sample.Ts > 0 && sample.State.Seq == sample.Seq && sample.State.Epoch == sample.Epoch);
        Assert.Equal(UpdateSources.Feed, sample.Source);
        Assert.Null(sample.State.Incidents);
    }

    // ScoreFeed's clients skip negotiation and take the hub's own WebSocket transport; a client that negotiates gets
    // SignalR's transports, and the same updates through them.
    [Theory]
    [InlineData(HttpTransportType.WebSockets, false)]
    [InlineData(HttpTransportType.ServerSentEvents, false)]
    [InlineData(HttpTransportType.LongPolling, false)]
    [InlineData(HttpTransportType.LongPolling, true)]
    public async Task A_client_that_negotiates_gets_the_same_updates_over_SignalR_transports(HttpTransportType transport, bool messagePack)
    {
        var matchId = "negotiated-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Publisher.CreateMatchAsync(matchId);
        await using var direct = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        await using var negotiated = await TestClient.ConnectAsync(cluster.HubA.HubUrl, messagePack, negotiated: transport);
        await direct.SubscribeAsync([Topic.ForMatch(matchId).Name]);
        var result = await negotiated.SubscribeAsync([Topic.ForMatch(matchId).Name]);
        Assert.Single(result.Matches);

        long last = 0;
        for (var i = 0; i < 5; i++)
        {
            last = (await cluster.Publisher.GoalAsync(matchId, TeamSides.Away, "Lindqvist")).Seq;
        }
        await Wait.UntilAsync(() => negotiated.State(matchId)?.Seq == last && direct.State(matchId)?.Seq == last, Patience, $"5 goals over {transport}");

        Assert.Equal(5, negotiated.State(matchId)!.Away.Score);
        Assert.Equal(0, negotiated.Tracker.Gaps);
        Assert.Equal(direct.Received.Where(u => u.MatchId == matchId), negotiated.Received.Where(u => u.MatchId == matchId));
    }

    [Fact]
    public async Task Json_and_MessagePack_clients_on_different_hubs_see_identical_updates()
    {
        var matchId = "proto-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Publisher.CreateMatchAsync(matchId);
        await using var json = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        await using var msgpack = await TestClient.ConnectAsync(cluster.HubB.HubUrl, messagePack: true);
        await json.SubscribeAsync([Topic.ForMatch(matchId).Name]);
        await msgpack.SubscribeAsync([Topic.ForMatch(matchId).Name]);

        var goal = await cluster.Publisher.GoalAsync(matchId, TeamSides.Home, "Okafor");
        await Wait.UntilAsync(() => json.State(matchId)?.Seq == goal.Seq && msgpack.State(matchId)?.Seq == goal.Seq, Patience, "the goal on both clients");

        var viaJson = json.Received.Single(u => u.Seq == goal.Seq);
        var viaMsgPack = msgpack.Received.Single(u => u.Seq == goal.Seq);
        Assert.Equal(viaJson, viaMsgPack);
        Assert.Equal(1, viaMsgPack.State.Home.Score);
        Assert.Equal("Okafor", viaMsgPack.Incident!.Player);
        Assert.Equal(IncidentTypes.Goal, viaJson.Incident!.Type);
    }
}
