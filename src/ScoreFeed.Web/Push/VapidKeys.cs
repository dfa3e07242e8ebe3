using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace ScoreFeed.Web.Push;

/// <summary>VAPID (RFC 8292) key pairs: P-256, the public key as an uncompressed point, both base64url.</summary>
internal static class VapidKeys
{
    public static (string PublicKey, string PrivateKey) Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(includePrivateParameters: true);
        return (Encode(PublicPoint(p.Q)), Encode(p.D!));
    }

    public static byte[] PublicPoint(ECPoint q) => [0x04, .. q.X!, .. q.Y!];

    public static string Encode(ReadOnlySpan<byte> bytes) => WebEncoders.Base64UrlEncode(bytes.ToArray());

    public static bool TryDecode(string? text, int length, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text) || text.Length > 200 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=')))
        {
            return false;
        }
        try
        {
            bytes = WebEncoders.Base64UrlDecode(text.TrimEnd('='));
        }
        catch (FormatException)
        {
            return false;
        }
        return bytes.Length == length;
    }

    public static bool IsPublicKey(string? text) => TryDecode(text, 65, out var bytes) && bytes[0] == 0x04 && IsOnCurve(bytes);

    public static bool IsPrivateKey(string? text) => TryDecode(text, 32, out _);

    public static bool IsSubject(string? text) =>
        text is not null && (text.StartsWith("mailto:", StringComparison.Ordinal) && text.Length > 8
            || Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == "https");

    /// <summary>Whether the 65 bytes are a point of P-256 (an importable public key), as a browser's p256dh must be.</summary>
    public static bool IsOnCurve(byte[] point)
    {
        try
        {
            using var key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static bool PairMatches(string publicKey, string privateKey)
    {
        TryDecode(privateKey, 32, out var d);
        try
        {
            using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            return Encode(PublicPoint(key.ExportParameters(false).Q)) == publicKey.TrimEnd('=');
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>
/// <c>ScoreFeed.Web generate-vapid-keys</c> (or <c>--generate-vapid-keys</c>): prints a new VAPID key pair and the
/// configuration that sets it (docs/push.md).
/// </summary>
internal static class GenerateVapidKeysCommand
{
    public static int? TryRun(string[] args, TextWriter output)
    {
        if (args is not (["generate-vapid-keys"] or ["--generate-vapid-keys"]))
        {
            return null;
        }
        var (publicKey, privateKey) = VapidKeys.Generate();
        output.WriteLine("# environment variables (the private key is a secret: keep it in a secret store, never in a committed file):");
        output.WriteLine($"Push__PublicKey={publicKey}");
        output.WriteLine($"Push__PrivateKey={privateKey}");
        return 0;
    }
}
