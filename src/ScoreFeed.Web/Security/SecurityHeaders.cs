using Microsoft.Extensions.Options;

namespace ScoreFeed.Web.Security;

/// <summary>
/// Headers on every response of the site: a Content-Security-Policy that lets pages run only our own scripts and
/// styles, register only our own service worker (/sw.js, goal alerts), and connect only to ourselves and the hub, no framing (the embed pages allow their partner's origins
/// instead, <see cref="AllowFraming"/>), no MIME sniffing, and a referrer that stays on our origin.
/// </summary>
internal sealed class SecurityHeaders(IOptions<WebOptions> options) : IMiddleware
{
    private static readonly object FrameAncestorsItem = new();
    private static readonly object ConnectItem = new();

    private readonly string _connect = ConnectSources(options.Value.HubOrigin);

    /// <summary>Lets <paramref name="origins"/> frame this response (embed pages); none → nobody, '*' → anybody.</summary>
    public static void AllowFraming(HttpContext context, IEnumerable<string> origins)
    {
        var list = string.Join(' ', origins);
        context.Items[FrameAncestorsItem] = list.Length == 0 ? "'none'" : list;
    }

    /// <summary>Lets this response's page also connect to <paramref name="origin"/> (the operator console calls ingest).</summary>
    public static void AllowConnect(HttpContext context, string origin) =>
        context.Items[ConnectItem] = new Uri(origin).GetLeftPart(UriPartial.Authority);

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            var connect = context.Items.TryGetValue(ConnectItem, out var extra) && extra is string origin ? $"{_connect} {origin}" : _connect;
            var ancestors = context.Items.TryGetValue(FrameAncestorsItem, out var value) && value is string list ? list : "'none'";
            headers.ContentSecurityPolicy =
                $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; worker-src 'self'; " +
                $"connect-src {connect}; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}";
            if (ancestors == "'none'")
            {
                headers.XFrameOptions = "DENY";
            }
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>'self' plus the hub over http(s) and ws(s): browsers that predate CSP 3 do not map one to the other.</summary>
    public static string ConnectSources(string hubOrigin)
    {
        var uri = new Uri(hubOrigin);
        var ws = (uri.Scheme == "https" ? "wss://" : "ws://") + uri.Authority;
        return $"'self' {uri.GetLeftPart(UriPartial.Authority)} {ws}";
    }
}
