using System.Text.Json.Nodes;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests;

/// <summary>
/// Real HTTP feeds end to end: a fake vendor serving the documented formats (and faults), a real ingest process
/// polling it, a real hub, and a client with the reference client logic asserting what fans see.
/// </summary>
public sealed class FeedTests(ITestOutputHelper output)
{
    private const string FootballData = "FootballData";
    private const string ApiFootball = "ApiFootball";

    [Fact]
    public async Task FootballData_matches_reach_fans_once_per_change_and_repeats_older_payloads_and_gone_matches_change_nothing()
    {
        await using var system = await FeedSystem.StartAsync();
        var payload = FakeVendor.Load("footballdata-matches.json");
        system.Vendor.Serve("/v4/matches", payload);
        var ingest = await system.StartIngestAsync(system.Provider(FootballData));
        await system.UntilMatchAsync("fd-1004");
        await using var client = await TestClient.ConnectAsync(system.Hub.HubUrl);
        await client.SubscribeAsync(["match:fd-1001", "match:fd-1002", "match:fd-1003", "match:fd-1004"]);

        var live = client.State("fd-1001")!;
        Assert.Equal(("fd-PL", "fd-57", "Arsenal FC", 1, "fd-61", "Chelsea FC", 0), (live.CompetitionId, live.Home.Id, live.Home.Name, live.Home.Score, live.Away.Id, live.Away.Name, live.Away.Score));
        Assert.Equal((MatchStatus.Live, 2, true), (live.Status, live.Period, live.Clock.Running));
        Assert.InRange(live.Clock.Seconds, 62 * 60, 63 * 60);
        Assert.Equal(Ms("2026-03-14T15:00:00Z"), live.StartsAt);
        Assert.Collection(live.Incidents!,
            goal => Assert.Equal(("feed-g-h-23-0-1", IncidentTypes.Goal, TeamSides.Home, "Bukayo Saka", 1, 23 * 60), (goal.Id, goal.Type, goal.Team, goal.Player, goal.Period, goal.Seconds)),
            card => Assert.Equal((IncidentTypes.YellowCard, TeamSides.Away, "Moises Caicedo"), (card.Type, card.Team, card.Player)));
        Assert.Equal((MatchStatus.Scheduled, 0, 0), (client.State("fd-1002")!.Status, client.State("fd-1002")!.Period, client.State("fd-1002")!.Home.Score));
        Assert.Equal((MatchStatus.Final, 2, 2, 2), (client.State("fd-1003")!.Status, client.State("fd-1003")!.Period, client.State("fd-1003")!.Home.Score, client.State("fd-1003")!.Away.Score));
        var halfTime = client.State("fd-1004")!;
        Assert.Equal((MatchStatus.Paused, 1, false, 47 * 60), (halfTime.Status, halfTime.Period, halfTime.Clock.Running, halfTime.Clock.Seconds));
        Assert.All(system.Vendor.Requests, r => Assert.Equal("test-key-FootballData", r.Headers["x-auth-token"]));

        // Re-polls of the same payload (304 or 200) publish nothing.
        var seq = live.Seq;
        await system.UntilPolledAsync(5);
        Assert.Contains(system.Vendor.Requests, r => r.Status == 304);
        Assert.DoesNotContain(client.Received, u => u.MatchId == "fd-1001" && u.Seq > seq);

        // A goal and a card in one poll: two updates, one incident each, in seq order.
        var next = payload.DeepClone();
        var match = next["matches"]![0]!;
        match["minute"] = 64;
        match["lastUpdated"] = "2026-03-14T16:07:30Z";
        match["score"]!["fullTime"]!["home"] = 2;
        match["goals"]!.AsArray().Add(JsonNode.Parse("""{ "minute": 64, "injuryTime": null, "type": "PENALTY", "team": { "id": 57, "name": "Arsenal FC" }, "scorer": { "id": 3, "name": "Martin Ødegaard" }, "assist": null }"""));
        match["bookings"]!.AsArray().Add(JsonNode.Parse("""{ "minute": 63, "team": { "id": 61, "name": "Chelsea FC" }, "player": { "id": 9, "name": "Reece James" }, "card": "YELLOW_RED" }"""));
        system.Vendor.Serve("/v4/matches", next);
        await Wait.UntilAsync(() => client.State("fd-1001") is { Home.Score: 2, Incidents.Count: 4 }, FeedSystem.Patience, "the goal and the card");
        var updates = client.Received.Where(u => u.MatchId == "fd-1001" && u.Seq > seq).ToList();
        Assert.Equal([seq + 1, seq + 2], updates.Select(u => u.Seq));
        Assert.Equal([IncidentTypes.PenaltyGoal, IncidentTypes.RedCard], updates.Select(u => u.Incident!.Type).Order());
        Assert.Equal(2, updates[^1].State.Home.Score);
        Assert.Equal("second yellow", client.State("fd-1001")!.Incidents!.Single(i => i.Type == IncidentTypes.RedCard).Detail);

        // The same payload again, then an older one: dropped by the store, nothing reaches the fan.
        seq += 2;
        await system.UntilPolledAsync(3);
        system.Vendor.Serve("/v4/matches", payload);
        await system.UntilPolledAsync(4);
        Assert.Equal(2, client.State("fd-1001")!.Home.Score);

        // A match that leaves the list is not deleted.
        var without = next.DeepClone();
        without["matches"]!.AsArray().RemoveAt(0);
        system.Vendor.Serve("/v4/matches", without);
        await system.UntilPolledAsync(4);
        Assert.Equal(2, (await system.MatchAsync("fd-1001"))!.Home.Score);
        Assert.DoesNotContain(client.Received, u => u.MatchId == "fd-1001" && u.Seq > seq);
        Assert.Equal(0, client.Tracker.Gaps);
        Assert.Equal(0, client.Tracker.Duplicates);
        Assert.True(Prometheus.Sum(await system.MetricsAsync(ingest), "scorefeed_ingest_changes_total", "outcome=\"stale\"") > 0);
    }

    [Fact]
    public async Task ApiFootball_live_and_day_lists_map_statuses_clock_and_events_and_a_finished_match_gets_its_final_state()
    {
        await using var system = await FeedSystem.StartAsync();
        var live = FakeVendor.Load("apifootball-live.json");
        system.Vendor.Serve("/fixtures?live=", live);
        system.Vendor.Serve("/fixtures?date=", FakeVendor.Load("apifootball-today.json"));
        var ingest = await system.StartIngestAsync(system.Provider(ApiFootball));
        await system.UntilMatchAsync("af-5004");
        await system.UntilMatchAsync("af-5001");

        var second = (await system.MatchAsync("af-5001"))!;
        Assert.Equal(("af-39", "af-42", "Arsenal", 1, 0, MatchStatus.Live, 2), (second.CompetitionId, second.Home.Id, second.Home.Name, second.Home.Score, second.Away.Score, second.Status, second.Period));
        Assert.Equal(["feed-g-h-23-0-1", "feed-c-a-40-0-1", "feed-s-a-58-0-1"], second.Incidents!.Select(i => i.Id));
        Assert.Equal(("R. Sterling", "N. Jackson"), (second.Incidents![2].Player, second.Incidents[2].Detail));
        var halfTime = (await system.MatchAsync("af-5002"))!;
        Assert.Equal((MatchStatus.Paused, 1, 47 * 60, IncidentTypes.PenaltyGoal), (halfTime.Status, halfTime.Period, halfTime.Clock.Seconds, halfTime.Incidents!.Single().Type));
        Assert.Equal(MatchStatus.Scheduled, (await system.MatchAsync("af-5003"))!.Status);
        var shootOut = (await system.MatchAsync("af-5004"))!;
        Assert.Equal((MatchStatus.Final, 5, 1, 1), (shootOut.Status, shootOut.Period, shootOut.Home.Score, shootOut.Away.Score));
        Assert.Contains(system.Vendor.Requests, r => r.PathAndQuery == "/fixtures?live=all" && r.Headers["x-apisports-key"] == "test-key-ApiFootball");

        // 5001 ends: it leaves the live list, and the day's list (fetched at once) brings its final state.
        await using var client = await TestClient.ConnectAsync(system.Hub.HubUrl);
        await client.SubscribeAsync(["match:af-5001"]);
        var today = FakeVendor.Load("apifootball-today.json");
        var finished = live["response"]![0]!.DeepClone();
        finished["fixture"]!["status"] = JsonNode.Parse("""{ "long": "Match Finished", "short": "FT", "elapsed": 90, "extra": null }""");
        today["response"]!.AsArray().Add(finished);
        live["response"]!.AsArray().RemoveAt(0);
        system.Vendor.Serve("/fixtures?live=", live);
        system.Vendor.Serve("/fixtures?date=", today);
        await Wait.UntilAsync(() => client.State("af-5001")?.Status == MatchStatus.Final, FeedSystem.Patience, "af-5001 final");
        var final = client.State("af-5001")!;
        Assert.Equal((1, 0, 2, false), (final.Home.Score, final.Away.Score, final.Period, final.Clock.Running));
        Assert.Equal(3, final.Incidents!.Count);
        Assert.Equal(0, client.Tracker.Gaps);
    }

    [Fact]
    public async Task Faults_and_garbage_are_retried_or_rejected_item_by_item_counted_and_never_reach_fans()
    {
        await using var system = await FeedSystem.StartAsync();
        var payload = FakeVendor.Load("footballdata-matches.json");
        system.Vendor.Serve("/v4/matches", payload);
        var ingest = await system.StartIngestAsync(system.Provider(FootballData, new()
        {
            // Long enough that a sound response never times out on a loaded 2-core machine (a timed-out HTML page
            // is retried and consumes the next fault), short against the 3 s hangs and the byte-a-50-ms drips.
            ["Timeout"] = "00:00:01.500",
            ["MaxResponseBytes"] = "1000000",
        }));
        await system.UntilMatchAsync("fd-1004");
        await using var client = await TestClient.ConnectAsync(system.Hub.HubUrl);
        await client.SubscribeAsync(["match:fd-1001", "match:fd-1002", "match:fd-1003", "match:fd-1004"]);
        var seqs = new[] { "fd-1001", "fd-1002", "fd-1003", "fd-1004" }.ToDictionary(id => id, id => client.State(id)!.Seq);

        var started = DateTimeOffset.UtcNow;
        system.Vendor.Script(
            new VendorFault.Status(500), new VendorFault.Status(503),               // a failed poll: one attempt, one retry
            new VendorFault.Status(429, RetryAfterSeconds: 1),                      // retried after the vendor's Retry-After
            new VendorFault.Hang(TimeSpan.FromSeconds(3)), new VendorFault.Hang(TimeSpan.FromSeconds(3)),
            new VendorFault.SlowDrip(TimeSpan.FromMilliseconds(50)), new VendorFault.SlowDrip(TimeSpan.FromMilliseconds(50)),
            new VendorFault.Huge(50_000_000),
            new VendorFault.Body("<html><body><h1>Service temporarily unavailable</h1></body></html>", "text/html"),
            new VendorFault.Truncated(0.45),
            new VendorFault.Body("""{ "matches": 7 }"""),
            new VendorFault.Body("""{ "matches": [ { "id": 1001, "status": "IN_PLAY" """));
        await Wait.UntilAsync(() => system.Vendor.FaultsLeft == 0, FeedSystem.Patience, "the fault script to be served");
        await system.UntilPolledAsync(3, r => r.Status is 200 or 304);

        // One sound item among bad ones: it applies, the others are rejected one by one.
        var mixed = payload.DeepClone();
        var matches = mixed["matches"]!.AsArray();
        matches[0]!["score"]!["fullTime"]!["home"] = 3;
        matches[0]!["lastUpdated"] = "2026-03-14T16:20:00Z";
        matches[1]!["score"]!["fullTime"]!["home"] = -3;
        matches[1]!["lastUpdated"] = "2026-03-14T16:20:00Z";
        matches[2]!["status"] = "HALFWAY_THERE";
        matches[3]!["homeTeam"] = "Atleti";
        system.Vendor.Serve("/v4/matches", mixed);
        await Wait.UntilAsync(() => client.State("fd-1001")?.Home.Score == 3, FeedSystem.Patience, "the sound item");

        Assert.False(ingest.HasExited);
        Assert.Equal(seqs["fd-1001"] + 1, client.State("fd-1001")!.Seq);
        Assert.All(seqs.Where(s => s.Key != "fd-1001"), s => Assert.Equal(s.Value, client.State(s.Key)!.Seq));
        Assert.Single(client.Received);
        var requests = system.Vendor.Requests.Where(r => r.At >= started).ToList();
        var tooMany = requests.FindIndex(r => r.Status == 429);
        Assert.InRange((requests[tooMany + 1].At - requests[tooMany].At).TotalSeconds, 0.9, 5);
        var metrics = await system.MetricsAsync(ingest);
        output.WriteLine(string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("scorefeed_ingest_feed", StringComparison.Ordinal))));
        foreach (var reason in new[] { "not-json", "malformed-json", "wrong-shape", "too-large", "bad-score", "unknown-status", "wrong-type" })
        {
            Assert.True(Prometheus.Sum(metrics, "scorefeed_ingest_feed_rejected_total", "provider=\"FootballData\"", $"reason=\"{reason}\"") > 0, reason);
        }
        // Our retry alone handles the 500s: a second (standard) pipeline stacked under it would have hidden the failed poll.
        Assert.True(Prometheus.Sum(metrics, "scorefeed_ingest_feed_polls_total", "outcome=\"failed\"") > 0);
        Assert.Contains("rejected 1003: unknown-status", ingest.Output);
        Assert.Equal("Healthy", (await system.FeedHealthAsync(ingest, FootballData)).Status);
    }

    [Fact]
    public async Task The_secondary_provider_takes_a_mapped_match_over_while_the_primary_is_down_and_hands_it_back()
    {
        await using var system = await FeedSystem.StartAsync();
        var primary = FakeVendor.Load("footballdata-matches.json");
        var secondary = FakeVendor.Load("apifootball-live.json");
        var empty = JsonNode.Parse("""{ "get": "fixtures", "errors": [], "results": 0, "response": [] }""")!;
        system.Vendor.Serve("/v4/matches", primary);
        system.Vendor.Serve("/fixtures?live=", empty);
        system.Vendor.Serve("/fixtures?date=", empty);
        var ingest = await system.StartIngestAsync(
            // A generous per-attempt timeout: on a loaded machine two slow polls must not open the primary's circuit
            // before the test breaks it on purpose (the 500s below fail at once).
            system.Provider(FootballData, new() { ["Priority"] = "1", ["MaxRetries"] = "0", ["CircuitBreakAfter"] = "2", ["CircuitBreakDuration"] = "00:00:03", ["StaleAfter"] = "00:01:00", ["Timeout"] = "00:00:05" }),
            system.Provider(ApiFootball, new() { ["Priority"] = "2", ["PollInterval"] = "00:00:00.300" }),
            new() { ["Ingest:Mappings:ApiFootball:5001"] = "fd-1001" });
        await system.UntilMatchAsync("fd-1001");
        await using var client = await TestClient.ConnectAsync(system.Hub.HubUrl);
        await client.SubscribeAsync(["match:fd-1001"]);

        // Both healthy: the secondary, which says 2-0, is not applied over the primary's 1-0.
        secondary["response"]![0]!["goals"]!["home"] = 2;
        system.Vendor.Serve("/fixtures?live=", secondary);
        system.Vendor.Serve("/fixtures?date=", secondary);
        await system.UntilPolledAsync(6, r => r.PathAndQuery.StartsWith("/fixtures", StringComparison.Ordinal));
        var primaryHealth = await system.FeedHealthAsync(ingest, FootballData);
        Assert.True(client.State("fd-1001")!.Home.Score == 1, $"the secondary won while the primary was {primaryHealth.Status}: {primaryHealth.Data}");
        Assert.Null(await system.MatchAsync("af-5001"));

        // The primary fails: its circuit opens and the secondary's changes apply.
        system.Vendor.FailAll("/v4/", new VendorFault.Status(500));
        await Wait.UntilAsync(async () => (await system.FeedHealthAsync(ingest, FootballData)).Data.GetProperty("circuit").GetString() == "Open",
            FeedSystem.Patience, "the primary's circuit to open");
        await Wait.UntilAsync(() => client.State("fd-1001")?.Home.Score == 2, FeedSystem.Patience, "the secondary's 2-0");
        // A joined match keeps its identity (competition, teams, start): the secondary brings the play.
        Assert.Equal(("fd-PL", "fd-57", "Arsenal FC"), (client.State("fd-1001")!.CompetitionId, client.State("fd-1001")!.Home.Id, client.State("fd-1001")!.Home.Name));
        Assert.Equal("Degraded", (await system.FeedHealthAsync(ingest, FootballData)).Status);
        Assert.Contains("fd-1001 now follows ApiFootball instead of FootballData", ingest.Output);
        var metrics = await system.MetricsAsync(ingest);
        Assert.Equal(1, Prometheus.Sum(metrics, "scorefeed_ingest_feed_switches_total", "from=\"FootballData\"", "to=\"ApiFootball\""));
        Assert.Equal(1, Prometheus.Sum(metrics, "scorefeed_ingest_feed_circuit", "provider=\"FootballData\""));

        // The primary comes back (after its break) with 3-0 and wins again.
        primary["matches"]![0]!["score"]!["fullTime"]!["home"] = 3;
        primary["matches"]![0]!["lastUpdated"] = "2026-03-14T16:30:00Z";
        system.Vendor.Serve("/v4/matches", primary);
        system.Vendor.FailAll("/v4/", null);
        await Wait.UntilAsync(() => client.State("fd-1001")?.Home.Score == 3, FeedSystem.Patience, "the primary's 3-0");
        Assert.Contains("fd-1001 now follows FootballData instead of ApiFootball", ingest.Output);
        var seqs = client.Applied("fd-1001");
        Assert.Equal(Enumerable.Range((int)seqs[0], seqs.Count).Select(s => (long)s), seqs);
    }

    private static long Ms(string time) => DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
