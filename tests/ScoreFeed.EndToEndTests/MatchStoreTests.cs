using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Redis;
using StackExchange.Redis;
using StreamPosition = ScoreFeed.Contract.StreamPosition;

namespace ScoreFeed.EndToEndTests;

/// <summary>The store's atomic step against a real redis-server.</summary>
public sealed class MatchStoreTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly long Today = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private static int _prefixes;

    private static StoreOptions NewOptions(int historyLength = 1000, TimeSpan? maxAge = null) => new()
    {
        KeyPrefix = $"t{Interlocked.Increment(ref _prefixes)}",
        HistoryLength = historyLength,
        HistoryMaxAge = maxAge ?? TimeSpan.FromHours(1),
    };

    private static MatchState Match(string id, int home = 0, string status = MatchStatus.Live, string competition = "cup") => new()
    {
        MatchId = id,
        CompetitionId = competition,
        Sport = Sports.Football,
        Home = new TeamScore { Id = "h", Name = "Home", Score = home },
        Away = new TeamScore { Id = "a", Name = "Away", Score = 0 },
        Status = status,
        Period = 1,
        StartsAt = Today,
        Incidents = [],
    };

    [Fact]
    public async Task First_change_starts_history_at_seq_1_and_each_change_adds_exactly_1()
    {
        var (store, _, _) = await redis.NewStoreAsync(NewOptions());
        var first = await store.ApplyAsync(new MatchChange { State = Match("m1") });
        var second = await store.ApplyAsync(new MatchChange { State = Match("m1", home: 1) });

        Assert.Equal(ApplyOutcome.Applied, first.Outcome);
        Assert.Equal(1, first.Seq);
        Assert.Equal(2, second.Seq);
        Assert.Equal(first.Epoch, second.Epoch);
        Assert.Matches("^[0-9a-f]{16}$", first.Epoch);
        Assert.Equal(2, second.Update!.Seq);
        Assert.Equal(second.Epoch, second.Update.State.Epoch);
        Assert.Null(second.Update.State.Incidents);
        var stored = await store.GetAsync("m1");
        Assert.Equal(1, stored!.Home.Score);
        Assert.Equal(2, stored.Seq);
    }

    [Fact]
    public async Task Same_state_again_is_unchanged_and_takes_no_seq()
    {
        var (store, _, _) = await redis.NewStoreAsync(NewOptions());
        await store.ApplyAsync(new MatchChange { State = Match("m1", home: 1) });
        var again = await store.ApplyAsync(new MatchChange { State = Match("m1", home: 1) });
        var next = await store.ApplyAsync(new MatchChange { State = Match("m1", home: 2) });

        Assert.Equal(ApplyOutcome.Unchanged, again.Outcome);
        Assert.Null(again.Update);
        Assert.Equal(2, next.Seq);
    }

    [Fact]
    public async Task Older_provider_versions_are_stale_and_a_repeated_version_applies_only_what_it_changes()
    {
        var (store, _, _) = await redis.NewStoreAsync(NewOptions());
        MatchChange Change(int home, long version) => new() { State = Match("m1", home), ProviderKey = "vendor", ProviderVersion = version };

        Assert.Equal(ApplyOutcome.Applied, (await store.ApplyAsync(Change(1, 500))).Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, (await store.ApplyAsync(Change(1, 500))).Outcome);
        Assert.Equal(ApplyOutcome.Stale, (await store.ApplyAsync(Change(3, 499))).Outcome);
        // Versions can be coarse (a response Date to the second): the same version with new content is news.
        Assert.Equal(ApplyOutcome.Applied, (await store.ApplyAsync(Change(2, 500))).Outcome);
        var newer = await store.ApplyAsync(Change(4, 501));
        Assert.Equal(ApplyOutcome.Applied, newer.Outcome);
        Assert.Equal(3, newer.Seq);
        Assert.Equal(ApplyOutcome.Stale, (await store.ApplyAsync(Change(2, 500))).Outcome);
        // Another provider's versions are its own.
        Assert.Equal(ApplyOutcome.Applied, (await store.ApplyAsync(new MatchChange { State = Match("m1", 5), ProviderKey = "other", ProviderVersion = 1 })).Outcome);
        Assert.Equal(4, (await store.GetAsync("m1"))!.Seq);
    }

    [Fact]
    public async Task A_stale_expected_seq_is_a_conflict_and_changes_nothing()
    {
        var (store, _, _) = await redis.NewStoreAsync(NewOptions());
        await store.ApplyAsync(new MatchChange { State = Match("m1"), ExpectedSeq = 0 });
        await store.ApplyAsync(new MatchChange { State = Match("m1", 1), ExpectedSeq = 1 });

        var conflict = await store.ApplyAsync(new MatchChange { State = Match("m1", 5), ExpectedSeq = 1 });

        Assert.Equal(ApplyOutcome.Conflict, conflict.Outcome);
        Assert.Equal(2, conflict.Seq);
        Assert.Equal(1, (await store.GetAsync("m1"))!.Home.Score);
    }

    [Fact]
    public async Task Hundreds_of_concurrent_writers_on_two_connections_get_contiguous_unique_seqs()
    {
        var options = NewOptions();
        var (storeA, _, _) = await redis.NewStoreAsync(options);
        var (storeB, _, _) = await redis.NewStoreAsync(options);
        const int Writes = 400;

        var results = await Task.WhenAll(Enumerable.Range(1, Writes).Select(i =>
            (i % 2 == 0 ? storeA : storeB).ApplyAsync(new MatchChange { State = Match("hot", home: i) }))).Within(TimeSpan.FromSeconds(30));

        Assert.All(results, r => Assert.Equal(ApplyOutcome.Applied, r.Outcome));
        Assert.Equal(Enumerable.Range(1, Writes).Select(i => (long)i), results.Select(r => r.Seq).Order());
        Assert.Single(results.Select(r => r.Epoch).Distinct());
        // The history holds them in seq order with the state each one wrote.
        var read = await storeA.ReadAsync("hot", new StreamPosition { Epoch = results[0].Epoch, Seq = 0 });
        Assert.Equal(ReadMode.Recover, read!.Mode);
        Assert.Equal(Enumerable.Range(1, Writes).Select(i => (long)i), read.Missed.Select(u => u.Seq));
        var bySeq = results.ToDictionary(r => r.Seq, r => r.Update!.State.Home.Score);
        Assert.All(read.Missed, u => Assert.Equal(bySeq[u.Seq], u.State.Home.Score));
    }

    [Fact]
    public async Task Concurrent_compare_and_set_writers_never_both_win_the_same_seq()
    {
        var options = NewOptions();
        var (storeA, _, _) = await redis.NewStoreAsync(options);
        var (storeB, _, _) = await redis.NewStoreAsync(options);
        await storeA.ApplyAsync(new MatchChange { State = Match("cas") });

        var results = await Task.WhenAll(Enumerable.Range(1, 200).Select(i =>
            (i % 2 == 0 ? storeA : storeB).ApplyAsync(new MatchChange { State = Match("cas", home: i), ExpectedSeq = 1 })));

        Assert.Single(results, r => r.Outcome == ApplyOutcome.Applied);
        Assert.Equal(199, results.Count(r => r.Outcome == ApplyOutcome.Conflict));
        Assert.Equal(2, (await storeA.GetAsync("cas"))!.Seq);
    }

    [Fact]
    public async Task Read_recovers_exactly_the_updates_after_a_position_still_in_history()
    {
        var (store, _, _) = await redis.NewStoreAsync(NewOptions(historyLength: 50));
        ApplyResult last = null!;
        for (var i = 1; i <= 80; i++)
        {
            last = await store.ApplyAsync(new MatchChange { State = Match("m1", home: i) });
        }

        var recent = await store.ReadAsync("m1", new StreamPosition { Epoch = last.Epoch, Seq = 60 });
        var current = await store.ReadAsync("m1", new StreamPosition { Epoch = last.Epoch, Seq = 80 });
        var tooOld = await store.ReadAsync("m1", new StreamPosition { Epoch = last.Epoch, Seq = 29 });
        var oldestKept = await store.ReadAsync("m1", new StreamPosition { Epoch = last.Epoch, Seq = 30 });
        var otherEpoch = await store.ReadAsync("m1", new StreamPosition { Epoch = "0000000000000000", Seq = 79 });
        var ahead = await store.ReadAsync("m1", new StreamPosition { Epoch = last.Epoch, Seq = 81 });

        Assert.Equal(ReadMode.Recover, recent!.Mode);
        Assert.Equal(Enumerable.Range(61, 20).Select(i => (long)i), recent.Missed.Select(u => u.Seq));
        Assert.Equal(Enumerable.Range(61, 20), recent.Missed.Select(u => u.State.Home.Score));
        Assert.All(recent.Missed, u => Assert.Equal(last.Epoch, u.Epoch));
        Assert.Equal(ReadMode.Current, current!.Mode);
        Assert.Empty(current.Missed);
        Assert.Equal(ReadMode.Snapshot, tooOld!.Mode);
        Assert.Equal(ReadMode.Recover, oldestKept!.Mode);
        Assert.Equal(50, oldestKept.Missed.Count);
        Assert.Equal(ReadMode.Snapshot, otherEpoch!.Mode);
        Assert.Equal(ReadMode.Snapshot, ahead!.Mode);
        Assert.Equal(80, tooOld.State.Seq);
        Assert.Null(await store.ReadAsync("nope", null));
    }

    [Fact]
    public async Task History_drops_updates_older_than_its_max_age()
    {
        var (store, redisConnection, keys) = await redis.NewStoreAsync(NewOptions(maxAge: TimeSpan.FromSeconds(1)));
        var first = await store.ApplyAsync(new MatchChange { State = Match("m1", home: 1) });
        await store.ApplyAsync(new MatchChange { State = Match("m1", home: 2) });
        await Task.Delay(1200); // the age limit is the behaviour under test: let it pass

        await store.ApplyAsync(new MatchChange { State = Match("m1", home: 3) });

        Assert.Equal(1, await redisConnection.GetDatabase().StreamLengthAsync(keys.History("m1")));
        Assert.Equal(ReadMode.Snapshot, (await store.ReadAsync("m1", new StreamPosition { Epoch = first.Epoch, Seq = 1 }))!.Mode);
    }

    [Fact]
    public async Task Lost_history_starts_a_new_epoch_at_seq_1()
    {
        var (store, redisConnection, keys) = await redis.NewStoreAsync(NewOptions());
        var before = await store.ApplyAsync(new MatchChange { State = Match("m1", home: 1) });
        await redisConnection.GetDatabase().KeyDeleteAsync([keys.Match("m1"), keys.History("m1")]);

        var after = await store.ApplyAsync(new MatchChange { State = Match("m1", home: 1) });

        Assert.Equal(ApplyOutcome.Applied, after.Outcome);
        Assert.Equal(1, after.Seq);
        Assert.NotEqual(before.Epoch, after.Epoch);
    }

    [Fact]
    public async Task Redis_back_from_an_older_snapshot_never_issues_a_seq_twice_in_one_epoch()
    {
        var dir = Directory.CreateTempSubdirectory("sf-rewind-").FullName;
        await using var server = await RedisServer.StartAsync(RedisServer.WithSnapshots(dir));
        var options = NewOptions();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",abortConnect=false");
        var store = new MatchStore(redis, new RedisKeys(options.KeyPrefix), Microsoft.Extensions.Options.Options.Create(options));
        await store.ApplyAsync(new MatchChange { State = Match("m1") });
        await store.ApplyAsync(new MatchChange { State = Match("quiet") });
        var (firstProcess, _) = await store.IncarnationAsync();
        Assert.True(await store.MarkIncarnationAsync(firstProcess));
        var snapshot = await server.SnapshotAsync();
        var published = await store.ApplyAsync(new MatchChange { State = Match("m1", home: 1) }); // seq 2, then lost

        await server.RestartFromAsync(snapshot);
        await Wait.UntilAsync(() => redis.IsConnected, TimeSpan.FromSeconds(15), "the store to reconnect");
        var (secondProcess, checkedOn) = await store.IncarnationAsync();
        Assert.NotEqual(firstProcess, secondProcess);
        Assert.Equal(firstProcess, checkedOn); // the marker came back with the snapshot: the writer sees Redis changed
        var rewound = await store.GetAsync("m1");
        Assert.Equal((published.Epoch, 1L), (rewound!.Epoch, rewound.Seq)); // Redis holds less than fans got

        // The next change is seq 1 of a new epoch, not a second seq 2 of the old one; and the same state again moves
        // a quiet match to a new epoch too (its history may have lost what fans hold), then is unchanged as usual.
        var next = await store.ApplyAsync(new MatchChange { State = Match("m1", home: 2) });
        Assert.Equal(ApplyOutcome.Applied, next.Outcome);
        Assert.NotEqual(published.Epoch, next.Epoch);
        Assert.Equal(1, next.Seq);
        var quiet = (await store.GetAsync("quiet"))!;
        var reissued = await store.ApplyAsync(new MatchChange { State = quiet, Source = UpdateSources.Store });
        Assert.Equal((ApplyOutcome.Applied, 1L), (reissued.Outcome, reissued.Seq));
        Assert.NotEqual(quiet.Epoch, reissued.Epoch);
        Assert.Equal(ApplyOutcome.Unchanged, (await store.ApplyAsync(new MatchChange { State = quiet })).Outcome);
        var again = await store.ApplyAsync(new MatchChange { State = Match("m1", home: 3) });
        Assert.Equal((next.Epoch, 2L), (again.Epoch, again.Seq));
        Assert.True(await store.MarkIncarnationAsync(secondProcess));
        Assert.Equal((secondProcess, secondProcess), await store.IncarnationAsync());
    }

    [Fact]
    public async Task Indexes_follow_status_and_competition()
    {
        var (store, _, _) = await redis.NewStoreAsync(NewOptions());
        await store.ApplyAsync(new MatchChange { State = Match("a", status: MatchStatus.Scheduled, competition: "c1") });
        await store.ApplyAsync(new MatchChange { State = Match("b", status: MatchStatus.Live, competition: "c1") });
        await store.ApplyAsync(new MatchChange { State = Match("c", status: MatchStatus.Paused, competition: "c2") });
        Assert.Equal(["b", "c"], (await store.LiveMatchIdsAsync()).Order());

        await store.ApplyAsync(new MatchChange { State = Match("b", status: MatchStatus.Final, competition: "c1") });
        await store.ApplyAsync(new MatchChange { State = Match("c", status: MatchStatus.Paused, competition: "c1") });

        Assert.Equal(["c"], await store.LiveMatchIdsAsync());
        Assert.Equal(["a", "b", "c"], (await store.CompetitionMatchIdsAsync("c1")).Order());
        Assert.Empty(await store.CompetitionMatchIdsAsync("c2"));
        Assert.Equal(["a", "b", "c"], (await store.MatchIdsAsync()).Order());
    }

    [Fact]
    public async Task A_final_match_expires_after_the_retention_and_a_live_one_does_not()
    {
        var options = NewOptions();
        options.Retention = TimeSpan.FromMinutes(5);
        var (store, redisConnection, keys) = await redis.NewStoreAsync(options);
        await store.ApplyAsync(new MatchChange { State = Match("done", status: MatchStatus.Final) });
        await store.ApplyAsync(new MatchChange { State = Match("on", status: MatchStatus.Live) });

        var ttl = await redisConnection.GetDatabase().KeyTimeToLiveAsync(keys.Match("done"));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Null(await redisConnection.GetDatabase().KeyTimeToLiveAsync(keys.Match("on")));
    }

    [Fact]
    public async Task Matches_that_started_before_the_retention_window_leave_the_indexes()
    {
        var options = NewOptions();
        options.Retention = TimeSpan.FromHours(1);
        var (store, _, _) = await redis.NewStoreAsync(options);
        var longAgo = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeMilliseconds();
        await store.ApplyAsync(new MatchChange { State = Match("old", status: MatchStatus.Final, competition: "c1") with { StartsAt = longAgo } });
        await store.ApplyAsync(new MatchChange { State = Match("new", status: MatchStatus.Scheduled, competition: "c1") });

        Assert.Equal(["new"], await store.MatchIdsAsync());
        Assert.Equal(["new"], await store.CompetitionMatchIdsAsync("c1"));
    }

    [Fact]
    public async Task Invalid_ids_and_statuses_never_reach_redis()
    {
        var (store, _, _) = await redis.NewStoreAsync(NewOptions());
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyAsync(new MatchChange { State = Match("bad id") }));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyAsync(new MatchChange { State = Match("ok") with { Status = "halftime" } }));
        Assert.Empty(await store.MatchIdsAsync());
    }
}
