using System.Net;
using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Redis;

namespace ScoreFeed.EndToEndTests;

/// <summary>Pins against the feed (ingest's real write path), releases, the audit and undo.</summary>
[Collection(OperatorCollection.Name)]
public sealed class PinAndAuditTests(OperatorCluster cluster)
{
    [Fact]
    public async Task Feed_updates_keep_a_pinned_value_and_the_pin_clears_itself_when_the_feed_reports_that_value()
    {
        var matchId = NewMatchId();
        await cluster.Feed.CreateMatchAsync(matchId);
        await cluster.Feed.GoalAsync(matchId, TeamSides.Home, "Offside");
        await OperatorCluster.ReadMatchAsync(await cluster.CorrectAsync(matchId, """{ "home": 0, "reason": "goal disallowed" }"""));

        var feedSawHome = -1;
        await SetHomeByFeedAsync(matchId, 3, seen => feedSawHome = seen);
        var whileFeedDisagrees = await cluster.PinsAsync(matchId);
        await SetHomeByFeedAsync(matchId, 0);
        var onceFeedAgrees = await cluster.PinsAsync(matchId);
        await SetHomeByFeedAsync(matchId, 1);
        var afterwards = await cluster.PinsAsync(matchId);

        // The feed derives from its own view (home 1), fans keep the operator's 0, operators see "feed says 3".
        Assert.Equal(1, feedSawHome);
        Assert.Equal(0, whileFeedDisagrees.State.Home.Score);
        Assert.Equal(3, whileFeedDisagrees.Pins["home"].Feed.GetInt32());
        Assert.Equal(0, whileFeedDisagrees.Pins["home"].Value.GetInt32());
        Assert.Equal("operator", whileFeedDisagrees.Pins["home"].By);
        Assert.Equal(0, onceFeedAgrees.State.Home.Score);
        Assert.Empty(onceFeedAgrees.Pins);
        Assert.Equal(1, afterwards.State.Home.Score);
        var cleared = (await cluster.AuditAsync(matchId)).Entries[^1];
        Assert.Equal(("feed", AuditActions.PinCleared), (cleared.Operator, cleared.Action));
        Assert.Equal(["home"], cleared.Released);
        Assert.Equal(onceFeedAgrees.State.Seq, cleared.Seq);
    }

    [Fact]
    public async Task Releasing_pins_shows_what_the_feed_says_and_lets_the_feed_drive_again()
    {
        var matchId = NewMatchId();
        await cluster.Feed.CreateMatchAsync(matchId);
        await OperatorCluster.ReadMatchAsync(await cluster.CorrectAsync(matchId, """{ "home": 5, "period": 2, "reason": "typo" }"""));
        await OperatorCluster.ReadMatchAsync(await cluster.CorrectAsync(matchId,
            """{ "incident": { "type": "red-card", "period": 1, "seconds": 30, "team": "away" }, "reason": "missed card" }"""));
        await cluster.Feed.TickAsync(matchId);
        var token = await cluster.TokenAsync("operator");

        var releasedHome = await OperatorCluster.ReadMatchAsync(await cluster.SendAsync(HttpMethod.Delete, $"/api/v1/matches/{matchId}/pins/home?reason=feed%20is%20right", token));
        using var notPinned = await cluster.SendAsync(HttpMethod.Delete, $"/api/v1/matches/{matchId}/pins/home", token);
        var releasedAll = await OperatorCluster.ReadMatchAsync(await cluster.SendAsync(HttpMethod.Delete, $"/api/v1/matches/{matchId}/pins", token));
        await SetHomeByFeedAsync(matchId, 2);

        Assert.Equal(0, releasedHome.State.Home.Score);
        Assert.Equal(2, releasedHome.State.Period);
        Assert.DoesNotContain("home", releasedHome.Pins.Keys);
        Assert.Equal(HttpStatusCode.NotFound, notPinned.StatusCode);
        Assert.Empty(releasedAll.Pins);
        Assert.Equal(1, releasedAll.State.Period);
        Assert.Empty(releasedAll.State.Incidents!);
        Assert.Equal(2, (await cluster.PinsAsync(matchId)).State.Home.Score);
        var releases = (await cluster.AuditAsync(matchId)).Entries.Where(e => e.Action == AuditActions.Release).ToList();
        Assert.Equal(["feed is right", "pin released", "pin released"], releases.Select(e => e.Reason));
        Assert.Equal(["home"], releases[0].Released);
        Assert.Equal(["period"], releases[1].Released); // release-all: every score/status/period/clock pin at once,
        Assert.StartsWith("incident:op-", Assert.Single(releases[2].Released), StringComparison.Ordinal); // then each incident
    }

    [Fact]
    public async Task Undo_restores_the_previous_values_as_a_new_audited_correction()
    {
        var matchId = NewMatchId();
        await cluster.Feed.CreateMatchAsync(matchId);
        var goal = await cluster.Feed.GoalAsync(matchId, TeamSides.Away, "Ruled Out");
        var corrected = await OperatorCluster.ReadMatchAsync(await cluster.CorrectAsync(matchId,
            $$"""{ "away": 0, "incident": { "id": "{{goal.Incident!.Id}}", "removed": true }, "reason": "looked offside" }"""));
        await using var fan = await TestClient.ConnectAsync(cluster.HubB.HubUrl);
        await fan.SubscribeAsync([Topic.ForMatch(matchId).Name]);
        var token = await cluster.TokenAsync("chief");
        var undoUrl = $"/api/v1/matches/{matchId}/audit/{corrected.AuditId}/undo";

        using var stale = await cluster.SendAsync(HttpMethod.Post, undoUrl, token, $$"""{ "reason": "VAR: onside", "expectedSeq": {{goal.Seq}} }""");
        using var noReason = await cluster.SendAsync(HttpMethod.Post, undoUrl, token, "{}");
        using var unknownEntry = await cluster.SendAsync(HttpMethod.Post, $"/api/v1/matches/{matchId}/audit/1-0/undo", token, """{ "reason": "r" }""");
        var undone = await OperatorCluster.ReadMatchAsync(await cluster.SendAsync(HttpMethod.Post, undoUrl, token,
            $$"""{ "reason": "VAR: onside", "expectedSeq": {{corrected.State.Seq}} }"""));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownEntry.StatusCode);
        Assert.Equal(corrected.State.Seq + 1, undone.State.Seq);
        Assert.Equal(1, undone.State.Away.Score);
        Assert.Equal("Ruled Out", Assert.Single(undone.State.Incidents!).Player);
        Assert.Empty(undone.Pins); // the restored values are what the feed says
        await Wait.UntilAsync(() => fan.State(matchId)?.Seq == undone.State.Seq, TimeSpan.FromSeconds(10), "the undo on the fan's client");
        Assert.Equal(goal.Incident.Id, Assert.Single(fan.State(matchId)!.Incidents!).Id);
        Assert.Equal(UpdateSources.Operator, fan.Received[^1].Source);

        var entries = (await cluster.AuditAsync(matchId)).Entries;
        Assert.Equal([AuditActions.Correction, AuditActions.Undo], entries.Select(e => e.Action));
        var undo = entries[1];
        Assert.Equal(("chief", "VAR: onside", corrected.AuditId), (undo.Operator, undo.Reason, undo.UndoOf));
        Assert.Equal(0, undo.Before["away"].GetInt32());
        Assert.Equal(1, undo.After["away"].GetInt32());
        Assert.Equal(JsonValueKind.Null, undo.Before["incident:" + goal.Incident.Id].ValueKind);
        Assert.Equal("Ruled Out", undo.After["incident:" + goal.Incident.Id].GetProperty("player").GetString());
        Assert.Equal(["away", "incident:" + goal.Incident.Id], undo.Released.Order());
    }

    /// <summary>The feed reports the home score as <paramref name="home"/>, through ingest's feed path.</summary>
    private async Task SetHomeByFeedAsync(string matchId, int home, Action<int>? seen = null)
    {
        await cluster.Feed.Updater.UpdateAsync(matchId, current =>
        {
            seen?.Invoke(current!.Home.Score);
            return new MatchChange { State = current! with { Home = current.Home with { Score = home }, Clock = current.Clock with { Seconds = current.Clock.Seconds + 1 } } };
        }, CancellationToken.None).Within();
    }

    private static string NewMatchId() => "pin-" + Guid.NewGuid().ToString("N")[..8];
}
