using ScoreFeed.Hub.Hubs;

namespace ScoreFeed.Hub.Transport;

/// <summary>What a request to the hub's path asks for.</summary>
internal enum HubRequest
{
    /// <summary>Not the hub's path.</summary>
    None,
    /// <summary><c>/hubs/scores</c> itself: a connection (a WebSocket without an id opens one).</summary>
    Connect,
    /// <summary><c>/hubs/scores/negotiate</c>.</summary>
    Negotiate,
    /// <summary>Anything else under the hub's path.</summary>
    Other,
}

/// <summary>
/// The one rule for which requests reach the hub, matched as ASP.NET Core routing matches them (any case, an optional
/// trailing slash), so that admission, the hub's own WebSocket transport and SignalR's endpoint always agree: a
/// request that routing sends to the hub is one that admission counts (issue 15: <c>/HUBS/scores</c> and
/// <c>/hubs/scores/Negotiate</c> reached the hub uncounted).
/// </summary>
internal static class HubRoute
{
    public static HubRequest Classify(PathString path)
    {
        if (!path.StartsWithSegments(ScoresHub.Path, StringComparison.OrdinalIgnoreCase, out var rest))
        {
            return HubRequest.None;
        }
        if (rest.Value is null or "" or "/")
        {
            return HubRequest.Connect;
        }
        return rest.Equals("/negotiate", StringComparison.OrdinalIgnoreCase) || rest.Equals("/negotiate/", StringComparison.OrdinalIgnoreCase)
            ? HubRequest.Negotiate
            : HubRequest.Other;
    }

    /// <summary>The query parameter of a negotiated connection's id; a hub WebSocket without it skipped negotiation.</summary>
    public const string ConnectionIdParameter = "id";

    /// <summary>The query parameter that carries a partner key (<c>?key=…</c>).</summary>
    public const string KeyParameter = "key";

    /// <summary>The query parameter that carries a partner's signed embed token (<c>?key=…&amp;token=…</c>).</summary>
    public const string TokenParameter = "token";

    /// <summary>The same, as SignalR clients send it (their <c>accessTokenFactory</c>, asked again on every reconnect).</summary>
    public const string AccessTokenParameter = "access_token";

    /// <summary>The embed token of a query: <c>token</c>, else <c>access_token</c>.</summary>
    public static string? TokenOf(Microsoft.Extensions.Primitives.StringValues token, Microsoft.Extensions.Primitives.StringValues accessToken) =>
        !string.IsNullOrEmpty(token) ? token.ToString() : !string.IsNullOrEmpty(accessToken) ? accessToken.ToString() : null;

    /// <summary>
    /// The hub's own path without a connection id: a request that opens a hub WebSocket without negotiation, as every
    /// ScoreFeed client connects (whether it is a WebSocket upgrade, each caller checks as it can at its stage).
    /// </summary>
    public static bool SkipsNegotiation(HttpRequest request) =>
        Classify(request.Path) == HubRequest.Connect && !request.Query.ContainsKey(ConnectionIdParameter);

    /// <summary>The request-target's path as the client sent it (raw bytes, before any decoding), for the hub's own handshake reader.</summary>
    public static bool IsConnect(ReadOnlySpan<byte> rawPath) =>
        System.Text.Ascii.EqualsIgnoreCase(rawPath, ScoresHub.Path) || System.Text.Ascii.EqualsIgnoreCase(rawPath, ScoresHub.Path + "/");
}
