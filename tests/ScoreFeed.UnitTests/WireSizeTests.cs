using System.Text.Json;
using MessagePack;
using ScoreFeed.Contract;
using Xunit.Abstractions;

namespace ScoreFeed.UnitTests;

/// <summary>
/// What an update weighs on the wire, per protocol (the hub message body, without SignalR's framing); the figures
/// are in docs/wire-contract.md ("Size on the wire"). Sizes, not timings: they change only with the contract.
/// </summary>
public sealed class WireSizeTests(ITestOutputHelper output)
{
    /// <summary>A football update as the simulator sends it before line scores: a real-sized id, names, epoch.</summary>
    private static readonly MatchUpdate Football = new()
    {
        MatchId = "sim3-6b07c1d2",
        CompetitionId = "sim-premier",
        Epoch = "b0b045a8220213bf",
        Seq = 142,
        Ts = 1_795_633_447_622,
        State = new MatchState
        {
            MatchId = "sim3-6b07c1d2",
            CompetitionId = "sim-premier",
            Home = new TeamScore { Id = "sim-premier-2", Name = "Kingsport Athletic", Score = 1 },
            Away = new TeamScore { Id = "sim-premier-0", Name = "Northbridge FC", Score = 1 },
            Status = MatchStatus.Live,
            Period = 2,
            Clock = new MatchClock { Running = true, Seconds = 4401, At = 1_795_633_447_622 },
            StartsAt = 1_795_628_146_194,
            Epoch = "b0b045a8220213bf",
            Seq = 142,
            UpdatedAt = 1_795_633_447_623,
        },
    };

    private static readonly MatchUpdate FootballWithLines = Football with
    {
        State = Football.State with { Lines = new LineScore { Periods = [new ScorePair(1, 0), new ScorePair(0, 1)] } },
    };

    /// <summary>A tennis update in the fifth set of a best-of-five, after a tie-break: as big as tennis gets but for long names.</summary>
    private static readonly MatchUpdate Tennis = Football with
    {
        CompetitionId = "sim-slam",
        State = Football.State with
        {
            CompetitionId = "sim-slam",
            Sport = Sports.Tennis,
            Home = new TeamScore { Id = "sim-slam-2", Name = "Lena Kowalczyk", Score = 2 },
            Away = new TeamScore { Id = "sim-slam-5", Name = "Ana Ferreira", Score = 2 },
            Period = 5,
            Tennis = new TennisScore
            {
                BestOf = 5,
                Sets =
                [
                    new SetScore { Home = 6, Away = 4 }, new SetScore { Home = 6, Away = 7, TieBreak = new ScorePair(5, 7) },
                    new SetScore { Home = 7, Away = 5 }, new SetScore { Home = 3, Away = 6 }, new SetScore { Home = 4, Away = 3 },
                ],
                Points = new ScorePair(3, 2),
                Server = TeamSides.Away,
            },
        },
    };

    /// <summary>
    /// A standings update of a 20-team league in play: real-sized team ids and names, full form, two rows live (one match
    /// in play). What a <c>standings:{id}</c> subscriber receives on every change of the table.
    /// </summary>
    private static readonly MatchUpdate Table = new()
    {
        MatchId = StandingsDocument.IdFor("sim-premier"),
        CompetitionId = "sim-premier",
        Epoch = "b0b045a8220213bf",
        Seq = 142,
        Ts = 1_795_633_447_622,
        State = new MatchState
        {
            MatchId = StandingsDocument.IdFor("sim-premier"),
            CompetitionId = "sim-premier",
            Status = MatchStatus.Live,
            Epoch = "b0b045a8220213bf",
            Seq = 142,
            UpdatedAt = 1_795_633_447_623,
            Table = new StandingsTable
            {
                Live = true,
                Rows = [.. Enumerable.Range(0, 20).Select(i => new StandingsRow
                {
                    Position = i + 1,
                    TeamId = $"sim-premier-{i}",
                    Name = i % 2 == 0 ? "Kingsport Athletic" : "Northbridge FC",
                    Played = 30,
                    Won = 20 - i / 2,
                    Drawn = 5,
                    Lost = 5 + i / 2,
                    GoalsFor = 60 - i,
                    GoalsAgainst = 25 + i,
                    Points = 65 - i,
                    Form = "WDLWW",
                    Live = i is 3 or 11,
                })],
            },
        },
    };

    private static (int Json, int MessagePack) Size(MatchUpdate update) =>
        (JsonSerializer.SerializeToUtf8Bytes(update, ScoreFeedJsonContext.Default.MatchUpdate).Length,
         MessagePackSerializer.Serialize(update, ContractSerializationTests.SignalRMessagePack).Length);

    [Fact]
    public void Sizes_on_the_wire_of_football_tennis_and_standings_updates()
    {
        var football = Size(Football);
        var withLines = Size(FootballWithLines);
        var tennis = Size(Tennis);
        output.WriteLine($"football, no line score: JSON {football.Json} B, MessagePack {football.MessagePack} B");
        output.WriteLine($"football, two halves:    JSON {withLines.Json} B, MessagePack {withLines.MessagePack} B");
        output.WriteLine($"tennis, fifth set:       JSON {tennis.Json} B, MessagePack {tennis.MessagePack} B");
        var table = Size(Table);
        output.WriteLine($"standings, 20 teams:     JSON {table.Json} B, MessagePack {table.MessagePack} B");

        // The figures in docs/wire-contract.md: a change of the contract that moves them updates the doc too.
        Assert.Equal((FootballJson, FootballMessagePack), football);
        Assert.Equal((FootballLinesJson, FootballLinesMessagePack), withLines);
        Assert.Equal((TennisJson, TennisMessagePack), tennis);
        Assert.Equal((TableJson, TableMessagePack), table);
    }

    [Fact]
    public void Absent_new_fields_add_nothing_to_Json_and_three_nil_keys_to_MessagePack()
    {
        var before = Size(Football);
        var json = JsonSerializer.Serialize(Football, ScoreFeedJsonContext.Default.MatchUpdate);

        Assert.DoesNotContain("lines", json);
        Assert.DoesNotContain("tennis", json);
        Assert.DoesNotContain("table", json);
        // MessagePack maps carry every key: "lines", "tennis" and "table" with nil cost 1 + 5 + 1, 1 + 6 + 1 and
        // 1 + 5 + 1 bytes, and with 16 keys MatchState's map header takes 3 bytes instead of 1.
        Assert.Contains("\"lines\":null,\"tennis\":null,\"table\":null", MessagePackSerializer.ConvertToJson(MessagePackSerializer.Serialize(Football, ContractSerializationTests.SignalRMessagePack)));
        Assert.Equal(FootballMessagePackBefore + 15 + 9, before.MessagePack);
        Assert.Equal(FootballJsonBefore, before.Json);
    }

    // Measured with this test. "Before" is the same update serialized by the contract without lines and tennis (main at
    // 59e53c5): the same JSON, and MessagePack 15 bytes less (MatchState's map had 13 keys, then 15: still a one-byte
    // map header); "table" (standings) added 9 more (7 for the nil key, 2 for the map16 header of 16 keys).
    private const int FootballJsonBefore = 520;
    private const int FootballMessagePackBefore = 422;
    private const int FootballJson = 520;
    private const int FootballMessagePack = 446;
    private const int FootballLinesJson = 582;
    private const int FootballLinesMessagePack = 503;
    private const int TennisJson = 707;
    private const int TennisMessagePack = 608;
    private const int TableJson = 4072;
    private const int TableMessagePack = 2990;
}
