using System.Net;
using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Redis;

namespace ScoreFeed.EndToEndTests;

/// <summary>Operator corrections through the real ingest process, seen by fans on both hubs.</summary>
[Collection(OperatorCollection.Name)]
public sealed class CorrectionTests(OperatorCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_disallowed_goal_is_corrected_for_every_fan_on_every_hub_and_audited_and_the_feed_does_not_undo_it()
    {
        var matchId = NewMatchId();
        await cluster.Feed.CreateMatchAsync(matchId);
        var goal = await cluster.Feed.GoalAsync(matchId, TeamSides.Home, "Okafor");
        await using var onHubA = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        await using var onHubB = await TestClient.ConnectAsync(cluster.HubB.HubUrl, messagePack: true);
        await onHubA.SubscribeAsync([Topic.ForMatch(matchId).Name]);
        await onHubB.SubscribeAsync([Topic.ForMatch(matchId).Name]);

        var sentAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var response = await cluster.CorrectAsync(matchId, $$"""
            { "home": 0, "incident": { "id": "{{goal.Incident!.Id}}", "removed": true },
              "reason": "goal disallowed (VAR: offside)", "expectedSeq": {{goal.Seq}} }
            """, user: "chief");
        var corrected = await OperatorCluster.ReadMatchAsync(response);

        Assert.Equal(goal.Seq + 1, corrected.State.Seq);
        Assert.Equal(0, corrected.State.Home.Score);
        Assert.Empty(corrected.State.Incidents!);
        Assert.Equal(["home", "incident:" + goal.Incident.Id], corrected.Pins.Keys.Order());
        Assert.Equal(1, corrected.Pins["home"].Feed.GetInt32());
        foreach (var fan in new[] { onHubA, onHubB })
        {
            await Wait.UntilAsync(() => fan.State(matchId)?.Seq == corrected.State.Seq, Patience, "the correction on a fan's client");
            var update = fan.Received.Single(u => u.Seq == corrected.State.Seq);
            Assert.Equal(UpdateSources.Operator, update.Source);
            Assert.Equal(0, update.State.Home.Score);
            Assert.Equal(goal.Incident.Id, update.Incident!.Id);
            Assert.True(update.Incident.Removed);
            Assert.Empty(fan.State(matchId)!.Incidents!);
        }

        var entry = Assert.Single((await cluster.AuditAsync(matchId)).Entries);
        Assert.Equal(("chief", AuditActions.Correction, "goal disallowed (VAR: offside)", corrected.State.Seq, corrected.AuditId),
            (entry.Operator, entry.Action, entry.Reason, entry.Seq, entry.Id));
        Assert.InRange(entry.At, sentAt - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
        Assert.Equal(1, entry.Before["home"].GetInt32());
        Assert.Equal(0, entry.After["home"].GetInt32());
        Assert.Equal("Okafor", entry.Before["incident:" + goal.Incident.Id].GetProperty("player").GetString());
        Assert.Equal(JsonValueKind.Null, entry.After["incident:" + goal.Incident.Id].ValueKind);
        Assert.Equal(["home", "incident:" + goal.Incident.Id], entry.Pinned.Order());

        // The feed carries on, still with the goal: fans keep the correction.
        var tick = await cluster.Feed.TickAsync(matchId);
        foreach (var fan in new[] { onHubA, onHubB })
        {
            await Wait.UntilAsync(() => fan.State(matchId)?.Seq == tick, Patience, "the next feed update on a fan's client");
            Assert.Equal(0, fan.State(matchId)!.Home.Score);
            Assert.Empty(fan.State(matchId)!.Incidents!);
            Assert.Equal(UpdateSources.Feed, fan.Received[^1].Source);
        }
    }

    [Fact]
    public async Task A_stale_expectedSeq_is_refused_with_409_and_the_current_state_so_two_operators_never_overwrite_each_other()
    {
        var matchId = NewMatchId();
        await cluster.Feed.CreateMatchAsync(matchId);
        var seq = await cluster.Feed.TickAsync(matchId);

        using var stale = await cluster.CorrectAsync(matchId, $$"""{ "home": 3, "reason": "decided on an old screen", "expectedSeq": {{seq - 1}} }""");
        var two = await Task.WhenAll(
            cluster.CorrectAsync(matchId, $$"""{ "home": 1, "reason": "first operator", "expectedSeq": {{seq}} }"""),
            cluster.CorrectAsync(matchId, $$"""{ "home": 2, "reason": "second operator", "expectedSeq": {{seq}} }""", user: "chief"));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await stale.Content.ReadAsStringAsync()))
        {
            Assert.Equal(seq, problem.RootElement.GetProperty("state").GetProperty("seq").GetInt64());
            Assert.Equal(0, problem.RootElement.GetProperty("state").GetProperty("home").GetProperty("score").GetInt32());
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], two.Select(r => r.StatusCode).Order());
        var winner = await OperatorCluster.ReadMatchAsync(two.Single(r => r.IsSuccessStatusCode));
        using (var loser = JsonDocument.Parse(await two.Single(r => !r.IsSuccessStatusCode).Content.ReadAsStringAsync()))
        {
            Assert.Equal(winner.State.Seq, loser.RootElement.GetProperty("state").GetProperty("seq").GetInt64());
        }
        Assert.Single((await cluster.AuditAsync(matchId)).Entries);
        foreach (var response in two)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("""{ "home": 1 }""", "reason")]
    [InlineData("""{ "home": 1, "reason": "   " }""", "reason")]
    [InlineData("""{ "reason": "nothing else" }""", "body")]
    [InlineData("""{ "home": -1, "reason": "r" }""", "home")]
    [InlineData("""{ "home": "two", "reason": "r" }""", "home")]
    [InlineData("""{ "hom": 1, "reason": "r" }""", "hom")]
    [InlineData("""{ "status": "halftime", "reason": "r" }""", "status")]
    [InlineData("""{ "clock": { "running": false }, "reason": "r" }""", "clock.seconds")]
    [InlineData("""{ "expectedSeq": -3, "home": 1, "reason": "r" }""", "expectedSeq")]
    [InlineData("""{ "incident": { "type": "goal", "seconds": 60 }, "reason": "r" }""", "incident.period")]
    [InlineData("""{ "incident": { "type": "header", "period": 1, "seconds": 60 }, "reason": "r" }""", "incident.type")]
    [InlineData("""{ "incident": { "removed": true }, "reason": "r" }""", "incident.id")]
    [InlineData("""{ "incident": { "id": "no-such-incident", "removed": true }, "reason": "r" }""", "incident.id")]
    [InlineData("""{ "home": 1, "reason": "r" """, "body")]
    public async Task An_invalid_correction_is_refused_with_400_naming_the_field(string body, string field)
    {
        var matchId = NewMatchId();
        await cluster.Feed.CreateMatchAsync(matchId);

        using var response = await cluster.CorrectAsync(matchId, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        Assert.Equal(1, (await cluster.PinsAsync(matchId)).State.Seq);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_before_it_is_read()
    {
        var matchId = NewMatchId();
        await cluster.Feed.CreateMatchAsync(matchId);

        using var response = await cluster.CorrectAsync(matchId, $$"""{ "home": 1, "reason": "{{new string('x', 100_000)}}" }""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too large", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_match_is_404_and_a_malformed_id_400()
    {
        using var unknown = await cluster.CorrectAsync("no-such-match", """{ "home": 1, "reason": "r" }""");
        using var malformed = await cluster.CorrectAsync("bad%20id", """{ "home": 1, "reason": "r" }""");
        using var unknownPins = await cluster.SendAsync(HttpMethod.Get, "/api/v1/matches/no-such-match/pins", await cluster.TokenAsync("viewer"));
        using var unknownAudit = await cluster.SendAsync(HttpMethod.Get, "/api/v1/matches/no-such-match/audit", await cluster.TokenAsync("viewer"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("\"id\"", await malformed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknownPins.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownAudit.StatusCode);
    }

    [Fact]
    public async Task An_operator_adds_and_amends_incidents_and_fans_see_both()
    {
        var matchId = NewMatchId();
        await cluster.Feed.CreateMatchAsync(matchId);
        await cluster.Feed.TickAsync(matchId); // the goal comes at 0:01, after the card added below
        var goal = await cluster.Feed.GoalAsync(matchId, TeamSides.Away, "Wrong Name");
        await using var fan = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        await fan.SubscribeAsync([Topic.ForMatch(matchId).Name]);

        var amended = await OperatorCluster.ReadMatchAsync(await cluster.CorrectAsync(matchId,
            $$"""{ "incident": { "id": "{{goal.Incident!.Id}}", "player": "Right Name" }, "reason": "wrong scorer" }"""));
        var added = await OperatorCluster.ReadMatchAsync(await cluster.CorrectAsync(matchId,
            """{ "incident": { "type": "yellow-card", "period": 1, "seconds": 0, "team": "home", "player": "Early" }, "reason": "missed card" }"""));

        Assert.Equal("Right Name", Assert.Single(amended.State.Incidents!).Player);
        Assert.Equal(["Early", "Right Name"], added.State.Incidents!.Select(i => i.Player));
        var cardId = added.State.Incidents![0].Id;
        Assert.StartsWith("op-", cardId, StringComparison.Ordinal);
        await Wait.UntilAsync(() => fan.State(matchId)?.Seq == added.State.Seq, Patience, "both corrections on the fan's client");
        Assert.Equal(added.State.Incidents!.Select(i => i.Id).Order(), fan.State(matchId)!.Incidents!.Select(i => i.Id).Order());
        Assert.Equal("Right Name", fan.State(matchId)!.Incidents!.Single(i => i.Id == goal.Incident.Id).Player);
    }

    [Fact]
    public async Task Correcting_the_score_moves_the_line_score_for_fans_and_the_feed_does_not_undo_it()
    {
        var matchId = NewMatchId();
        await cluster.Feed.CreateMatchAsync(matchId);
        // 1–1 in the second half, 1–0 at half-time, as a feed with a line score reports it.
        var feed = await cluster.Feed.Updater.UpdateAsync(matchId, current => new MatchChange
        {
            State = current! with
            {
                Home = current.Home with { Score = 1 },
                Away = current.Away with { Score = 1 },
                Period = 2,
                Lines = new LineScore { Periods = [new ScorePair(1, 0), new ScorePair(0, 1)] },
            },
        }, CancellationToken.None).Within();
        await using var fan = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        await fan.SubscribeAsync([Topic.ForMatch(matchId).Name]);

        // The first-half goal is disallowed, and a second-half one was missed.
        var corrected = await OperatorCluster.ReadMatchAsync(await cluster.CorrectAsync(matchId,
            $$"""{ "home": 0, "away": 2, "reason": "goal disallowed, goal missed", "expectedSeq": {{feed!.Seq}} }"""));

        var lines = new LineScore { Periods = [new ScorePair(0, 0), new ScorePair(0, 2)] };
        Assert.Equal(lines, corrected.State.Lines);
        await Wait.UntilAsync(() => fan.State(matchId)?.Seq == corrected.State.Seq, Patience, "the correction on the fan's client");
        Assert.Equal(lines, fan.State(matchId)!.Lines);

        var tick = await cluster.Feed.TickAsync(matchId);
        await Wait.UntilAsync(() => fan.State(matchId)?.Seq == tick, Patience, "the next feed update on the fan's client");
        Assert.Equal(lines, fan.State(matchId)!.Lines);
    }

    private static string NewMatchId() => "fix-" + Guid.NewGuid().ToString("N")[..8];
}
