using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ScoreFeed.Testing;

internal static class Ports
{
    /// <summary>
    /// A port on 127.0.0.1 that was free a moment ago, chosen below the kernel's ephemeral range: a server that
    /// is killed and restarted on its port (Redis in the fault tests) must not find it taken meanwhile as the
    /// source port of one of the thousands of client sockets the tests open.
    /// </summary>
    public static int Free()
    {
        var (low, _) = EphemeralRange();
        if (low > 12_000)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(10_000, low);
                if (IsFree(port))
                {
                    return port;
                }
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }
}
