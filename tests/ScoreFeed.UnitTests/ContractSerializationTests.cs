using System.Text.Json;
using MessagePack;
using MessagePack.Resolvers;
using ScoreFeed.Contract;

namespace ScoreFeed.UnitTests;

/// <summary>The wire names of the contract, in JSON and MessagePack alike.</summary>
public sealed class ContractSerializationTests
{
    /// <summary>The resolvers SignalR's MessagePack protocol uses by default.</summary>
    internal static readonly MessagePackSerializerOptions SignalRMessagePack =
        MessagePackSerializerOptions.Standard.WithResolver(CompositeResolver.Create(DynamicEnumAsStringResolver.Instance, ContractlessStandardResolver.Instance));

    private static readonly MatchUpdate Sample = new()
    {
        MatchId = "m1",
        CompetitionId = "c1",
        Epoch = "abc",
        Seq = 42,
        Ts = 1_800_000_000_123,
        Source = UpdateSources.Operator,
        State = new MatchState
        {
            MatchId = "m1",
            CompetitionId = "c1",
            Home = new TeamScore { Id = "h", Name = "<b>Home</b>", Score = 2 },
            Away = new TeamScore { Id = "a", Name = "Away", Score = 1 },
            Status = MatchStatus.Live,
            Period = 2,
            Clock = new MatchClock { Running = true, Seconds = 3000, At = 1_800_000_000_000 },
            Epoch = "abc",
            Seq = 42,
        },
    };

    [Fact]
    public void Json_is_camelCase_and_omits_what_is_absent()
    {
        var json = JsonSerializer.Serialize(Sample, ScoreFeedJsonContext.Default.MatchUpdate);
        using var doc = JsonDocument.Parse(json);

        Assert.Equal(["matchId", "competitionId", "epoch", "seq", "ts", "source", "state"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.False(doc.RootElement.GetProperty("state").TryGetProperty("incidents", out _));
        Assert.Equal("operator", doc.RootElement.GetProperty("source").GetString());
        Assert.Equal("<b>Home</b>", doc.RootElement.GetProperty("state").GetProperty("home").GetProperty("name").GetString());
        Assert.Equal(Sample, JsonSerializer.Deserialize(json, ScoreFeedJsonContext.Default.MatchUpdate));
    }

    [Fact]
    public void MessagePack_uses_the_same_names_with_SignalRs_resolvers()
    {
        var bytes = MessagePackSerializer.Serialize(Sample, SignalRMessagePack);
        var asJson = MessagePackSerializer.ConvertToJson(bytes);

        Assert.StartsWith("{\"matchId\":\"m1\",\"competitionId\":\"c1\",\"epoch\":\"abc\",\"seq\":42,\"ts\":1800000000123,\"source\":\"operator\"", asJson);
        Assert.Contains("\"clock\":{\"running\":true,\"seconds\":3000,\"at\":1800000000000}", asJson);
        var back = MessagePackSerializer.Deserialize<MatchUpdate>(bytes, SignalRMessagePack);
        Assert.Equal(Sample.State.Home, back.State.Home);
        Assert.Equal(Sample.Seq, back.Seq);
    }

    [Fact]
    public void An_incident_carries_removed_only_when_it_was_removed()
    {
        var incident = new Incident { Id = "g1", Type = IncidentTypes.Goal };

        var kept = JsonSerializer.Serialize(incident, ScoreFeedJsonContext.Default.Incident);
        var removed = JsonSerializer.Serialize(incident with { Removed = true }, ScoreFeedJsonContext.Default.Incident);

        Assert.DoesNotContain("removed", kept);
        Assert.Contains("\"removed\":true", removed);
    }

    /// <summary>A tennis update: second set 4–3 after a first set won 7–6 (7–5 in the tie-break), 30–40, away serving.</summary>
    public static readonly MatchUpdate Tennis = Sample with
    {
        State = Sample.State with
        {
            Sport = Sports.Tennis,
            Home = Sample.State.Home with { Score = 1 },
            Away = Sample.State.Away with { Score = 0 },
            Clock = Sample.State.Clock with { Seconds = 4321 },
            Tennis = new TennisScore
            {
                BestOf = 5,
                Sets = [new SetScore { Home = 7, Away = 6, TieBreak = new ScorePair(7, 5) }, new SetScore { Home = 4, Away = 3 }],
                Points = new ScorePair(2, 3),
                Server = TeamSides.Away,
            },
        },
    };

    [Fact]
    public void Football_without_line_scores_carries_no_new_field_in_Json()
    {
        var json = JsonSerializer.Serialize(Sample, ScoreFeedJsonContext.Default.MatchUpdate);

        Assert.DoesNotContain("\"lines\"", json);
        Assert.DoesNotContain("\"tennis\"", json);
    }

    [Fact]
    public void Line_scores_have_the_same_names_in_Json_and_MessagePack()
    {
        var update = Sample with
        {
            State = Sample.State with { Lines = new LineScore { Periods = [new ScorePair(1, 0), new ScorePair(1, 1)], Penalties = new ScorePair(4, 3) } },
        };

        var json = JsonSerializer.Serialize(update, ScoreFeedJsonContext.Default.MatchUpdate);
        var fromMessagePack = MessagePackSerializer.ConvertToJson(MessagePackSerializer.Serialize(update, SignalRMessagePack));

        Assert.Contains("\"lines\":{\"periods\":[{\"home\":1,\"away\":0},{\"home\":1,\"away\":1}],\"penalties\":{\"home\":4,\"away\":3}}", json);
        Assert.Contains("\"lines\":{\"periods\":[{\"home\":1,\"away\":0},{\"home\":1,\"away\":1}],\"extraTime\":null,\"penalties\":{\"home\":4,\"away\":3}}", fromMessagePack);
        Assert.Equal(update, JsonSerializer.Deserialize(json, ScoreFeedJsonContext.Default.MatchUpdate));
        Assert.Equal(update.State.Lines, MessagePackSerializer.Deserialize<MatchUpdate>(MessagePackSerializer.Serialize(update, SignalRMessagePack), SignalRMessagePack).State.Lines);
    }

    [Fact]
    public void Tennis_has_the_same_names_in_Json_and_MessagePack_and_scores_stay_sets_won()
    {
        var json = JsonSerializer.Serialize(Tennis, ScoreFeedJsonContext.Default.MatchUpdate);
        var bytes = MessagePackSerializer.Serialize(Tennis, SignalRMessagePack);
        var fromMessagePack = MessagePackSerializer.ConvertToJson(bytes);

        const string Sets = "\"sets\":[{\"home\":7,\"away\":6,\"tieBreak\":{\"home\":7,\"away\":5}},{\"home\":4,\"away\":3";
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("tennis", doc.RootElement.GetProperty("state").GetProperty("sport").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("state").GetProperty("home").GetProperty("score").GetInt32());
        Assert.Contains("\"tennis\":{\"bestOf\":5," + Sets + "}],\"points\":{\"home\":2,\"away\":3},\"server\":\"away\"}", json);
        Assert.Contains("\"tennis\":{\"bestOf\":5," + Sets + ",\"tieBreak\":null}],\"points\":{\"home\":2,\"away\":3},\"server\":\"away\",\"retired\":null}", fromMessagePack);
        Assert.Equal(Tennis, JsonSerializer.Deserialize(json, ScoreFeedJsonContext.Default.MatchUpdate));
        Assert.Equal(Tennis.State.Tennis, MessagePackSerializer.Deserialize<MatchUpdate>(bytes, SignalRMessagePack).State.Tennis);
    }
}
