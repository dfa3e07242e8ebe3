using ScoreFeed.Contract;
using ScoreFeed.Ingest.Feeds;

namespace ScoreFeed.UnitTests;

/// <summary>How a vendor's view becomes the match's next state: nothing new derives the same state, one incident per change.</summary>
public sealed class FeedMergerTests
{
    private const long Now = 1_773_504_000_000;

    private static Incident Goal(int minute, string side = TeamSides.Home, string player = "Saka") =>
        new() { Id = $"feed-g-{side[0]}-{minute}-0-1", Type = IncidentTypes.Goal, Period = minute <= 45 ? 1 : 2, Seconds = minute * 60, Team = side, Player = player };

    private static FeedMatch Feed(int home = 1, int? minute = 62, long version = 1000, params Incident[] incidents) => new()
    {
        VendorId = "1001",
        MatchId = "fd-1001",
        CompetitionId = "fd-PL",
        Home = new TeamScore { Id = "fd-57", Name = "Arsenal FC", Score = home },
        Away = new TeamScore { Id = "fd-61", Name = "Chelsea FC", Score = 0 },
        Status = MatchStatus.Live,
        Period = 2,
        ClockSeconds = minute * 60,
        StartsAt = Now - 4_000_000,
        Incidents = incidents,
        IncidentClasses = "g",
        Version = version,
    };

    private static string Json(MatchState state) => System.Text.Json.JsonSerializer.Serialize(state, ScoreFeedJsonContext.Default.MatchState);

    /// <summary>The state as the store would hand it back after applying a change.</summary>
    private static MatchState Stored(FeedStep step) => step.Change.State with { Seq = 1, Epoch = "e" };

    [Fact]
    public void The_same_payload_again_derives_the_same_state_with_a_version_the_store_drops()
    {
        var first = FeedMerger.Next(null, Feed(incidents: Goal(23)), "footballdata", Now);
        var again = FeedMerger.Next(Stored(first), Feed(incidents: Goal(23)), "footballdata", Now + 20_000);

        // The store compares serialized bodies.
        Assert.Equal(Json(first.Change.State), Json(again.Change.State));
        Assert.Equal(first.Change.ProviderVersion, again.Change.ProviderVersion);
        Assert.Null(again.Change.Incident);
        Assert.False(again.More);
    }

    [Fact]
    public void A_running_clock_that_agrees_with_the_vendor_minute_is_kept_and_one_that_drifted_is_set_again()
    {
        var first = Stored(FeedMerger.Next(null, Feed(minute: 62), "fd", Now));

        var agrees = FeedMerger.Next(first, Feed(minute: 63), "fd", Now + 65_000);
        var drifted = FeedMerger.Next(first, Feed(minute: 70), "fd", Now + 65_000);

        Assert.Same(first.Clock, agrees.Change.State.Clock);
        Assert.Equal(new MatchClock { Running = true, Seconds = 70 * 60, At = Now + 65_000 }, drifted.Change.State.Clock);
    }

    [Fact]
    public void Two_new_incidents_in_one_payload_become_two_changes_with_rising_versions()
    {
        var start = Stored(FeedMerger.Next(null, Feed(incidents: Goal(23)), "fd", Now));
        var payload = Feed(home: 2, version: 2000, incidents: [Goal(23), Goal(64), Goal(66, TeamSides.Away)]);

        var step1 = FeedMerger.Next(start, payload, "fd", Now);
        var step2 = FeedMerger.Next(Stored(step1), payload, "fd", Now);

        Assert.True(step1.More);
        Assert.Equal(Goal(64), step1.Change.Incident);
        Assert.Equal(2, step1.Change.State.Incidents!.Count);
        Assert.False(step2.More);
        Assert.Equal(Goal(66, TeamSides.Away), step2.Change.Incident);
        Assert.Equal(3, step2.Change.State.Incidents!.Count);
        Assert.True(step2.Change.ProviderVersion > step1.Change.ProviderVersion);
        Assert.True(step1.Change.ProviderVersion > start.Incidents!.Count + 1000 * FeedMerger.VersionSteps);
    }

    [Fact]
    public void A_corrected_incident_keeps_its_id_and_is_carried_as_amended()
    {
        var start = Stored(FeedMerger.Next(null, Feed(incidents: Goal(23, player: "Saka")), "fd", Now));

        var step = FeedMerger.Next(start, Feed(version: 2000, incidents: Goal(23, player: "B. Saka")), "fd", Now);

        Assert.Equal("B. Saka", step.Change.Incident!.Player);
        Assert.Equal("B. Saka", Assert.Single(step.Change.State.Incidents!).Player);
    }

    [Fact]
    public void Operator_incidents_and_unreported_classes_stay_and_a_removed_goal_goes()
    {
        var timeout = new Incident { Id = "op-1", Type = IncidentTypes.Timeout, Period = 2, Seconds = 3000 };
        var card = new Incident { Id = "feed-c-a-40-0-1", Type = IncidentTypes.YellowCard, Period = 1, Seconds = 2400, Team = TeamSides.Away };
        var start = Stored(FeedMerger.Next(null, Feed(incidents: Goal(23)), "fd", Now)) is var s
            ? s with { Incidents = [.. s.Incidents!, timeout, card] } : null!;

        var step = FeedMerger.Next(start, Feed(home: 0, version: 2000), "fd", Now);

        Assert.Equal(["feed-c-a-40-0-1", "op-1"], step.Change.State.Incidents!.Select(i => i.Id));
    }

    [Fact]
    public void A_joined_match_keeps_its_identity_and_takes_the_play()
    {
        var start = Stored(FeedMerger.Next(null, Feed(), "fd", Now));
        var other = Feed(home: 2, version: 5) with
        {
            MatchId = "fd-1001",
            Joined = true,
            CompetitionId = "af-39",
            Home = new TeamScore { Id = "af-42", Name = "Arsenal", Score = 2 },
        };

        var state = FeedMerger.Next(start, other, "af", Now).Change.State;

        Assert.Equal(("fd-PL", "fd-57", "Arsenal FC", 2), (state.CompetitionId, state.Home.Id, state.Home.Name, state.Home.Score));
    }

    [Fact]
    public void Half_time_stops_the_clock_where_the_vendor_says_and_keeps_it_there()
    {
        var halfTime = Feed(minute: 47) with { Status = MatchStatus.Paused, Period = 1 };

        var first = Stored(FeedMerger.Next(null, halfTime, "fd", Now));
        var again = FeedMerger.Next(first, halfTime, "fd", Now + 60_000);

        Assert.Equal((false, 47 * 60), (first.Clock.Running, first.Clock.Seconds));
        Assert.Same(first.Clock, again.Change.State.Clock);
    }
}
