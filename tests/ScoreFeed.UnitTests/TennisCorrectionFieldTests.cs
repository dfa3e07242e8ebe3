using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Redis;
using ScoreFeed.Scoring;

namespace ScoreFeed.UnitTests;

/// <summary>Tennis's correctable fields (points, games, server) as pins and the audit hold them, without Redis.</summary>
public sealed class TennisCorrectionFieldTests
{
    private static readonly OperatorAction Fix = new("alice", AuditActions.Correction, "wrong point");

    /// <summary>Second set, 3–2 in games, 15–0, away serving, after a first set 6–4.</summary>
    private static readonly MatchState Tennis = new()
    {
        MatchId = "t1",
        Sport = Sports.Tennis,
        Status = MatchStatus.Live,
        Period = 2,
        Home = new TeamScore { Score = 1 },
        Tennis = new TennisScore
        {
            Sets = [new SetScore { Home = 6, Away = 4 }, new SetScore { Home = 3, Away = 2 }],
            Points = new ScorePair(1, 0),
            Server = TeamSides.Away,
        },
    };

    private static JsonElement Json(ScorePair pair) => JsonSerializer.SerializeToElement(pair, ScoreFeedJsonContext.Default.ScorePair);

    private static StoredMatch Stored(MatchState state, IReadOnlyDictionary<string, Pin>? pins = null) =>
        new(state, pins ?? new Dictionary<string, Pin>(), PinsVersion: 1);

    [Fact]
    public void Games_are_the_current_sets_and_setting_them_leaves_the_finished_sets_alone()
    {
        Assert.Equal(new ScorePair(3, 2), FieldValues.Get(Tennis, MatchFields.Games).Deserialize(ScoreFeedJsonContext.Default.ScorePair));
        Assert.Equal(TeamSides.Away, FieldValues.Get(Tennis, MatchFields.Server).GetString());

        var set = FieldValues.Set(Tennis, MatchFields.Games, Json(new ScorePair(2, 3)));

        Assert.Equal([new SetScore { Home = 6, Away = 4 }, new SetScore { Home = 2, Away = 3 }], set.Tennis!.Sets);
        Assert.Equal(Tennis.Tennis!.Points, set.Tennis.Points);
    }

    [Fact]
    public void A_match_that_is_not_tennis_has_no_tennis_fields_and_a_tennis_correction_of_it_is_refused()
    {
        var football = Tennis with { Sport = Sports.Football, Tennis = null };

        Assert.Equal(JsonValueKind.Null, FieldValues.Get(football, MatchFields.Points).ValueKind);
        Assert.Same(football, FieldValues.Set(football, MatchFields.Server, JsonSerializer.SerializeToElement("home")));
        var refused = CorrectionRequests.Resolve(new CorrectionRequest { Tennis = new TennisCorrection { Server = "home" }, Reason = "r" }, Stored(football), now: 1);
        Assert.Equal(("tennis", CorrectionStatus.Invalid), (refused.Refusal!.Field, refused.Refusal.Status));
    }

    [Fact]
    public void A_points_pin_holds_while_the_feed_plays_on_from_its_own_points_and_clears_when_the_feed_gets_there()
    {
        var correction = Pins.Correct(Stored(Tennis), [new(MatchFields.Points, Json(new ScorePair(2, 0)))], Fix, now: 1000)!;
        var stored = Stored(correction.State, correction.Pins);
        ScorePair? seen = null;

        // The feed saw 15–0 and plays a point to home: 30–0, which is what the operator had said.
        var next = Pins.ForFeed(stored, current =>
        {
            seen = current!.Tennis!.Points;
            return new MatchChange { State = current with { Tennis = TennisScoring.Point(current.Tennis, TeamSides.Home).Score } };
        })!;

        Assert.Equal(new ScorePair(1, 0), seen);
        Assert.Equal(new ScorePair(2, 0), next.State.Tennis!.Points);
        Assert.Empty(next.Pins!);
        Assert.Equal([MatchFields.Points], next.Audit!.Released);
    }
}
