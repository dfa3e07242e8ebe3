using System.Net;
using System.Net.Sockets;

namespace ScoreFeed.Limits;

/// <summary>
/// What a per-address limit counts a client as. An IPv4 address is one client; an IPv6 client is its /64, the
/// smallest block an ISP hands one subscriber (RFC 6177): keyed per /128, one host could pick a fresh address for each
/// attempt and never meet a limit. IPv4-mapped IPv6 addresses count as their IPv4 address.
/// </summary>
public static class AddressKey
{
    public const string Unknown = "unknown";

    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
