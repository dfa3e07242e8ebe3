using ScoreFeed.Contract;
using ScoreFeed.Scoring;
using static ScoreFeed.UnitTests.FeedLineScoreTests;

namespace ScoreFeed.UnitTests;

/// <summary>
/// An operator's correction of the score moves the line score with it, so its periods still add up to the score (the
/// correction's path through pins: <see cref="OperatorTests"/>).
/// </summary>
public sealed class LineScoreCorrectionTests
{
    /// <summary>A basketball match in the third quarter, 61–58.</summary>
    private static readonly LineScore Basketball = Lines((20, 18), (25, 22), (16, 18));

    [Fact]
    public void What_the_score_gains_or_loses_is_the_period_in_plays()
    {
        Assert.Equal(Lines((20, 18), (25, 22), (19, 18)), LineScores.Corrected(Basketball, TeamSides.Home, 3));
        Assert.Equal(Lines((20, 18), (25, 22), (16, 16)), LineScores.Corrected(Basketball, TeamSides.Away, -2));
        // Football in extra time: extra time is the part in play; the shoot-out is not in the score and stays.
        var knockout = Lines((1, 0), (0, 1)) with { ExtraTime = new ScorePair(1, 0), Penalties = new ScorePair(4, 3) };
        Assert.Equal(knockout with { ExtraTime = new ScorePair(1, 1) }, LineScores.Corrected(knockout, TeamSides.Away, 1));
    }

    [Fact]
    public void A_loss_the_period_in_play_has_not_got_comes_off_the_periods_before_it_latest_first_never_below_zero()
    {
        // A first-half goal disallowed in the second half, which stands 0–0.
        Assert.Equal(Lines((0, 0), (0, 0)), LineScores.Corrected(Lines((1, 0), (0, 0)), TeamSides.Home, -1));
        Assert.Equal(Lines((20, 18), (23, 22), (0, 18)), LineScores.Corrected(Basketball, TeamSides.Home, -18));
    }

    [Fact]
    public void A_match_without_a_line_score_gets_none()
    {
        Assert.Null(LineScores.Corrected(null, TeamSides.Home, 1));
        var shootOutOnly = new LineScore { Penalties = new ScorePair(4, 3) };
        Assert.Same(shootOutOnly, LineScores.Corrected(shootOutOnly, TeamSides.Home, 1));
    }
}
