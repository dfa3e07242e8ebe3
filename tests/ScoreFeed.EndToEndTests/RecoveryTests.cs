using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests;

/// <summary>Resuming after a disconnect, on the other hub; the join-then-snapshot race.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RecoveryTests(ScoreFeedCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Subscribe_after_disconnect_on_the_other_hub_recovers_exactly_the_missed_updates_in_order()
    {
        await using var observer = await TestClient.ConnectAsync(cluster.HubB.HubUrl);
        await observer.SubscribeAsync([Topic.LiveName]);
        var leaving = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        await leaving.SubscribeAsync([Topic.LiveName]);
        await Wait.UntilAsync(() => leaving.Tracker.Applied >= 40, Patience, "updates before the disconnect");
        await leaving.DisposeAsync();
        var positions = leaving.Positions();
        var observedAtDisconnect = observer.Tracker.Applied;

        // Updates keep flowing while the client is away.
        await Wait.UntilAsync(() => observer.Tracker.Applied >= observedAtDisconnect + 80, Patience, "updates while away");
        await using var back = await TestClient.ConnectAsync(cluster.HubB.HubUrl);
        var result = await back.SubscribeAsync([Topic.LiveName], positions);

        Assert.Empty(result.Rejected);
        Assert.NotEmpty(result.Recovered);
        // Each positioned match was resumed from history, not re-sent whole.
        Assert.DoesNotContain(result.Matches, m => positions.ContainsKey(m.MatchId));
        foreach (var group in result.Recovered.GroupBy(u => u.MatchId))
        {
            var from = positions[group.Key].Seq;
            Assert.Equal(Enumerable.Range(1, group.Count()).Select(i => from + i), group.Select(u => u.Seq));
            foreach (var missed in group)
            {
                // What recovery replays is what was published (ts aside: recovery carries the commit time).
                var published = observer.Received.FirstOrDefault(u => u.MatchId == missed.MatchId && u.Seq == missed.Seq);
                if (published is not null)
                {
                    Assert.Equal(published with { Ts = 0 }, missed with { Ts = 0 });
                }
            }
        }

        // Then live updates follow without a gap or a double application.
        var appliedAfterResume = back.Tracker.Applied;
        await Wait.UntilAsync(() => back.Tracker.Applied >= appliedAfterResume + 60, Patience, "live updates after resuming");
        Assert.Equal(0, back.Tracker.Gaps);
        foreach (var (matchId, position) in positions)
        {
            var seqs = back.Applied(matchId);
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => position.Seq + i), seqs);
        }
    }

    [Fact]
    public async Task A_position_older_than_the_history_gets_the_full_state()
    {
        var matchId = "old-" + Guid.NewGuid().ToString("N")[..8];
        var created = await cluster.Publisher.CreateMatchAsync(matchId);
        long seq = 0;
        for (var i = 0; i < ScoreFeedCluster.HistoryLength + 20; i++)
        {
            seq = await cluster.Publisher.TickAsync(matchId);
        }
        await using var client = await TestClient.ConnectAsync(cluster.HubA.HubUrl);

        var result = await client.SubscribeAsync([Topic.ForMatch(matchId).Name],
            new() { [matchId] = new StreamPosition { Epoch = created.Epoch, Seq = created.Seq } });

        Assert.Empty(result.Recovered);
        var state = Assert.Single(result.Matches);
        Assert.Equal(seq, state.Seq);
        Assert.Equal(created.Epoch, state.Epoch);
        Assert.NotNull(state.Incidents);
    }

    [Fact]
    public async Task A_new_epoch_after_lost_history_gets_the_full_state_and_live_clients_resnapshot()
    {
        var matchId = "epoch-" + Guid.NewGuid().ToString("N")[..8];
        var before = await cluster.Publisher.CreateMatchAsync(matchId);
        await cluster.Publisher.TickAsync(matchId);
        await using var live = await TestClient.ConnectAsync(cluster.HubB.HubUrl);
        await live.SubscribeAsync([Topic.ForMatch(matchId).Name]);
        var oldPosition = new StreamPosition { Epoch = before.Epoch, Seq = 2 };

        // Redis loses the match's history (flush, failover without data): the next change starts a new epoch.
        var keys = cluster.Publisher.Keys;
        await cluster.Publisher.Service<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase()
            .KeyDeleteAsync([keys.Match(matchId), keys.History(matchId)]);
        var after = await cluster.Publisher.CreateMatchAsync(matchId);
        await cluster.Publisher.TickAsync(matchId);

        Assert.NotEqual(before.Epoch, after.Epoch);
        await using var returning = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        var result = await returning.SubscribeAsync([Topic.ForMatch(matchId).Name], new() { [matchId] = oldPosition });
        Assert.Empty(result.Recovered);
        var state = Assert.Single(result.Matches);
        Assert.Equal(after.Epoch, state.Epoch);
        Assert.Equal(2, state.Seq);
        // The client that stayed connected saw the new epoch live and re-snapshotted by itself.
        await Wait.UntilAsync(() => live.State(matchId) is { } s && s.Epoch == after.Epoch && s.Seq == 2, Patience, "the live client to adopt the new epoch");
    }

    [Fact]
    public async Task Updates_published_while_Subscribe_runs_are_neither_lost_nor_applied_twice()
    {
        var matchId = "race-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Publisher.CreateMatchAsync(matchId);
        using var stop = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < 400; i++)
            {
                await cluster.Publisher.TickAsync(matchId);
            }
        });

        var clients = new List<TestClient>();
        try
        {
            // Subscribe repeatedly while updates stream in, alternating hubs.
            for (var i = 0; i < 16 && !publishing.IsCompleted; i++)
            {
                var client = await TestClient.ConnectAsync(i % 2 == 0 ? cluster.HubA.HubUrl : cluster.HubB.HubUrl);
                clients.Add(client);
                await client.SubscribeAsync([Topic.ForMatch(matchId).Name]);
            }
            await publishing.Within(TimeSpan.FromSeconds(60));
            var final = (await cluster.Publisher.Store.GetAsync(matchId))!.Seq;

            Assert.True(clients.Count >= 2, "at least two clients subscribed mid-stream");
            foreach (var client in clients)
            {
                await Wait.UntilAsync(() => client.State(matchId)?.Seq == final, Patience, $"client to reach seq {final}");
                var applied = client.Applied(matchId);
                var start = final - applied.Count + 1;
                Assert.Equal(Enumerable.Range(0, applied.Count).Select(i => start + i), applied);
                Assert.Equal(0, client.Tracker.Gaps);
            }
            output.WriteLine($"{clients.Count} clients subscribed during {final} updates; duplicates dropped: {clients.Sum(c => c.Tracker.Duplicates)}");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
