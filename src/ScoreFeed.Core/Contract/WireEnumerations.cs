using System.Reflection;

namespace ScoreFeed.Contract;

/// <summary>
/// The contract's string fields that take one of a fixed set of values (strings on the wire, not enums, so JSON and
/// MessagePack carry the same text), by type and property. The values are the <c>const</c> strings of the class
/// that names them, so a value added there reaches the OpenAPI documents at once; the AsyncAPI document's tests
/// compare against this too (tests/ScoreFeed.UnitTests/AsyncApiDocumentTests.cs).
/// </summary>
public static class WireEnumerations
{
    public static readonly IReadOnlyDictionary<(Type Type, string Property), IReadOnlyList<string>> Values =
        new Dictionary<(Type, string), IReadOnlyList<string>>
        {
            [(typeof(MatchState), nameof(MatchState.Status))] = Constants(typeof(MatchStatus)),
            [(typeof(MatchState), nameof(MatchState.Sport))] = Constants(typeof(Sports)),
            [(typeof(MatchUpdate), nameof(MatchUpdate.Source))] = Constants(typeof(UpdateSources)),
            [(typeof(Incident), nameof(Incident.Type))] = Constants(typeof(IncidentTypes)),
            [(typeof(Incident), nameof(Incident.Team))] = Constants(typeof(TeamSides)),
            [(typeof(CorrectionRequest), nameof(CorrectionRequest.Status))] = Constants(typeof(MatchStatus)),
            [(typeof(IncidentCorrection), nameof(IncidentCorrection.Type))] = Constants(typeof(IncidentTypes)),
            [(typeof(IncidentCorrection), nameof(IncidentCorrection.Team))] = Constants(typeof(TeamSides)),
            [(typeof(AuditEntry), nameof(AuditEntry.Action))] = Constants(typeof(AuditActions)),
            [(typeof(TennisScore), nameof(TennisScore.Server))] = Constants(typeof(TeamSides)),
            [(typeof(TennisScore), nameof(TennisScore.Retired))] = Constants(typeof(TeamSides)),
            [(typeof(TennisCorrection), nameof(TennisCorrection.Server))] = Constants(typeof(TeamSides)),
        };

    /// <summary>The values of a property, or null when it takes any string.</summary>
    public static IReadOnlyList<string>? Of(Type type, string property) => Values.GetValueOrDefault((type, property));

    private static string[] Constants(Type holder) =>
        [.. holder.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true, IsInitOnly: false } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)];
}
