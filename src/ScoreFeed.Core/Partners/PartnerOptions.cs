namespace ScoreFeed.Partners;

/// <summary>
/// One partner site allowed to embed the widget: configuration <c>Partners:{key}</c>, read by the hubs (who may
/// connect, and how many at once) and by the web app (who may frame the embed pages).
/// </summary>
public sealed class PartnerOptions
{
    public const string Section = "Partners";

    /// <summary>Browser origins (<c>https://news.example</c>) whose pages may use this partner's key.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Connections this partner may hold at once, over all hubs (enforced approximately).</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>
    /// Secrets the partner's server signs embed tokens with (HMAC-SHA256 JWTs, docs/embedding.md "Signed embed
    /// tokens"), at least 32 characters each; several while one replaces another (rotation). None: no tokens.
    /// </summary>
    public string[] TokenSecrets { get; set; } = [];

    /// <summary>Every connection with this key must bring a valid token (the key alone no longer admits anyone).</summary>
    public bool RequireToken { get; set; }

    /// <summary>
    /// The partner's API secret for the hubs' token endpoint (<c>POST /api/v1/partners/{key}/tokens</c>), at least 32
    /// characters; none: the endpoint refuses this partner (it mints its tokens itself).
    /// </summary>
    public string? ApiSecret { get; set; }
}
