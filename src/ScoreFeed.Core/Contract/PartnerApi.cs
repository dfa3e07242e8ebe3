namespace ScoreFeed.Contract;

/// <summary>Body of <c>POST /api/v1/partners/{key}/tokens</c> (both members optional).</summary>
public sealed record EmbedTokenRequest
{
    /// <summary>The topics the token allows (<c>live</c>, <c>competition:{id}</c>, <c>match:{id}</c>); none: any.</summary>
    public IReadOnlyList<string>? Topics { get; init; }

    /// <summary>How long it lives, 60–3600 seconds; default 900.</summary>
    public int? LifetimeSeconds { get; init; }
}

/// <summary>Answer of <c>POST /api/v1/partners/{key}/tokens</c>: the token for the widget's <c>token</c>.</summary>
public sealed record EmbedTokenResponse
{
    public string Token { get; init; } = "";

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long ExpiresAt { get; init; }
}

/// <summary>Answer of <c>GET /api/v1/partners/{key}/usage</c> (JSON): a partner's usage on a UTC day.</summary>
public sealed record UsageDay
{
    public string Partner { get; init; } = "";

    /// <summary>yyyy-MM-dd (UTC).</summary>
    public string Day { get; init; } = "";

    /// <summary>The minutes with something in them, in order.</summary>
    public IReadOnlyList<UsageMinute> Minutes { get; init; } = [];
}

/// <summary>One minute of a partner's usage, over all hubs.</summary>
public sealed record UsageMinute
{
    /// <summary>The minute's start, e.g. 2026-12-03T20:15Z.</summary>
    public string Minute { get; init; } = "";

    public long Opened { get; init; }

    /// <summary>Connections refused, by reason: origin-not-allowed, over-limit, token-required, token-invalid.</summary>
    public IReadOnlyDictionary<string, long> Refused { get; init; } = new Dictionary<string, long>();

    /// <summary>The most connections open at once in the minute (approximate, as the limit counts them).</summary>
    public long Peak { get; init; }

    /// <summary>Update frames delivered to the partner's connections.</summary>
    public long Updates { get; init; }

    /// <summary>Their bytes on the wire (the WebSocket payloads).</summary>
    public long Bytes { get; init; }
}
