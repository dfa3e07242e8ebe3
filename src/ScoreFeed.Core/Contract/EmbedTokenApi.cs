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
