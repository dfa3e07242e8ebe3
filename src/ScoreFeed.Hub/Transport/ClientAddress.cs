using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// The client's address and port of a connection whose handshake the hub read itself: the connection's peer, or
/// behind a proxy what its forwarded headers say, by the forwarded-headers middleware's own rules.
/// </summary>
internal sealed class ClientAddress
{
    private readonly ForwardedHeadersMiddleware? _forwarded;

    public ClientAddress(IConfiguration configuration, IOptions<ForwardedHeadersOptions> forwarded, ILoggerFactory loggers)
    {
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED puts the forwarded-headers middleware in front of HTTP/1.1's requests; the
        // handshakes read before HTTP/1.1 get the same (the client's address behind a proxy, for the per-address limit).
        _forwarded = string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase)
            ? new ForwardedHeadersMiddleware(_ => Task.CompletedTask, loggers, forwarded)
            : null;
    }

    public IPEndPoint? Of(ConnectionContext transport, HubUpgradeRequest request)
    {
        var peer = transport.RemoteEndPoint as IPEndPoint;
        if (_forwarded is null || request.Forwarded.Count == 0)
        {
            return peer;
        }
        var http = new DefaultHttpContext();
        (http.Connection.RemoteIpAddress, http.Connection.RemotePort) = (peer?.Address, peer?.Port ?? 0);
        foreach (var (name, value) in request.Forwarded)
        {
            http.Request.Headers.Append(name, value);
        }
        _forwarded.ApplyForwarders(http);
        return http.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, http.Connection.RemotePort) : null;
    }
}
