using System.Diagnostics.CodeAnalysis;

namespace ScoreFeed.Partners;

/// <summary>Browser origins (<c>scheme://host[:port]</c>) as the <c>Origin</c> header sends them.</summary>
public static class Origins
{
    /// <summary>
    /// Normalizes an origin: lowercase scheme and host, default port dropped, no path. Fails for anything that is not
    /// an http(s) origin, including the opaque origin <c>null</c> that sandboxed frames and files send.
    /// </summary>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? origin)
    {
        origin = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri))
        {
            return false;
        }
        if (uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }
        origin = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        return true;
    }

    /// <summary>The normalized set of <paramref name="origins"/>; throws naming <paramref name="key"/> for an invalid one.</summary>
    public static HashSet<string> NormalizeAll(IEnumerable<string> origins, string key)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in origins)
        {
            if (!TryNormalize(text, out var origin))
            {
                throw new ArgumentException($"{key}: '{text}' is not a browser origin; expected scheme://host[:port], e.g. https://news.example");
            }
            set.Add(origin);
        }
        return set;
    }
}
