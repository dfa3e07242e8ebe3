using MessagePack;

namespace ScoreFeed.Contract;

[MessagePackObject]
public sealed record SubscribeRequest
{
    /// <summary><c>live</c>, <c>competition:{id}</c> or <c>match:{id}</c>.</summary>
    [Key("topics")] public IReadOnlyList<string>? Topics { get; init; }
    /// <summary>The last position the client holds per match id, to recover what it missed.</summary>
    [Key("positions")] public IReadOnlyDictionary<string, StreamPosition>? Positions { get; init; }
}

[MessagePackObject]
public sealed record StreamPosition
{
    [Key("epoch")] public string Epoch { get; init; } = "";
    [Key("seq")] public long Seq { get; init; }
}

[MessagePackObject]
public sealed record SubscribeResult
{
    /// <summary>Full state of every covered match the client could not recover (or had no position for).</summary>
    [Key("matches")] public IReadOnlyList<MatchState> Matches { get; init; } = [];
    /// <summary>Missed updates, in order per match, for matches whose position was still in history.</summary>
    [Key("recovered")] public IReadOnlyList<MatchUpdate> Recovered { get; init; } = [];
    [Key("rejected")] public IReadOnlyList<TopicRejection> Rejected { get; init; } = [];
}

[MessagePackObject]
public sealed record TopicRejection
{
    [Key("topic")] public string Topic { get; init; } = "";
    [Key("reason")] public string Reason { get; init; } = "";
}
