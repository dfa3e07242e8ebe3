using ScoreFeed.Client;
using ScoreFeed.Contract;

namespace ScoreFeed.UnitTests;

public sealed class MatchTrackerTests
{
    private static MatchState State(long seq, string epoch = "e1", int home = 0) => new()
    {
        MatchId = "m1",
        CompetitionId = "c1",
        Epoch = epoch,
        Seq = seq,
        Home = new TeamScore { Score = home },
        Incidents = [],
    };

    private static MatchUpdate Update(long seq, string epoch = "e1", Incident? incident = null) => new()
    {
        MatchId = "m1",
        CompetitionId = "c1",
        Epoch = epoch,
        Seq = seq,
        State = State(seq, epoch, home: (int)seq) with { Incidents = null },
        Incident = incident,
    };

    private static MatchTracker Subscribed(long seq)
    {
        var tracker = new MatchTracker();
        tracker.BeginSubscribe();
        tracker.CompleteSubscribe(new SubscribeResult { Matches = [State(seq)] });
        return tracker;
    }

    [Fact]
    public void The_next_seq_applies_and_duplicates_are_dropped()
    {
        var tracker = Subscribed(5);

        Assert.Equal(TrackerAction.None, tracker.OnUpdate(Update(6)));
        Assert.Equal(TrackerAction.None, tracker.OnUpdate(Update(6)));
        Assert.Equal(TrackerAction.None, tracker.OnUpdate(Update(4)));

        Assert.Equal(6, tracker["m1"]!.Seq);
        Assert.Equal(6, tracker["m1"]!.Home.Score);
        Assert.Equal(1, tracker.Applied);
        Assert.Equal(2, tracker.Duplicates);
    }

    [Fact]
    public void A_jump_asks_for_recovery_and_is_not_applied()
    {
        var tracker = Subscribed(5);

        Assert.Equal(TrackerAction.Recover, tracker.OnUpdate(Update(8)));

        Assert.Equal(5, tracker["m1"]!.Seq);
        Assert.Equal(1, tracker.Gaps);
        Assert.Equal(new StreamPosition { Epoch = "e1", Seq = 5 }, tracker.Positions()["m1"]);
    }

    [Fact]
    public void Recovered_updates_fill_the_gap_in_order()
    {
        var tracker = Subscribed(5);
        tracker.OnUpdate(Update(8));
        tracker.BeginSubscribe();

        var actions = tracker.CompleteSubscribe(new SubscribeResult { Recovered = [Update(6), Update(7), Update(8)] });

        Assert.Empty(actions);
        Assert.Equal(8, tracker["m1"]!.Seq);
    }

    [Fact]
    public void A_new_epoch_asks_for_a_resnapshot()
    {
        var tracker = Subscribed(5);

        Assert.Equal(TrackerAction.Resnapshot, tracker.OnUpdate(Update(1, epoch: "e2")));
        Assert.Equal("e1", tracker["m1"]!.Epoch);
        tracker.Forget("m1");
        Assert.False(tracker.Positions().ContainsKey("m1"));
    }

    [Fact]
    public void Updates_arriving_before_the_subscribe_result_are_held_then_applied_once()
    {
        var tracker = new MatchTracker();
        tracker.BeginSubscribe();
        // Published between the group join and the snapshot read (6), and after it (7, 8).
        tracker.OnUpdate(Update(6));
        tracker.OnUpdate(Update(7));
        tracker.OnUpdate(Update(8));
        Assert.Null(tracker["m1"]);

        var actions = tracker.CompleteSubscribe(new SubscribeResult { Matches = [State(6)] });

        Assert.Empty(actions);
        Assert.Equal(8, tracker["m1"]!.Seq);
        Assert.Equal(2, tracker.Applied);
        Assert.Equal(1, tracker.Duplicates);
    }

    [Fact]
    public void An_older_snapshot_does_not_undo_newer_live_updates()
    {
        var tracker = Subscribed(5);
        tracker.OnUpdate(Update(6));
        tracker.OnUpdate(Update(7));
        tracker.BeginSubscribe();

        tracker.CompleteSubscribe(new SubscribeResult { Matches = [State(6)] });

        Assert.Equal(7, tracker["m1"]!.Seq);
    }

    [Fact]
    public void An_unknown_match_is_adopted_from_its_first_update()
    {
        var tracker = new MatchTracker();
        var goal = new Incident { Id = "g1", Type = IncidentTypes.Goal };

        Assert.Equal(TrackerAction.None, tracker.OnUpdate(Update(12, incident: goal)));

        Assert.Equal(12, tracker["m1"]!.Seq);
        Assert.Equal([goal], tracker["m1"]!.Incidents);
    }

    [Fact]
    public void Incidents_are_added_and_amended_by_id()
    {
        var tracker = Subscribed(1);
        var goal = new Incident { Id = "g1", Type = IncidentTypes.Goal, Player = "Berg" };
        var card = new Incident { Id = "c1", Type = IncidentTypes.YellowCard };

        tracker.OnUpdate(Update(2, incident: goal));
        tracker.OnUpdate(Update(3, incident: card));
        tracker.OnUpdate(Update(4, incident: goal with { Player = "Costa" }));

        Assert.Equal([goal with { Player = "Costa" }, card], tracker["m1"]!.Incidents);
    }

    [Fact]
    public void An_incident_marked_removed_is_dropped()
    {
        var tracker = Subscribed(5);
        var goal = new Incident { Id = "g1", Type = IncidentTypes.Goal, Team = TeamSides.Home };
        var card = new Incident { Id = "c1", Type = IncidentTypes.YellowCard, Team = TeamSides.Away };

        tracker.OnUpdate(Update(6, incident: goal));
        tracker.OnUpdate(Update(7, incident: card));
        tracker.OnUpdate(Update(8, incident: goal with { Removed = true }));

        Assert.Equal(["c1"], tracker["m1"]!.Incidents!.Select(i => i.Id));
    }
}
