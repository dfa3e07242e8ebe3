using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.EndToEndTests;

/// <summary>
/// A vendor's league table as the base of the live table (docs/standings.md, "Feed tables"): a real ingest polling a fake
/// vendor's matches and standings, a real hub, and a fan on <c>standings:fd-PL</c>.
/// </summary>
public sealed class FeedTableTests
{
    private const string Table = "standings:fd-PL";

    [Fact]
    public async Task The_vendors_table_is_the_base_the_match_in_play_and_its_final_are_added_to_and_never_counted_twice()
    {
        await using var system = await FeedSystem.StartAsync();
        // Today's matches: the store keeps a competition's matches for two days, and the table is made of those it keeps.
        var matches = FakeVendor.Load("footballdata-matches.json");
        foreach (var match in matches["matches"]!.AsArray())
        {
            match!["utcDate"] = DateTimeOffset.UtcNow.AddMinutes(-70).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        }
        var standings = WithChelsea(FakeVendor.Load("footballdata-standings.json"));
        system.Vendor.Serve("/v4/matches", matches);
        system.Vendor.Serve("/v4/competitions/PL/standings", standings);
        var ingest = await system.StartIngestAsync(system.Provider("FootballData", new()
        {
            ["Standings:0"] = "PL",
            ["StandingsInterval"] = "00:00:00.300",
        }));
        await using var fan = await TestClient.ConnectAsync(system.Hub.HubUrl);
        // Subscribed once the table is on the vendor's (a topic that does not exist yet is refused).
        await Wait.UntilAsync(async () => await TableAsync(system) is { Rows.Count: 5 }, FeedSystem.Patience, "the table on the vendor's");
        Assert.Single((await fan.SubscribeAsync([Table])).Matches);

        // Arsenal lead Chelsea 1-0 in play: the vendor's 13 games and 29 points, plus the live win, top the table.
        var live = await UntilAsync(fan, t => t.Live && t.Rows.Count == 5, "the live table on the vendor's");
        Assert.Equal(["fd-57", "fd-65", "fd-64", "fd-61", "fd-62"], live.Rows.Select(r => r.TeamId));
        Assert.Equal((14, 32, 27, 10, true, "WDWWL"), Line(live, "fd-57"));
        Assert.Equal((14, 20, 15, 16, true, "WDWWL"), Line(live, "fd-61"));
        Assert.Equal((13, 31, 30, 12, false, "WWWDW"), Line(live, "fd-65"));
        Assert.Equal((13, 27, 25, 13, false, ""), Line(live, "fd-64")); // form null at the vendor

        // Full time; the vendor's table has not counted it yet: the final is added (form now), no longer live.
        var finished = matches.DeepClone();
        finished["matches"]![0]!["status"] = "FINISHED";
        finished["matches"]![0]!["lastUpdated"] = "2026-03-14T17:00:00Z";
        system.Vendor.Serve("/v4/matches", finished);
        var final = await UntilAsync(fan, t => !t.Live, "the final result");
        Assert.Equal((14, 32, 27, 10, false, "WWDWW"), Line(final, "fd-57"));

        // The vendor counts it: its numbers are the table, the final is not added a second time.
        var counted = standings.DeepClone();
        var rows = counted["standings"]![0]!["table"]!.AsArray();
        Set(rows, 57, played: 14, won: 10, lost: 2, points: 32, goalsFor: 27, form: "W,W,D,W,W");
        Set(rows, 61, played: 14, won: 5, lost: 4, points: 20, goalsAgainst: 16, form: "L,W,D,W,W");
        system.Vendor.Serve("/v4/competitions/PL/standings", counted);
        await system.UntilPolledAsync(3, r => r.PathAndQuery.Contains("/standings", StringComparison.Ordinal));
        var afterVendor = fan.State(Table)!.Table!;
        Assert.Equal((14, 32, 27, 10, false, "WWDWW"), Line(afterVendor, "fd-57"));
        Assert.Equal(14, afterVendor.Rows.Single(r => r.TeamId == "fd-61").Played);

        // A broken table changes nothing and is counted as a failed table poll; the matches keep flowing.
        var seq = fan.State(Table)!.Seq;
        system.Vendor.FailAll("/v4/competitions/PL/standings", new VendorFault.Body("""{ "standings": [ { "type": "TOTAL", "table": [ { "position": "first" } ] } ] }"""));
        await system.UntilPolledAsync(3, r => r.PathAndQuery.Contains("/standings", StringComparison.Ordinal));
        Assert.Equal(seq, fan.State(Table)!.Seq);
        var metrics = await system.MetricsAsync(ingest);
        Assert.True(Prometheus.Sum(metrics, "scorefeed_ingest_feed_polls_total", "outcome=\"table-failed\"") > 0);
        Assert.True(Prometheus.Sum(metrics, "scorefeed_ingest_feed_polls_total", "outcome=\"table-ok\"") > 0);
        Assert.Equal(0, fan.Tracker.Gaps);
        Assert.Equal(0, fan.Tracker.Duplicates);
        Assert.All(system.Vendor.Requests.Where(r => r.PathAndQuery.Contains("/standings", StringComparison.Ordinal)),
            r => Assert.Equal("test-key-FootballData", r.Headers["x-auth-token"]));
    }

    private static (int Played, int Points, int GoalsFor, int GoalsAgainst, bool Live, string Form) Line(StandingsTable table, string teamId) =>
        table.Rows.Single(r => r.TeamId == teamId) is var r ? (r.Played, r.Points, r.GoalsFor, r.GoalsAgainst, r.Live, r.Form) : default;

    private static async Task<StandingsTable?> TableAsync(FeedSystem system)
    {
        using var response = await system.Http.GetAsync(new Uri(system.Hub.BaseAddress, "/api/v1/competitions/fd-PL/standings"));
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync(ScoreFeedJsonContext.Default.MatchState))?.Table : null;
    }

    private static async Task<StandingsTable> UntilAsync(TestClient fan, Func<StandingsTable, bool> condition, string what)
    {
        await Wait.UntilAsync(() => fan.State(Table)?.Table is { } t && condition(t), FeedSystem.Patience, what);
        return fan.State(Table)!.Table!;
    }

    /// <summary>The recorded table with Chelsea (4th) and Everton (5th), so both teams of the live match are in it.</summary>
    private static JsonNode WithChelsea(JsonNode standings)
    {
        var rows = standings["standings"]![0]!["table"]!.AsArray();
        rows.Add(JsonNode.Parse("""
            { "position": 4, "team": { "id": 61, "name": "Chelsea FC" }, "playedGames": 13, "form": "W,D,W,W,L",
              "won": 5, "draw": 5, "lost": 3, "points": 20, "goalsFor": 15, "goalsAgainst": 15, "goalDifference": 0 }
            """));
        rows.Add(JsonNode.Parse("""
            { "position": 5, "team": { "id": 62, "name": "Everton FC" }, "playedGames": 13, "form": "L,L,D,W,L",
              "won": 3, "draw": 4, "lost": 6, "points": 13, "goalsFor": 11, "goalsAgainst": 18, "goalDifference": -7 }
            """));
        return standings;
    }

    private static void Set(JsonArray rows, int teamId, int played, int won, int lost, int points, string form, int? goalsFor = null, int? goalsAgainst = null)
    {
        var row = rows.Single(r => (int)r!["team"]!["id"]! == teamId)!;
        row["playedGames"] = played;
        row["won"] = won;
        row["lost"] = lost;
        row["points"] = points;
        row["form"] = form;
        if (goalsFor is { } f)
        {
            row["goalsFor"] = f;
        }
        if (goalsAgainst is { } a)
        {
            row["goalsAgainst"] = a;
        }
    }
}
