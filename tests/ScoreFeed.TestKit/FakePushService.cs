using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScoreFeed.Testing;

/// <summary>One push a device received: decrypted, with the request's headers of interest.</summary>
internal sealed record ReceivedPush(string Device, JsonElement Payload, string Ttl, string? Urgency, DateTimeOffset At)
{
    public string Kind => Payload.GetProperty("kind").GetString()!;
    public string MatchId => Payload.GetProperty("matchId").GetString()!;
    public long Seq => Payload.GetProperty("seq").GetInt64();
    public string Title => Payload.GetProperty("title").GetString()!;
    public string Epoch => Payload.GetProperty("epoch").GetString()!;
}

/// <summary>
/// A stand-in push service on 127.0.0.1 (real Kestrel): each device is an endpoint <c>/push/{device}</c> with the key
/// pair and auth secret a browser would make. Every request must carry a valid VAPID token (RFC 8292: ES256 verified
/// with the key it names, which must be the site's; <c>aud</c> the endpoint's origin; <c>exp</c> within 24 h;
/// <c>sub</c> set) and an aes128gcm body (RFC 8291) that decrypts with the device's keys; what decrypts is recorded in
/// arrival order. A device can answer 410 (gone), or fail its next requests with a status (500, 429 with Retry-After).
/// </summary>
internal sealed class FakePushService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Device> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedPush> _received = new();
    private readonly ConcurrentQueue<string> _rejections = new();
    private int _attempts;

    private FakePushService(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The site's VAPID public key (base64url): a token signed by any other key is refused.</summary>
    public string? ExpectedPublicKey { get; set; }

    public IReadOnlyList<ReceivedPush> Received => [.. _received];

    /// <summary>Requests refused for a bad token or body (should stay empty), with why.</summary>
    public IReadOnlyList<string> Rejections => [.. _rejections];

    /// <summary>Every request, answered with success or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<ReceivedPush> For(string device) => [.. _received.Where(r => r.Device == device)];

    /// <summary>
    /// A web app that sends goal alerts to this stand-in: push on with the given VAPID pair, http endpoints allowed, no
    /// hub or ingest behind it (the sender needs only Redis), the API's per-address limit out of the way.
    /// </summary>
    public static Dictionary<string, string> WebAppSettings(string redis, string publicKey, string privateKey) => new()
    {
        ["ConnectionStrings:redis"] = redis,
        ["Web:HubBaseUrl"] = "http://127.0.0.1:9",
        ["Web:IngestBaseUrl"] = "http://127.0.0.1:9",
        ["Web:PublicBaseUrl"] = "http://127.0.0.1:9",
        ["Web:ReadTimeout"] = "00:00:00.200",
        ["Push:Enabled"] = "true",
        ["Push:PublicKey"] = publicKey,
        ["Push:PrivateKey"] = privateKey,
        ["Push:Subject"] = "mailto:alerts@scores.example",
        ["Push:AllowHttpEndpoints"] = "true",
        ["Push:RequestsPerMinute"] = "10000",
    };

    public static async Task<FakePushService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var service = new FakePushService(app);
        app.MapPost("/push/{device}", service.HandleAsync);
        await app.StartAsync().Within();
        service.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return service;
    }

    /// <summary>A new device (a browser's subscription): its endpoint and keys as PushSubscription.toJSON() gives them.</summary>
    public Device NewDevice(string name)
    {
        var device = new Device(name, new Uri(BaseUrl, $"/push/{name}").AbsoluteUri);
        _devices[name] = device;
        return device;
    }

    private async Task HandleAsync(HttpContext context, string device)
    {
        var arrived = DateTimeOffset.UtcNow;
        Interlocked.Increment(ref _attempts);
        if (!_devices.TryGetValue(device, out var target))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (target.Gone)
        {
            context.Response.StatusCode = StatusCodes.Status410Gone;
            return;
        }
        if (target.NextFailures.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure.Status;
            if (failure.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return;
        }
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var error = CheckVapid(context.Request, target.Endpoint) ?? CheckHeaders(context.Request);
        string? plaintext = null;
        if (error is null)
        {
            try
            {
                plaintext = target.Decrypt(buffer.ToArray());
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException or InvalidDataException)
            {
                error = "body does not decrypt: " + e.Message;
            }
        }
        if (error is not null)
        {
            _rejections.Enqueue($"{device}: {error}");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var json = JsonDocument.Parse(plaintext!);
        _received.Enqueue(new ReceivedPush(device, json.RootElement.Clone(), context.Request.Headers["TTL"].ToString(),
            context.Request.Headers["Urgency"].FirstOrDefault(), arrived));
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static string? CheckHeaders(HttpRequest request)
    {
        if (request.Headers.ContentEncoding.ToString() != "aes128gcm")
        {
            return $"Content-Encoding '{request.Headers.ContentEncoding}', not aes128gcm";
        }
        return int.TryParse(request.Headers["TTL"], out var ttl) && ttl >= 0 ? null : "no TTL header";
    }

    /// <summary>RFC 8292: <c>Authorization: vapid t=JWT, k=KEY</c>.</summary>
    private string? CheckVapid(HttpRequest request, string endpoint)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("vapid ", StringComparison.Ordinal))
        {
            return $"Authorization is not 'vapid t=…, k=…': '{header}'";
        }
        var parameters = header["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parameters.TryGetValue("t", out var token) || !parameters.TryGetValue("k", out var key))
        {
            return "Authorization lacks t= or k=";
        }
        if (ExpectedPublicKey is not null && key.TrimEnd('=') != ExpectedPublicKey.TrimEnd('='))
        {
            return "k= is not the site's VAPID public key";
        }
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return "t= is not a JWT";
        }
        var point = WebEncoders.Base64UrlDecode(key);
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), WebEncoders.Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256))
        {
            return "the JWT's ES256 signature does not verify with k=";
        }
        using var head = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[0]));
        if (head.RootElement.GetProperty("alg").GetString() != "ES256")
        {
            return "the JWT's alg is not ES256";
        }
        using var claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[1]));
        var aud = claims.RootElement.TryGetProperty("aud", out var a) ? a.GetString() : null;
        if (aud != new Uri(endpoint).GetLeftPart(UriPartial.Authority))
        {
            return $"aud '{aud}' is not the endpoint's origin";
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!claims.RootElement.TryGetProperty("exp", out var exp) || exp.GetInt64() <= now || exp.GetInt64() > now + 24 * 3600)
        {
            return "exp is missing, past, or more than 24 h ahead";
        }
        return claims.RootElement.TryGetProperty("sub", out var sub) && sub.GetString() is { Length: > 0 } ? null : "sub is missing";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().Within();
        await _app.DisposeAsync();
        foreach (var device in _devices.Values)
        {
            device.Dispose();
        }
    }

    internal sealed record Failure(int Status, int? RetryAfterSeconds);

    /// <summary>A browser's side of a subscription: its P-256 key pair and auth secret (RFC 8291).</summary>
    internal sealed class Device(string name, string endpoint) : IDisposable
    {
        private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        private readonly byte[] _auth = RandomNumberGenerator.GetBytes(16);

        public string Name { get; } = name;

        public string Endpoint { get; } = endpoint;

        public bool Gone { get; set; }

        public ConcurrentQueue<Failure> NextFailures { get; } = new();

        public byte[] PublicKey => [0x04, .. _key.ExportParameters(false).Q.X!, .. _key.ExportParameters(false).Q.Y!];

        /// <summary>As PushSubscription.toJSON().</summary>
        public object Json => new { endpoint = Endpoint, expirationTime = (long?)null, keys = new { p256dh = WebEncoders.Base64UrlEncode(PublicKey), auth = WebEncoders.Base64UrlEncode(_auth) } };

        /// <summary>RFC 8291 §3.4 and RFC 8188: header (salt, rs, keyid = the sender's public key), one record.</summary>
        public string Decrypt(byte[] body)
        {
            if (body.Length < 16 + 4 + 1 + 65 + 17)
            {
                throw new InvalidDataException($"body of {body.Length} bytes is too short for aes128gcm");
            }
            var salt = body[..16];
            var idLength = body[20];
            if (idLength != 65)
            {
                throw new InvalidDataException($"keyid of {idLength} bytes is not a P-256 public key");
            }
            var senderPublic = body[21..86];
            var ciphertext = body[86..];
            using var sender = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..] } });
            var ecdhSecret = _key.DeriveRawSecretAgreement(sender.PublicKey);
            byte[] keyInfo = [.. "WebPush: info"u8, 0, .. PublicKey, .. senderPublic];
            var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, _auth, keyInfo);
            var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
            var cek = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, [.. "Content-Encoding: aes128gcm"u8, 0]);
            var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, [.. "Content-Encoding: nonce"u8, 0]);
            var plain = new byte[ciphertext.Length - 16];
            using (var gcm = new AesGcm(cek, 16))
            {
                gcm.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);
            }
            var end = plain.Length - 1;
            while (end >= 0 && plain[end] == 0)
            {
                end--;
            }
            if (end < 0 || plain[end] != 2)
            {
                throw new InvalidDataException("the last record does not end with the padding delimiter 0x02");
            }
            return Encoding.UTF8.GetString(plain, 0, end);
        }

        public void Dispose() => _key.Dispose();
    }
}
