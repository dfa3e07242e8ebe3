using System.Globalization;
using StackExchange.Redis;

namespace ScoreFeed.Redis;

/// <summary>
/// The ARGV of <see cref="StoreScripts.Apply"/>, in order. The order is written here once: <see cref="ToValues"/> sends
/// the values in the order of this record's parameters, and the script's first line (<see cref="LuaLocals"/>) names
/// them from the same parameters (camel case), so neither side counts positions.
/// </summary>
/// <param name="NewBody">The state's JSON as stored.</param>
/// <param name="UpdateJson">The update's JSON, for the history.</param>
/// <param name="ProviderKey">The provider whose version guards the change ('' for none).</param>
/// <param name="ProviderVersion">That provider's version of the change ('' for none).</param>
/// <param name="ExpectedSeq">The seq the writer read ('' for none): another one is a conflict.</param>
/// <param name="NewEpoch">The epoch to start if the match's history starts here.</param>
/// <param name="NewStatus">The status.</param>
/// <param name="NewComp">The competition id.</param>
/// <param name="StartsAt">Kick-off, Unix ms.</param>
/// <param name="HistoryLength">Updates kept in the history.</param>
/// <param name="HistoryMaxAgeMs">How long an update stays in the history.</param>
/// <param name="RetentionMs">How long a finished match is kept.</param>
/// <param name="CompIndexPrefix">The competition index key without its id.</param>
/// <param name="InPlay">The status is in play (the live index).</param>
/// <param name="MayExpire">No more play is expected: the match expires after the retention.</param>
/// <param name="MatchId">The match id.</param>
/// <param name="ExpectedPinsVersion">The pins version the operator read ('' for none).</param>
/// <param name="WritePins">Write <paramref name="PinsJson"/> (an operator's pins change).</param>
/// <param name="PinsJson">The pins ('' for none).</param>
/// <param name="AuditJson">The audit entry ('' for none).</param>
/// <param name="Indexed">A match, listed in the match indexes (false: a competition's standings document).</param>
internal sealed record ApplyArguments(
    string NewBody, string UpdateJson, string ProviderKey, string ProviderVersion, string ExpectedSeq, string NewEpoch,
    string NewStatus, string NewComp, long StartsAt, int HistoryLength, long HistoryMaxAgeMs, long RetentionMs,
    string CompIndexPrefix, bool InPlay, bool MayExpire, string MatchId, string ExpectedPinsVersion, bool WritePins,
    string PinsJson, string AuditJson, bool Indexed)
{
    /// <summary><c>local newBody, updateJson, … = unpack(ARGV)</c>: the script's names for the values.</summary>
    public static string LuaLocals { get; } = "local " + string.Join(", ", typeof(ApplyArguments).GetConstructors()[0].GetParameters()
        .Select(p => char.ToLowerInvariant(p.Name![0]) + p.Name[1..])) + " = unpack(ARGV)\n";

    public RedisValue[] ToValues() =>
    [
        NewBody, UpdateJson, ProviderKey, ProviderVersion, ExpectedSeq, NewEpoch,
        NewStatus, NewComp, StartsAt, HistoryLength, HistoryMaxAgeMs, RetentionMs,
        CompIndexPrefix, Flag(InPlay), Flag(MayExpire), MatchId, ExpectedPinsVersion, Flag(WritePins),
        PinsJson, AuditJson, Flag(Indexed),
    ];

    /// <summary>An optional number as the script reads it: '' for none.</summary>
    public static string Optional(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Flag(bool value) => value ? "1" : "0";
}
