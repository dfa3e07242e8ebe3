using System.Net;
using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.EndToEndTests;

/// <summary>
/// Operators correct a tennis score — the current game's points, the current set's games, the server — through the
/// same corrections API as football: pinned against the feed, 409 on a stale seq, audited, released, undone.
/// </summary>
[Collection(OperatorCollection.Name)]
public sealed class TennisCorrectionTests(OperatorCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static string NewMatchId() => "tfix-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A tennis match at one game to love and 15–0 in the second game, away serving; returns the last update.</summary>
    private async Task<MatchUpdate> GameAndPointAsync(string matchId)
    {
        await cluster.Feed.CreateTennisMatchAsync(matchId);
        MatchUpdate last = null!;
        foreach (var _ in "hhhhh")
        {
            last = await cluster.Feed.PointAsync(matchId, TeamSides.Home);
        }
        return last;
    }

    private static ScorePair Pair(JsonElement value) => value.Deserialize(ScoreFeedJsonContext.Default.ScorePair)!;

    [Fact]
    public async Task Points_games_and_server_are_corrected_for_fans_pinned_against_the_feed_and_audited()
    {
        var matchId = NewMatchId();
        var last = await GameAndPointAsync(matchId);
        await using var fan = await TestClient.ConnectAsync(cluster.HubB.HubUrl, messagePack: true);
        await fan.SubscribeAsync([Topic.ForMatch(matchId).Name]);

        var corrected = await OperatorCluster.ReadMatchAsync(await cluster.CorrectAsync(matchId, $$"""
            { "tennis": { "points": { "home": 1, "away": 2 }, "games": { "home": 0, "away": 1 }, "server": "home" },
              "reason": "the umpire gave the first game to the wrong player", "expectedSeq": {{last.Seq}} }
            """, user: "chief"));

        var tennis = corrected.State.Tennis!;
        Assert.Equal((new ScorePair(1, 2), new SetScore { Home = 0, Away = 1 }, TeamSides.Home), (tennis.Points, tennis.Sets[0], tennis.Server));
        Assert.Equal(["games", "points", "server"], corrected.Pins.Keys.Order());
        Assert.Equal(new ScorePair(1, 0), Pair(corrected.Pins["games"].Feed));
        Assert.Equal(TeamSides.Away, corrected.Pins["server"].Feed.GetString());
        await Wait.UntilAsync(() => fan.State(matchId)?.Seq == corrected.State.Seq, Patience, "the correction on the fan's client");
        Assert.Equal(UpdateSources.Operator, fan.Received[^1].Source);
        Assert.Equal(tennis, fan.State(matchId)!.Tennis);

        var entry = Assert.Single((await cluster.AuditAsync(matchId)).Entries);
        Assert.Equal(("chief", AuditActions.Correction, corrected.AuditId), (entry.Operator, entry.Action, entry.Id));
        Assert.Equal(new ScorePair(1, 0), Pair(entry.Before["points"]));
        Assert.Equal(new ScorePair(1, 2), Pair(entry.After["points"]));
        Assert.Equal((TeamSides.Away, TeamSides.Home), (entry.Before["server"].GetString(), entry.After["server"].GetString()));
        Assert.Equal(["games", "points", "server"], entry.Pinned.Order());

        // The feed plays on from its own view (30–0 now): fans keep the operator's score, operators see "feed says".
        var next = await cluster.Feed.PointAsync(matchId, TeamSides.Home);
        await Wait.UntilAsync(() => fan.State(matchId)?.Seq == next.Seq, Patience, "the next point on the fan's client");
        Assert.Equal(tennis, fan.State(matchId)!.Tennis);
        var pins = await cluster.PinsAsync(matchId);
        Assert.Equal(new ScorePair(2, 0), Pair(pins.Pins["points"].Feed));
        Assert.Equal(UpdateSources.Feed, fan.Received[^1].Source);
    }

    [Fact]
    public async Task A_stale_tennis_correction_is_409_with_the_current_score_and_a_football_match_has_no_tennis_to_correct()
    {
        var matchId = NewMatchId();
        var last = await GameAndPointAsync(matchId);
        var football = NewMatchId();
        await cluster.Feed.CreateMatchAsync(football);

        using var stale = await cluster.CorrectAsync(matchId, $$"""{ "tennis": { "server": "home" }, "reason": "old screen", "expectedSeq": {{last.Seq - 1}} }""");
        using var notTennis = await cluster.CorrectAsync(football, """{ "tennis": { "server": "home" }, "reason": "wrong match" }""");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        using (var problem = JsonDocument.Parse(await stale.Content.ReadAsStringAsync()))
        {
            var state = problem.RootElement.GetProperty("state");
            Assert.Equal(last.Seq, state.GetProperty("seq").GetInt64());
            Assert.Equal(TeamSides.Away, state.GetProperty("tennis").GetProperty("server").GetString());
        }
        Assert.Equal(HttpStatusCode.BadRequest, notTennis.StatusCode);
        using (var problem = JsonDocument.Parse(await notTennis.Content.ReadAsStringAsync()))
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("tennis", out _), problem.RootElement.ToString());
        }
        Assert.Empty((await cluster.AuditAsync(matchId)).Entries);
        Assert.Equal(last.Seq, (await cluster.PinsAsync(matchId)).State.Seq);
    }

    [Theory]
    [InlineData("""{ "tennis": { "server": "umpire" }, "reason": "r" }""", "tennis.server")]
    [InlineData("""{ "tennis": { "points": { "home": 1 } }, "reason": "r" }""", "tennis.points.away")]
    [InlineData("""{ "tennis": { "games": { "home": 100, "away": 0 } }, "reason": "r" }""", "tennis.games.home")]
    [InlineData("""{ "tennis": { "points": { "home": -1, "away": 0 } }, "reason": "r" }""", "tennis.points.home")]
    [InlineData("""{ "tennis": { }, "reason": "r" }""", "body")]
    [InlineData("""{ "tennis": { "server": "home" } }""", "reason")]
    public async Task An_invalid_tennis_correction_is_refused_with_400_naming_the_field(string body, string field)
    {
        var matchId = NewMatchId();
        var last = await GameAndPointAsync(matchId);

        using var response = await cluster.CorrectAsync(matchId, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        Assert.Equal(last.Seq, (await cluster.PinsAsync(matchId)).State.Seq);
    }

    [Fact]
    public async Task A_released_server_pin_takes_the_feeds_value_and_undo_restores_the_points()
    {
        var matchId = NewMatchId();
        await GameAndPointAsync(matchId);
        var corrected = await OperatorCluster.ReadMatchAsync(await cluster.CorrectAsync(matchId,
            """{ "tennis": { "points": { "home": 0, "away": 0 }, "server": "home" }, "reason": "point replayed" }"""));
        var token = await cluster.TokenAsync("operator");

        var released = await OperatorCluster.ReadMatchAsync(await cluster.SendAsync(HttpMethod.Delete, $"/api/v1/matches/{matchId}/pins/server?reason=away%20serves", token));
        var undone = await OperatorCluster.ReadMatchAsync(await cluster.SendAsync(HttpMethod.Post,
            $"/api/v1/matches/{matchId}/audit/{corrected.AuditId}/undo", token, """{ "reason": "the point stood" }"""));

        Assert.Equal((TeamSides.Away, new ScorePair(0, 0)), (released.State.Tennis!.Server, released.State.Tennis.Points));
        Assert.Equal(["points"], released.Pins.Keys);
        Assert.Equal((TeamSides.Away, new ScorePair(1, 0)), (undone.State.Tennis!.Server, undone.State.Tennis.Points));
        Assert.Empty(undone.Pins); // the restored values are what the feed says
        var entries = (await cluster.AuditAsync(matchId)).Entries;
        Assert.Equal([AuditActions.Correction, AuditActions.Release, AuditActions.Undo], entries.Select(e => e.Action));
        Assert.Equal(["server"], entries[1].Released);
    }
}
