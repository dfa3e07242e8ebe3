using System.Diagnostics.CodeAnalysis;
using MessagePack;

namespace ScoreFeed.Contract;

/// <summary>
/// A competition's table, carried by the competition's standings document (<see cref="StandingsDocument"/>) in
/// <see cref="MatchState.Table"/>. Rows are in table order; <see cref="Live"/> while a match of the competition is in play.
/// </summary>
[MessagePackObject]
public sealed record StandingsTable
{
    [Key("rows")] public IReadOnlyList<StandingsRow> Rows { get; init; } = [];
    /// <summary>True while any match of the competition is in play: the table holds provisional results.</summary>
    [Key("live")] public bool Live { get; init; }
}

/// <summary>
/// One team's line. <see cref="Form"/>: its last five final results, newest first (W, D, L). In a basketball table
/// (the document's <c>sport</c>) <see cref="GoalsFor"/> and <see cref="GoalsAgainst"/> carry points scored and conceded,
/// <see cref="Drawn"/> is 0 and <see cref="Form"/> is W and L only.
/// </summary>
[MessagePackObject]
public sealed record StandingsRow
{
    [Key("position")] public int Position { get; init; }
    [Key("teamId")] public string TeamId { get; init; } = "";
    [Key("name")] public string Name { get; init; } = "";
    [Key("played")] public int Played { get; init; }
    [Key("won")] public int Won { get; init; }
    [Key("drawn")] public int Drawn { get; init; }
    [Key("lost")] public int Lost { get; init; }
    [Key("goalsFor")] public int GoalsFor { get; init; }
    [Key("goalsAgainst")] public int GoalsAgainst { get; init; }
    [Key("points")] public int Points { get; init; }
    [Key("form")] public string Form { get; init; } = "";
    /// <summary>True while the team plays: its line counts the match's current score.</summary>
    [Key("live")] public bool Live { get; init; }
}

/// <summary>
/// A competition's standings travel as a document of the match store with the id <c>standings:{competitionId}</c>
/// (the name of its topic): ordered, stored, published and recovered exactly like a match, with its own epoch and seq.
/// No match id contains ':', so the two never collide.
/// </summary>
public static class StandingsDocument
{
    public const string Prefix = "standings:";

    public static string IdFor(string competitionId) => Prefix + competitionId;

    public static bool IsDocument([NotNullWhen(true)] string? id) => id is not null && id.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>A match id, or the id of a competition's standings document.</summary>
    public static bool IsValidStreamId([NotNullWhen(true)] string? id) =>
        Ids.IsValid(id) || (IsDocument(id) && Ids.IsValid(id[Prefix.Length..]));
}
