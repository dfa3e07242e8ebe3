using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ScoreFeed.Web.Assets;

/// <summary>
/// The front-end bundle (ClientApp/dist, embedded in this assembly): read once, compressed once (Brotli and gzip),
/// served with an ETag. Pages link <c>/assets/{name}?v={hash}</c>, cached for a year; partners link
/// <c>/widget.js</c>, whose URL never changes, so it is cached for five minutes and revalidated.
/// </summary>
internal sealed class ClientAssets
{
    public const string WidgetPath = "/widget.js";

    /// <summary>The service worker of goal alerts: at the root (its scope is the whole site), never under a hashed name.</summary>
    public const string ServiceWorkerPath = "/sw.js";

    /// <summary>Replaced in widget.js by <see cref="WebOptions.HubBaseUrl"/> when it is loaded.</summary>
    private const string HubPlaceholder = "__SCOREFEED_HUB_BASE_URL__";

    /// <summary>Replaced in widget.js by <see cref="WebOptions.CompetitionNames"/> (JSON) when it is loaded.</summary>
    private const string NamesPlaceholder = "__SCOREFEED_COMPETITION_NAMES__";

    private readonly FrozenDictionary<string, Asset> _assets;

    public ClientAssets(IOptions<WebOptions> options)
    {
        var assembly = typeof(ClientAssets).Assembly;
        // Both go inside JS string literals: JSON string escaping (which also escapes quotes and <) keeps them there.
        var hub = JsonSerializer.Serialize(options.Value.HubBaseUrl.AbsoluteUri.TrimEnd('/'))[1..^1];
        var names = JsonSerializer.Serialize(JsonSerializer.Serialize(options.Value.CompetitionNames))[1..^1];
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("assets/", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n == "assets/widget.js" ? [(HubPlaceholder, hub), (NamesPlaceholder, names)] : []))
            .ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
        if (!_assets.ContainsKey("app.js") || !_assets.ContainsKey("widget.js") || !_assets.ContainsKey("site.css") || !_assets.ContainsKey("sw.js"))
        {
            throw new InvalidOperationException("The front-end bundle is missing from ScoreFeed.Web: build it (npm run build in src/ScoreFeed.Web/ClientApp), then this project.");
        }
    }

    /// <summary>The versioned URL of an asset, for pages: <c>/assets/app.js?v=…</c>.</summary>
    public string Url(string name) => $"/assets/{name}?v={_assets[name].Version}";

    public bool TryGet(string name, out Asset asset) => _assets.TryGetValue(name, out asset!);

    public static async Task ServeAsync(HttpContext context, Asset asset, bool immutable, string? cacheControl = null)
    {
        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.CacheControl = cacheControl ?? (immutable && context.Request.Query["v"] == asset.Version
            ? "public, max-age=31536000, immutable"
            : "public, max-age=300, must-revalidate");
        response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var accept = context.Request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = accept.Contains("br", StringComparison.Ordinal) ? (asset.Brotli, "br")
            : accept.Contains("gzip", StringComparison.Ordinal) ? (asset.Gzip, "gzip")
            : (asset.Raw, null);
        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static Asset Load(Assembly assembly, string resource, (string From, string To)[] replacements)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var raw = buffer.ToArray();
        if (replacements.Length > 0)
        {
            var text = Encoding.UTF8.GetString(raw);
            foreach (var (from, to) in replacements)
            {
                text = text.Replace(from, to, StringComparison.Ordinal);
            }
            raw = Encoding.UTF8.GetBytes(text);
        }
        var name = resource["assets/".Length..];
        var version = Convert.ToHexStringLower(SHA256.HashData(raw))[..16];
        return new Asset(
            name,
            name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
            version,
            $"\"{version}\"",
            raw,
            Compress(raw, s => new BrotliStream(s, CompressionLevel.SmallestSize)),
            Compress(raw, s => new GZipStream(s, CompressionLevel.SmallestSize)));
    }

    private static byte[] Compress(byte[] raw, Func<Stream, Stream> encoder)
    {
        using var output = new MemoryStream();
        using (var stream = encoder(output))
        {
            stream.Write(raw);
        }
        return output.ToArray();
    }
}

internal sealed record Asset(string Name, string ContentType, string Version, string ETag, byte[] Raw, byte[] Brotli, byte[] Gzip);
