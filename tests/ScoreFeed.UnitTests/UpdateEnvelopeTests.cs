using System.Text;
using ScoreFeed.Contract;
using ScoreFeed.Realtime;

namespace ScoreFeed.UnitTests;

public sealed class UpdateEnvelopeTests
{
    private static MatchUpdate Update() => new()
    {
        MatchId = "m1",
        CompetitionId = "c1",
        Epoch = "e1",
        Seq = 7,
        Ts = 1,
        State = new MatchState { MatchId = "m1", CompetitionId = "c1", Status = MatchStatus.Live, Epoch = "e1", Seq = 7 },
    };

    [Fact]
    public void An_update_and_its_topics_survive_the_round_trip()
    {
        var message = UpdateEnvelope.Format(Update(), ["live", "competition:c1", "match:m1"]);

        Assert.True(UpdateEnvelope.TryParse(message, out var update, out var topics, out var error), error);
        Assert.Equal(["live", "competition:c1", "match:m1"], topics);
        Assert.Equal(("m1", "e1", 7L, MatchStatus.Live), (update.MatchId, update.Epoch, update.Seq, update.State.Status));
    }

    [Theory]
    [InlineData("", "no topic line")]
    [InlineData("{\"matchId\":\"m1\"}", "no topic line")]
    [InlineData("live\n{not json", "not valid JSON")]
    [InlineData("live\n{\"matchId\":\"m 1\",\"epoch\":\"e\",\"seq\":1,\"state\":{}}", "lacks")]
    [InlineData("live\n{\"matchId\":\"m1\",\"epoch\":\"e\",\"seq\":0,\"state\":{}}", "lacks")]
    [InlineData("live\n{\"matchId\":\"m1\",\"seq\":3}", "lacks")]
    public void A_broken_message_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(UpdateEnvelope.TryParse(Encoding.UTF8.GetBytes(text), out _, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
