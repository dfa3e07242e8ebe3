using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// One vendor's view of one match, already mapped to ScoreFeed's model and validated; <see cref="FeedMerger"/>
/// turns it into changes of the match's state.
/// </summary>
internal sealed record FeedMatch
{
    /// <summary>The vendor's own id of the match (kept so a match keeps one ScoreFeed id across polls).</summary>
    public required string VendorId { get; init; }

    /// <summary>The ScoreFeed match id: <c>{prefix}-{vendorId}</c>, or the match a mapping joins it to.</summary>
    public required string MatchId { get; init; }

    public required string CompetitionId { get; init; }

    /// <summary>
    /// Joined by a mapping to another provider's match: it then keeps that match's identity (competition, teams,
    /// start) and brings only the play (status, period, clock, score, incidents).
    /// </summary>
    public bool Joined { get; init; }

    public required TeamScore Home { get; init; }

    public required TeamScore Away { get; init; }

    public required string Status { get; init; }

    /// <summary>The period as the vendor tells it; null when it cannot be told (the current one is kept).</summary>
    public int? Period { get; init; }

    /// <summary>The match clock the vendor reports (elapsed minutes × 60, stoppage included); null when it reports none.</summary>
    public int? ClockSeconds { get; init; }

    public required long StartsAt { get; init; }

    /// <summary>The line score, where the vendor reports one (<see cref="FeedLines"/>); null otherwise.</summary>
    public LineScore? Lines { get; init; }

    /// <summary>The vendor's incidents of the classes in <see cref="IncidentClasses"/>; the others are left as they are.</summary>
    public IReadOnlyList<Incident> Incidents { get; init; } = [];

    /// <summary>Which incident classes (<see cref="FeedIncidents"/>) the vendor reported, even if empty: those it is the truth for.</summary>
    public string IncidentClasses { get; init; } = "";

    /// <summary>The vendor's version of this match in ms (its lastUpdated, or the response's Date); newer wins, older is dropped.</summary>
    public long? Version { get; init; }
}

/// <summary>An item of a payload that was not taken, and why (a short, stable reason: it is a metric tag).</summary>
internal sealed record FeedReject(string Reason, string? VendorId, string Detail);

/// <summary>
/// What one payload holds: the sound items, the rejected items, and — when the payload itself is broken (not JSON,
/// truncated, a vendor error) — why; a broken payload may still have yielded the items complete before the break.
/// </summary>
internal sealed record FeedBatch(IReadOnlyList<FeedMatch> Matches, IReadOnlyList<FeedReject> Rejects, FeedReject? Broken = null)
{
    public static FeedBatch Failed(string reason, string detail) => new([], [], new FeedReject(reason, null, detail));
}

/// <summary>Stable reasons for rejected payloads and items (metric tag <c>reason</c>).</summary>
internal static class RejectReasons
{
    public const string NotJson = "not-json";
    public const string MalformedJson = "malformed-json";
    public const string WrongShape = "wrong-shape";
    public const string VendorError = "vendor-error";
    public const string TooLarge = "too-large";
    public const string MissingField = "missing-field";
    public const string WrongType = "wrong-type";
    public const string BadId = "bad-id";
    public const string UnknownStatus = "unknown-status";
    public const string BadScore = "bad-score";
    public const string BadTime = "bad-time";
    public const string BadIncident = "bad-incident";
}
