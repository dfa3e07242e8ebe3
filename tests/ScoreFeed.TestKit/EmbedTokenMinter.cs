using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ScoreFeed.Testing;

/// <summary>
/// Mints embed tokens the way a partner's server does (docs/embedding.md, "Signed embed tokens"): a JWT signed with
/// HMAC-SHA256, written here by hand (no JWT library) so the tests prove the hubs accept what a partner's few lines
/// of code make, and refuse what a forger makes.
/// </summary>
public static class EmbedTokenMinter
{
    public static string Mint(string partnerKey, string secret, TimeSpan lifetime, string[]? topics = null, DateTimeOffset? now = null,
        string audience = "scorefeed", string algorithm = "HS256")
    {
        var issued = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var payload = new Dictionary<string, object> { ["iss"] = partnerKey, ["aud"] = audience, ["iat"] = issued, ["exp"] = issued + (long)lifetime.TotalSeconds };
        if (topics is not null)
        {
            payload["topics"] = topics;
        }
        var head = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = algorithm, typ = "JWT" }));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = algorithm == "none" ? "" : Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{head}.{body}")));
        return $"{head}.{body}.{signature}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
