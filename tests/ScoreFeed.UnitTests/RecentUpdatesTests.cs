using Microsoft.Extensions.Time.Testing;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Fanout;

namespace ScoreFeed.UnitTests;

public sealed class RecentUpdatesTests
{
    private static MatchUpdate Update(long seq, string epoch = "e1", string matchId = "m1") => new()
    {
        MatchId = matchId,
        CompetitionId = "c1",
        Epoch = epoch,
        Seq = seq,
        State = new MatchState { MatchId = matchId, CompetitionId = "c1", Epoch = epoch, Seq = seq },
    };

    private static RecentUpdates With(int capacity, params long[] seqs)
    {
        var recent = new RecentUpdates(capacity, TimeProvider.System);
        foreach (var seq in seqs)
        {
            recent.Add(Update(seq));
        }
        return recent;
    }

    /// <summary>The seqs kept after the position; fails when the position is not covered.</summary>
    private static long[] After(RecentUpdates recent, long seq, string epoch = "e1")
    {
        Assert.True(recent.TryGetAfter("m1", new StreamPosition { Epoch = epoch, Seq = seq }, out var missed), $"{epoch}/{seq} covered");
        return [.. missed.Select(u => u.Seq)];
    }

    private static bool Covered(RecentUpdates recent, long seq, string epoch = "e1", string matchId = "m1") =>
        recent.TryGetAfter(matchId, new StreamPosition { Epoch = epoch, Seq = seq }, out _);

    [Fact]
    public void A_kept_position_gets_every_update_after_it_in_order_and_the_last_one_gets_none()
    {
        var recent = With(8, 3, 4, 5, 6);

        Assert.Equal([4, 5, 6], After(recent, 3));
        Assert.Equal([3, 4, 5, 6], After(recent, 2));
        Assert.Equal([], After(recent, 6));
    }

    [Fact]
    public void Positions_not_covered_go_to_Redis()
    {
        var recent = With(8, 3, 4, 5, 6);

        Assert.False(Covered(recent, 1));                  // update 2 is not kept
        Assert.False(Covered(recent, 7));                  // ahead of what this hub delivered
        Assert.False(Covered(recent, 4, epoch: "e0"));     // another epoch
        Assert.False(Covered(recent, 4, matchId: "m2"));   // a match never seen
        Assert.False(Covered(new RecentUpdates(0, TimeProvider.System), 4));    // turned off
    }

    [Fact]
    public void Only_the_last_updates_are_kept()
    {
        var recent = With(4, 1, 2, 3, 4, 5, 6, 7);

        Assert.Equal([4, 5, 6, 7], After(recent, 3));
        Assert.False(Covered(recent, 2));
    }

    [Fact]
    public void A_gap_or_a_new_epoch_starts_the_match_over()
    {
        var recent = With(8, 1, 2, 3, 5);
        Assert.Equal([5], After(recent, 4));
        Assert.False(Covered(recent, 2));

        recent.Add(Update(1, epoch: "e2"));
        Assert.False(Covered(recent, 4));
        Assert.Equal([1], After(recent, 0, epoch: "e2"));
    }

    [Fact]
    public void A_match_without_updates_for_a_while_is_let_go_of()
    {
        var time = new FakeTimeProvider();
        var recent = new RecentUpdates(8, time);
        recent.Add(Update(1, matchId: "finished"));
        recent.Add(Update(1, matchId: "playing"));

        time.Advance(RecentUpdates.Idle / 2);
        recent.Add(Update(2, matchId: "playing"));
        time.Advance(RecentUpdates.Idle / 2 + TimeSpan.FromSeconds(1));
        recent.Add(Update(3, matchId: "playing"));

        Assert.Equal(1, recent.Count);
        Assert.False(Covered(recent, 0, matchId: "finished"));
        Assert.True(Covered(recent, 2, matchId: "playing"));
    }
}
