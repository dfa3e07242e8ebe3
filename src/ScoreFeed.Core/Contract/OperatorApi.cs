using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScoreFeed.Contract;

// The operator API of ingest (docs/wire-contract.md, "Operator API"): corrections, pins and the audit.

/// <summary>
/// Names of the match fields an operator corrects and a pin holds: the scores, status, period, clock, tennis's
/// points, games (of the current set) and server, and each incident by id (<c>incident:{id}</c>).
/// </summary>
public static class MatchFields
{
    public const string Home = "home";
    public const string Away = "away";
    public const string Status = "status";
    public const string Period = "period";
    public const string Clock = "clock";
    /// <summary>Tennis: the current game's points (<see cref="TennisScore.Points"/>).</summary>
    public const string Points = "points";
    /// <summary>Tennis: the games of the current set (the last of <see cref="TennisScore.Sets"/>).</summary>
    public const string Games = "games";
    /// <summary>Tennis: who serves (<see cref="TennisScore.Server"/>).</summary>
    public const string Server = "server";
    public const string IncidentPrefix = "incident:";

    public static readonly IReadOnlyList<string> Scalars = [Home, Away, Status, Period, Clock, Points, Games, Server];

    /// <summary>The fields only a tennis match has.</summary>
    public static readonly IReadOnlyList<string> Tennis = [Points, Games, Server];

    public static string Incident(string incidentId) => IncidentPrefix + incidentId;

    /// <summary>The incident id of an <c>incident:{id}</c> field, else null.</summary>
    public static string? IncidentId(string field) =>
        field.StartsWith(IncidentPrefix, StringComparison.Ordinal) ? field[IncidentPrefix.Length..] : null;

    public static bool IsValid(string? field) =>
        field is not null && (Scalars.Contains(field) || Ids.IsValid(IncidentId(field)));
}

public static class AuditActions
{
    public const string Correction = "correction";
    public const string Undo = "undo";
    public const string Release = "release";
    /// <summary>The feed reported the pinned value, so the pin cleared itself.</summary>
    public const string PinCleared = "pin-cleared";
}

/// <summary>
/// A corrected field: feed updates no longer change it until an operator releases it or the feed reports
/// <see cref="Value"/>. Values are JSON as in <see cref="MatchState"/>: a score or period (number), a status
/// (string), a clock, an incident, or null for an incident that is absent (removed).
/// </summary>
public sealed record Pin
{
    /// <summary>The operator's value, which fans see.</summary>
    public JsonElement Value { get; init; }
    /// <summary>What the feed reports for the field now ("feed says"), kept while the pin holds.</summary>
    public JsonElement Feed { get; init; }
    public string By { get; init; } = "";
    /// <summary>When the field was pinned (ms since the Unix epoch).</summary>
    public long At { get; init; }
    public string Reason { get; init; } = "";
}

/// <summary>One entry of a match's append-only audit: a correction, an undo, a release or a pin that cleared itself.</summary>
public sealed record AuditEntry
{
    /// <summary>The entry's id in the audit stream (e.g. <c>1795633447622-0</c>); undo names it.</summary>
    public string Id { get; init; } = "";
    /// <summary>When it was committed (ms since the Unix epoch), together with the change.</summary>
    public long At { get; init; }
    /// <summary>The match's seq after the change.</summary>
    public long Seq { get; init; }
    /// <summary>The operator's name; <c>feed</c> for a pin that cleared itself.</summary>
    public string Operator { get; init; } = "";
    public string Action { get; init; } = "";
    public string Reason { get; init; } = "";
    /// <summary>The values of the fields the change set, before it.</summary>
    public IReadOnlyDictionary<string, JsonElement> Before { get; init; } = new Dictionary<string, JsonElement>();
    /// <summary>The same fields after it.</summary>
    public IReadOnlyDictionary<string, JsonElement> After { get; init; } = new Dictionary<string, JsonElement>();
    /// <summary>Fields pinned by this change.</summary>
    public IReadOnlyList<string> Pinned { get; init; } = [];
    /// <summary>Fields whose pin this change released or cleared.</summary>
    public IReadOnlyList<string> Released { get; init; } = [];
    /// <summary>For an undo: the id of the entry it undid.</summary>
    public string? UndoOf { get; init; }
}

/// <summary>Body of <c>POST /api/v1/auth/token</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TokenRequest
{
    public string? Username { get; init; }
    public string? Password { get; init; }
}

public sealed record TokenResponse
{
    public string AccessToken { get; init; } = "";
    /// <summary>ms since the Unix epoch.</summary>
    public long ExpiresAt { get; init; }
}

/// <summary>Body of <c>POST /api/v1/matches/{id}/corrections</c>: the fields to set, why, and the seq they were decided on.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CorrectionRequest
{
    public int? Home { get; init; }
    public int? Away { get; init; }
    public string? Status { get; init; }
    public int? Period { get; init; }
    public ClockCorrection? Clock { get; init; }
    /// <summary>One incident to add (no id), amend (its id and the fields to change) or remove (its id and <c>removed: true</c>).</summary>
    public IncidentCorrection? Incident { get; init; }
    /// <summary>Tennis only: the current game's points, the current set's games, the server.</summary>
    public TennisCorrection? Tennis { get; init; }
    /// <summary>Apply only if the match's seq is still this one, else 409.</summary>
    public long? ExpectedSeq { get; init; }
    public string? Reason { get; init; }
}

/// <summary>The clock from now on: it shows <see cref="Seconds"/> at the moment the correction is applied.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ClockCorrection
{
    public bool? Running { get; init; }
    public int? Seconds { get; init; }
}

/// <summary>A tennis score as it should be: any of the current game's points, the current set's games, the server.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TennisCorrection
{
    public PairCorrection? Points { get; init; }
    public PairCorrection? Games { get; init; }
    public string? Server { get; init; }
}

/// <summary>A home and an away number, both required.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PairCorrection
{
    public int? Home { get; init; }
    public int? Away { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record IncidentCorrection
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public int? Period { get; init; }
    public int? Seconds { get; init; }
    public string? Team { get; init; }
    public string? Player { get; init; }
    public int? Points { get; init; }
    public string? Detail { get; init; }
    public bool? Removed { get; init; }
}

/// <summary>Body of <c>POST /api/v1/matches/{id}/audit/{entryId}/undo</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UndoRequest
{
    public long? ExpectedSeq { get; init; }
    public string? Reason { get; init; }
}

/// <summary>A match as operators see it: its state (with incidents) and its pins ("feed says").</summary>
public sealed record OperatorMatch
{
    public MatchState State { get; init; } = new();
    public IReadOnlyDictionary<string, Pin> Pins { get; init; } = new Dictionary<string, Pin>();
    /// <summary>The audit entry of the change that produced this answer, if any.</summary>
    public string? AuditId { get; init; }
}

/// <summary>
/// The <c>409</c> of an operator change whose <c>expectedSeq</c> is stale: a problem (RFC 9457,
/// <c>application/problem+json</c>) that carries the match as it is now (<see cref="State"/>, <see cref="Pins"/>), to
/// decide again on. Answered from this type, so the OpenAPI document describes exactly what is sent.
/// </summary>
public sealed record ConflictProblem
{
    public const string ContentType = "application/problem+json";

    public string Type { get; init; } = "https://tools.ietf.org/html/rfc9110#section-15.5.10";
    public string Title { get; init; } = "Conflict";
    public int Status { get; init; } = 409;
    public string? Detail { get; init; }
    /// <summary>The match now; absent when it no longer exists.</summary>
    public MatchState? State { get; init; }
    public IReadOnlyDictionary<string, Pin>? Pins { get; init; }
}

/// <summary>Body of <c>GET /api/v1/matches/{id}/audit</c>, oldest first.</summary>
public sealed record AuditLog
{
    public string MatchId { get; init; } = "";
    public IReadOnlyList<AuditEntry> Entries { get; init; } = [];
}
