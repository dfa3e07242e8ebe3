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
}
