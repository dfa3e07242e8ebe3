using ScoreFeed.Contract;
using ScoreFeed.Realtime;

namespace ScoreFeed.UnitTests;

public sealed class PublisherTests
{
    private static MatchUpdate Update(string status) => new()
    {
        MatchId = "m1",
        CompetitionId = "c1",
        State = new MatchState { MatchId = "m1", CompetitionId = "c1", Status = status },
    };

    [Theory]
    [InlineData(MatchStatus.Live, MatchStatus.Live, true)]
    [InlineData(MatchStatus.Scheduled, MatchStatus.Live, true)] // kick-off reaches "live" subscribers
    [InlineData(MatchStatus.Live, MatchStatus.Final, true)] // so does the final whistle
    [InlineData(MatchStatus.Paused, MatchStatus.Paused, true)]
    [InlineData(MatchStatus.Scheduled, MatchStatus.Postponed, false)]
    [InlineData("", MatchStatus.Scheduled, false)]
    public void Updates_go_to_match_and_competition_groups_and_to_live_while_in_play(string before, string after, bool live)
    {
        var groups = UpdateEnvelope.TopicsFor(Update(after), before);

        Assert.Contains("match:m1", groups);
        Assert.Contains("competition:c1", groups);
        Assert.Equal(live, groups.Contains("live"));
    }
}
