using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Feeds;
using ScoreFeed.Ingest.Feeds.ApiFootball;
using ScoreFeed.Ingest.Feeds.FootballData;

namespace ScoreFeed.UnitTests;

/// <summary>
/// Line scores from both vendors' recorded payloads (written from their public documentation: football-data.org v4
/// "Dealing with scores", API-Football v3 fixtures): halves, extra time and the shoot-out.
/// </summary>
public sealed class FeedLineScoreTests
{
    private static readonly DateTimeOffset Received = DateTimeOffset.Parse("2026-04-15T21:41:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static FeedMatch Match(IFeedFormat format, string file, string vendorId)
    {
        var batch = FeedMappingTests.Parse(format, FeedMappingTests.Load(file).ToJsonString(), Received);
        Assert.Empty(batch.Rejects);
        return batch.Matches.Single(m => m.VendorId == vendorId);
    }

    internal static LineScore Lines(params (int Home, int Away)[] periods) => new() { Periods = [.. periods.Select(p => new ScorePair(p.Home, p.Away))] };

    [Fact]
    public void FootballData_after_a_shoot_out_has_both_halves_extra_time_and_the_penalties()
    {
        var match = Match(new FootballDataFormat(), "footballdata-knockout.json", "2001");

        Assert.Equal((MatchStatus.Final, 2, 2), (match.Status, match.Home.Score, match.Away.Score));
        Assert.Equal(Lines((1, 0), (0, 1)) with { ExtraTime = new ScorePair(1, 1), Penalties = new ScorePair(4, 3) }, match.Lines);
    }

    [Fact]
    public void FootballData_in_extra_time_has_the_halves_and_the_extra_time_so_far()
    {
        var match = Match(new FootballDataFormat(), "footballdata-knockout.json", "2002");

        Assert.Equal((MatchStatus.Live, 4, 3, 2), (match.Status, match.Period, match.Home.Score, match.Away.Score));
        Assert.Equal(Lines((0, 2), (2, 0)) with { ExtraTime = new ScorePair(1, 0) }, match.Lines);
    }

    [Fact]
    public void FootballData_regular_matches_have_halves_as_far_as_played_and_none_before_kick_off()
    {
        var format = new FootballDataFormat();

        Assert.Equal(Lines((1, 0), (0, 0)), Match(format, "footballdata-matches.json", "1001").Lines); // 62', 1–0 at half-time
        Assert.Null(Match(format, "footballdata-matches.json", "1002").Lines); // not started
        Assert.Equal(Lines((0, 1), (2, 1)), Match(format, "footballdata-matches.json", "1003").Lines); // 2–2, 0–1 at half-time
        Assert.Equal(Lines((0, 1)), Match(format, "footballdata-matches.json", "1004").Lines); // half-time
    }

    [Fact]
    public void ApiFootball_after_a_shoot_out_has_both_halves_extra_time_and_the_penalties()
    {
        var match = Match(new ApiFootballFormat(), "apifootball-knockout.json", "6001");

        Assert.Equal((MatchStatus.Final, 5, 2, 2), (match.Status, match.Period, match.Home.Score, match.Away.Score));
        Assert.Equal(Lines((1, 0), (0, 1)) with { ExtraTime = new ScorePair(1, 1), Penalties = new ScorePair(4, 3) }, match.Lines);
    }

    [Fact]
    public void ApiFootball_in_the_first_half_counts_every_goal_in_it_and_later_splits_at_half_time()
    {
        var format = new ApiFootballFormat();

        Assert.Equal(Lines((0, 1)), Match(format, "apifootball-knockout.json", "6002").Lines); // 31', half-time score not known yet
        Assert.Equal(Lines((1, 0), (0, 0)), Match(format, "apifootball-live.json", "5001").Lines); // 62', 1–0
        Assert.Equal(Lines((0, 1)), Match(format, "apifootball-live.json", "5002").Lines); // half-time
    }

    [Theory]
    [InlineData(MatchStatus.Live, 2, 1, 0, null)] // half-time 2–0 but 1 goal in all: the vendor disagrees with itself
    [InlineData(MatchStatus.Final, 2, 0, 0, null)] // final without a half-time score: halves unknown
    public void Parts_that_do_not_add_up_or_are_unknown_give_no_line_score(string status, int period, int homeGoals, int awayGoals, object? expected)
    {
        var halfTime = status == MatchStatus.Live ? new ScorePair(2, 0) : null;

        Assert.Equal(expected, FeedLines.Football(status, period, new ScorePair(homeGoals, awayGoals), halfTime, null, null));
    }

    [Fact]
    public void Line_scores_reach_the_match_and_a_repeated_payload_derives_the_same_state()
    {
        var feed = Match(new FootballDataFormat(), "footballdata-knockout.json", "2001");

        var first = FeedMerger.Next(null, feed, "footballdata", Received.ToUnixTimeMilliseconds()).Change.State;
        var again = FeedMerger.Next(first, feed, "footballdata", Received.ToUnixTimeMilliseconds()).Change.State;

        Assert.Equal(feed.Lines, first.Lines);
        Assert.Equal(first.Lines, again.Lines);
        Assert.Equal(JsonSerializer.Serialize(first, ScoreFeedJsonContext.Default.MatchState),
            JsonSerializer.Serialize(again, ScoreFeedJsonContext.Default.MatchState));
    }
}
