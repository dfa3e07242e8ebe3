using MessagePack;

namespace ScoreFeed.Contract;

/// <summary>
/// Server → client <c>audience</c> (a contract extension): about how many connections, over all hubs, hold
/// <c>match:{id}</c>. Sent right after a Subscribe that joins the match, then whenever the count changes (checked
/// every <c>Hub:PresenceInterval</c>). Approximate by design: hubs exchange their counts every interval.
/// </summary>
[MessagePackObject]
public sealed record AudienceMessage
{
    [Key("matchId")] public string MatchId { get; init; } = "";
    [Key("watching")] public int Watching { get; init; }
}

/// <summary>
/// Why a hub refused a connection. The hub closes it right after the handshake with a SignalR close message whose
/// error reads <c>… HubException: scorefeed-refused:{code}: {text}</c>, and no reconnect is allowed.
/// </summary>
public static class ConnectionRefusal
{
    public const string Prefix = "scorefeed-refused:";

    /// <summary>The <c>key</c> query parameter names no configured partner.</summary>
    public const string UnknownKey = "unknown-key";

    /// <summary>The page's <c>Origin</c> is neither one of ours nor one the partner allowed.</summary>
    public const string OriginNotAllowed = "origin-not-allowed";

    /// <summary>The partner holds <c>MaxConnections</c> connections already (counted over all hubs, approximately).</summary>
    public const string OverLimit = "over-limit";

    /// <summary>The partner requires a signed embed token (<c>token</c> query parameter) and none came.</summary>
    public const string TokenRequired = "token-required";

    /// <summary>The embed token is forged, expired, for another partner or otherwise invalid (the text says which).</summary>
    public const string TokenInvalid = "token-invalid";

    public static string Message(string code, string text) => $"{Prefix}{code}: {text}";
}
