using System.Text.Json;
using MessagePack;
using MessagePack.Resolvers;
using ScoreFeed.Contract;

namespace ScoreFeed.UnitTests;

/// <summary>The wire names of the contract, in JSON and MessagePack alike.</summary>
public sealed class ContractSerializationTests
{
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
        // The resolvers SignalR's MessagePack protocol uses by default.
        var options = MessagePackSerializerOptions.Standard.WithResolver(CompositeResolver.Create(DynamicEnumAsStringResolver.Instance, ContractlessStandardResolver.Instance));

        var bytes = MessagePackSerializer.Serialize(Sample, options);
        var asJson = MessagePackSerializer.ConvertToJson(bytes);

        Assert.StartsWith("{\"matchId\":\"m1\",\"competitionId\":\"c1\",\"epoch\":\"abc\",\"seq\":42,\"ts\":1800000000123,\"source\":\"operator\"", asJson);
        Assert.Contains("\"clock\":{\"running\":true,\"seconds\":3000,\"at\":1800000000000}", asJson);
        var back = MessagePackSerializer.Deserialize<MatchUpdate>(bytes, options);
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
}
