using System.Net;

namespace ScoreFeed.Deployment;

/// <summary>
/// Whether an address only reaches this machine: <c>localhost</c>, <c>*.localhost</c>, 127.0.0.0/8, <c>::1</c> (also
/// IPv4-mapped), and the unspecified addresses <c>0.0.0.0</c> and <c>::</c> (which a browser or client takes as this
/// machine). A deployment that names one of these for a browser-facing URL or origin serves only itself.
/// </summary>
public static class Loopback
{
    /// <summary>Whether <paramref name="host"/> (a name or an IP address, IPv6 with or without brackets) is loopback.</summary>
    public static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }
        host = host.Trim().TrimEnd('.');
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!IPAddress.TryParse(host, out var address))
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
    }

    /// <summary>
    /// Whether <paramref name="text"/>, an absolute URL or origin (<c>https://host[:port][/path]</c>) or a bare
    /// <c>host[:port]</c>, points at loopback. Text that names no host is not loopback (other checks report it).
    /// </summary>
    public static bool IsLoopbackUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && IsLoopbackHost(uri.Host);
        }
        return Uri.TryCreate("tcp://" + text, UriKind.Absolute, out var endpoint) ? IsLoopbackHost(endpoint.Host) : IsLoopbackHost(text);
    }

    /// <summary>Whether an endpoint of a client library (a <see cref="DnsEndPoint"/> or <see cref="IPEndPoint"/>) is loopback.</summary>
    public static bool IsLoopbackEndPoint(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => IsLoopbackHost(dns.Host),
        IPEndPoint ip => IsLoopbackHost(ip.Address.ToString()),
        _ => false,
    };
}
