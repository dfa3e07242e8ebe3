using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Partners;

namespace ScoreFeed.Hub.Access;

/// <summary>What a hub does with a new connection, before counting it against a partner's limit.</summary>
internal readonly record struct AccessDecision(string? RefusalCode, string? RefusalText, Partner? Partner)
{
    public bool Refused => RefusalCode is not null;
}

/// <summary>
/// Who may connect to <c>/hubs/scores</c>, from the <c>key</c> query parameter and the <c>Origin</c> header:
/// <list type="bullet">
/// <item>no key: our own pages (<c>Hub:SiteOrigins</c>) and non-browser clients (no <c>Origin</c>: apps, servers, tests);</item>
/// <item>a partner key: pages of that partner's <c>AllowedOrigins</c>, or our own embed pages (the iframe way, which
/// the web app lets only the partner's origins frame); the connection then counts against the partner's limit.
/// A known key without an <c>Origin</c> cannot be the partner's page (browsers always send one on a WebSocket): it is
/// a non-browser client like one without a key, admitted but not counted against the partner, so that no script can
/// spend a partner's quota and lock its readers out.</item>
/// <item>a partner key with a signed embed token (<see cref="EmbedTokens"/>, checked by <see cref="ConnectionGate"/>):
/// the partner's own reader wherever it runs, so it counts against the limit even without an <c>Origin</c>; a browser's
/// origin must still be allowed. A partner with <c>RequireToken</c> admits no connection without one.</item>
/// </list>
/// Only browsers are held to their origin: any other client can send whatever <c>Origin</c> it likes.
/// </summary>
internal sealed class AccessPolicy(IOptions<HubAccessOptions> options, PartnerDirectory partners)
{
    public const string NotEnabled = "This widget is not enabled for this site.";

    private readonly HashSet<string> _site = Origins.NormalizeAll(options.Value.SiteOrigins, $"{HubAccessOptions.Section}:{nameof(HubAccessOptions.SiteOrigins)}");

    public AccessDecision Decide(string? key, string? originHeader, bool withToken = false)
    {
        var browser = !string.IsNullOrEmpty(originHeader);
        var origin = Origins.TryNormalize(originHeader, out var normalized) ? normalized : null;
        var ours = origin is not null && _site.Contains(origin);
        if (string.IsNullOrEmpty(key))
        {
            return !browser || ours
                ? default
                : Refuse(ConnectionRefusal.OriginNotAllowed, $"{NotEnabled} Pages of {Describe(originHeader)} need a partner key.");
        }
        if (!partners.TryGet(key, out var partner))
        {
            return Refuse(ConnectionRefusal.UnknownKey, $"{NotEnabled} Unknown partner key.");
        }
        if (!withToken && partner.RequireToken)
        {
            return Refuse(ConnectionRefusal.TokenRequired, $"{NotEnabled} This partner key needs a signed embed token.");
        }
        if (!browser)
        {
            return withToken ? new AccessDecision(null, null, partner) : default;
        }
        if (!ours && (origin is null || !partner.Allows(origin)))
        {
            return Refuse(ConnectionRefusal.OriginNotAllowed, $"{NotEnabled} The partner key is not enabled for {Describe(originHeader)}.");
        }
        return new AccessDecision(null, null, partner);
    }

    private static AccessDecision Refuse(string code, string text) => new(code, text, null);

    private static string Describe(string? origin) => origin is null ? "(none)" : Ids.Describe(origin);
}
