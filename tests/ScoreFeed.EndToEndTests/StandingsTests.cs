using System.Net;
using System.Net.Http.Json;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Redis;

namespace ScoreFeed.EndToEndTests;

/// <summary>The live table on <c>standings:{id}</c>: moved by play, final results and operators, through the real ingest.</summary>
[Collection(OperatorCollection.Name)]
public sealed class StandingsTests(OperatorCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_final_result_and_an_operator_correction_move_the_live_table()
    {
        var competition = "st-" + Guid.NewGuid().ToString("N")[..8];
        var table = StandingsDocument.IdFor(competition);
        var matchId = "stm-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Feed.CreateMatchAsync(matchId, competition);
        await using var onHubA = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        await using var onHubB = await TestClient.ConnectAsync(cluster.HubB.HubUrl, messagePack: true);
        var subscribed = await onHubA.SubscribeAsync([Topic.ForStandings(competition).Name]);
        await onHubB.SubscribeAsync([Topic.ForStandings(competition).Name]);

        // Kick-off: both teams on a provisional draw, live.
        var first = Assert.Single(subscribed.Matches);
        Assert.Equal(table, first.MatchId);
        Assert.True(first.Table!.Live);
        Assert.Equal([(1, true), (1, true)], first.Table.Rows.Select(r => (r.Points, r.Live)));

        var goal = await cluster.Feed.GoalAsync(matchId, TeamSides.Home, "Okafor");
        await WaitForAsync([onHubA, onHubB], table, t => t.Rows[0] is { TeamId: "t-home", Points: 3, Live: true }, "the goal to lift the home team");

        var final = await cluster.Feed.Updater.UpdateAsync(matchId, current => new MatchChange
        {
            State = current! with { Status = MatchStatus.Final, Clock = current.Clock with { Running = false } },
        }, CancellationToken.None).Within();
        await WaitForAsync([onHubA, onHubB], table,
            t => !t.Live && t.Rows[0] is { TeamId: "t-home", Points: 3, Won: 1, Form: "W", Live: false } && t.Rows[1] is { Lost: 1, Form: "L" },
            "the final result in the table");

        // The goal is disallowed after the whistle: the table moves back to a draw.
        using var response = await cluster.CorrectAsync(matchId, $$"""
            { "home": 0, "incident": { "id": "{{goal.Incident!.Id}}", "removed": true },
              "reason": "goal disallowed (VAR: offside)", "expectedSeq": {{final!.Seq}} }
            """, user: "chief");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WaitForAsync([onHubA, onHubB], table, t => t.Rows.All(r => r is { Points: 1, Drawn: 1, Form: "D" }), "the correction in the table");
        var corrected = onHubA.Received.Last(u => u.MatchId == table);
        Assert.Equal(UpdateSources.Operator, corrected.Source);
        Assert.Equal(0, onHubA.Tracker.Gaps);
        Assert.Equal(0, onHubB.Tracker.Gaps);

        // The read API serves the same table, at the same position.
        await Wait.UntilAsync(async () => (await StandingsSeqAsync(competition)) == onHubA.State(table)!.Seq, Patience, "the read API to catch up");
        var served = await _http.GetFromJsonAsync(new Uri(cluster.HubB.BaseAddress, $"/api/v1/competitions/{competition}/standings"),
            ScoreFeedJsonContext.Default.MatchState);
        Assert.Equal(onHubA.State(table)!.Table!.Rows, served!.Table!.Rows);
    }

    [Fact]
    public async Task A_basketball_competition_has_a_table_of_its_own_sport()
    {
        var competition = "bt-" + Guid.NewGuid().ToString("N")[..8];
        var table = StandingsDocument.IdFor(competition);
        var matchId = "btm-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Feed.CreateBasketballMatchAsync(matchId, competition);
        await using var fan = await TestClient.ConnectAsync(cluster.HubA.HubUrl, messagePack: true);
        var subscribed = await fan.SubscribeAsync([Topic.ForStandings(competition).Name]);

        // Tip-off, level: played and live, nothing decided.
        var first = Assert.Single(subscribed.Matches);
        Assert.Equal(Sports.Basketball, first.Sport);
        Assert.Equal([(1, 0, 0, true), (1, 0, 0, true)], first.Table!.Rows.Select(r => (r.Played, r.Won + r.Lost, r.Points, r.Live)));

        await cluster.Feed.Updater.UpdateAsync(matchId, current => new MatchChange
        {
            State = current! with
            {
                Status = MatchStatus.Final, Period = 4, Clock = current.Clock with { Running = false },
                Home = current.Home with { Score = 88 }, Away = current.Away with { Score = 91 },
            },
        }, CancellationToken.None).Within();
        await WaitForAsync([fan], table,
            t => !t.Live && t.Rows[0] is { TeamId: "t-away", Won: 1, Points: 2, GoalsFor: 91, GoalsAgainst: 88, Form: "W" }
                && t.Rows[1] is { TeamId: "t-home", Lost: 1, Drawn: 0, Points: 1, Form: "L" },
            "the final result in the basketball table");
        Assert.Equal(Sports.Basketball, fan.State(table)!.Sport);
    }

    [Fact]
    public async Task Standings_of_unknown_or_invalid_competitions_are_refused_with_a_reason()
    {
        await using var fan = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        var result = await fan.SubscribeAsync([Topic.ForStandings("no-such-cup").Name, "standings:a b"]);

        Assert.Equal(["invalid id", "no standings for this competition"],
            result.Rejected.OrderBy(r => r.Topic, StringComparer.Ordinal).Select(r => r.Reason.Split(':')[0]));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri(cluster.HubA.BaseAddress, "/api/v1/competitions/no-such-cup/standings"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync(new Uri(cluster.HubA.BaseAddress, "/api/v1/competitions/a%20b/standings"))).StatusCode);
    }

    private async Task<long> StandingsSeqAsync(string competition)
    {
        var state = await _http.GetFromJsonAsync(new Uri(cluster.HubB.BaseAddress, $"/api/v1/competitions/{competition}/standings"),
            ScoreFeedJsonContext.Default.MatchState);
        return state?.Seq ?? 0;
    }

    private static async Task WaitForAsync(TestClient[] fans, string table, Func<StandingsTable, bool> holds, string what)
    {
        foreach (var fan in fans)
        {
            await Wait.UntilAsync(() => fan.State(table)?.Table is { } t && holds(t), Patience, what);
        }
    }
}
