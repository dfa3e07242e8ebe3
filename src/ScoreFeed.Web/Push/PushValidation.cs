using System.Text.RegularExpressions;
using ScoreFeed.Contract;
using ScoreFeed.Web.Localization;

namespace ScoreFeed.Web.Push;

/// <summary>Body of <c>PUT /api/v1/push/subscription</c>.</summary>
internal sealed record SubscriptionRequest
{
    public PushSubscriptionJson? Subscription { get; init; }
    public IReadOnlyList<string>? Follow { get; init; }
    /// <summary>The language alerts are written in (the page's: en, es, de, fr, ar, or a tag such as "es-MX"); English for any other or none.</summary>
    public string? Lang { get; init; }
}

/// <summary>A browser's <c>PushSubscription.toJSON()</c>: <c>expirationTime</c> is accepted and ignored.</summary>
internal sealed record PushSubscriptionJson
{
    public string? Endpoint { get; init; }
    public long? ExpirationTime { get; init; }
    public PushKeysJson? Keys { get; init; }
}

internal sealed record PushKeysJson
{
    public string? P256dh { get; init; }
    public string? Auth { get; init; }
}

/// <summary>Body of <c>DELETE /api/v1/push/subscription</c>.</summary>
internal sealed record UnsubscribeRequest
{
    public string? Endpoint { get; init; }
}

/// <summary>Body of <c>GET /api/v1/push/key</c>.</summary>
internal sealed record PushKeyResponse(string PublicKey);

/// <summary>A subscription that passed validation: what is stored.</summary>
internal sealed record ValidSubscription(string Endpoint, string P256dh, string Auth, IReadOnlyList<string> Teams, IReadOnlyList<string> Matches, string Lang)
{
    public string Id => PushSubscriptionId.Of(Endpoint);
}

/// <summary>What the subscription API accepts; each failure is a field and a sentence for a 400 problem.</summary>
internal static partial class PushValidation
{
    public const int MaxFollow = 50;
    public const int MaxEndpointLength = 2048;
    public const int MaxBodyBytes = 8 * 1024;

    public static (ValidSubscription? Subscription, string? Field, string? Error) Validate(SubscriptionRequest? request, bool allowHttp)
    {
        if (request?.Subscription is not { } subscription)
        {
            return (null, "subscription", "is required: the browser's PushSubscription as JSON ({ endpoint, keys: { p256dh, auth } })");
        }
        if (ValidateEndpoint(subscription.Endpoint, allowHttp) is { } endpointError)
        {
            return (null, "subscription.endpoint", endpointError);
        }
        if (!VapidKeys.TryDecode(subscription.Keys?.P256dh, 65, out var p256dh) || p256dh[0] != 0x04 || !VapidKeys.IsOnCurve(p256dh))
        {
            return (null, "subscription.keys.p256dh", "must be the base64url of a 65-byte uncompressed P-256 point");
        }
        if (!VapidKeys.TryDecode(subscription.Keys?.Auth, 16, out _))
        {
            return (null, "subscription.keys.auth", "must be the base64url of 16 bytes");
        }
        var (teams, matches, field, error) = ParseFollow(request.Follow);
        if (error is not null)
        {
            return (null, field, error);
        }
        return (new ValidSubscription(subscription.Endpoint!, subscription.Keys!.P256dh!.TrimEnd('='), subscription.Keys.Auth!.TrimEnd('='), teams, matches, Language(request.Lang)), null, null);
    }

    public static string? ValidateEndpoint(string? endpoint, bool allowHttp)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            return "is required";
        }
        if (endpoint.Length > MaxEndpointLength)
        {
            return $"is longer than {MaxEndpointLength} characters";
        }
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "must be an absolute URL";
        }
        if (uri.Scheme == "https" || (allowHttp && uri.Scheme == "http"))
        {
            return null;
        }
        return allowHttp ? "must be an http(s) URL" : "must be an https URL (a push service's endpoint)";
    }

    /// <summary><c>t:{teamId}</c> and <c>m:{matchId}</c> entries, as the <c>sf-follow</c> cookie holds them; duplicates dropped.</summary>
    public static (IReadOnlyList<string> Teams, IReadOnlyList<string> Matches, string? Field, string? Error) ParseFollow(IReadOnlyList<string>? follow)
    {
        if (follow is null || follow.Count == 0)
        {
            return ([], [], "follow", "must list at least one entry (t:{teamId} or m:{matchId}): alerts are for what a fan follows");
        }
        if (follow.Count > MaxFollow)
        {
            return ([], [], "follow", $"has {follow.Count} entries; at most {MaxFollow}");
        }
        var teams = new List<string>();
        var matches = new List<string>();
        for (var i = 0; i < follow.Count; i++)
        {
            var entry = follow[i];
            var match = FollowEntry().Match(entry ?? "");
            if (!match.Success)
            {
                return ([], [], $"follow[{i}]", $"'{entry}' is not t:{{teamId}} or m:{{matchId}} with an id matching {Ids.Pattern}");
            }
            var list = match.Groups[1].Value == "t" ? teams : matches;
            if (!list.Contains(match.Groups[2].Value))
            {
                list.Add(match.Groups[2].Value);
            }
        }
        return (teams, matches, null, null);
    }

    /// <summary>One of <see cref="Text.Languages"/> by the tag's primary subtag ("es-MX" → "es"); English otherwise.</summary>
    public static string Language(string? tag)
    {
        var primary = (tag ?? "").Split('-', '_')[0].Trim().ToLowerInvariant();
        return Text.Languages.Contains(primary, StringComparer.Ordinal) ? primary : Text.Languages[0];
    }

    [GeneratedRegex("^([tm]):([A-Za-z0-9_-]{1,64})$", RegexOptions.CultureInvariant)]
    private static partial Regex FollowEntry();
}

/// <summary>A subscription's id: a hash of its endpoint (the endpoint is a capability URL: keys never carry it).</summary>
internal static class PushSubscriptionId
{
    public static string Of(string endpoint) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(endpoint)))[..32];
}
