using System.Security.Claims;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Protection;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// Way in 1, Kestrel's connection middleware, before HTTP/1.1: when a connection's first request is a hub handshake
/// that skips negotiation (<see cref="HubUpgradeRequest"/>: every ScoreFeed client's), the hub admits it
/// (<see cref="ConnectionAdmission"/>, as the HTTP pipeline would), answers the upgrade and serves the WebSocket on the
/// connection's own pipes and socket, with none of HTTP/1.1's per-request state held for the connection's life: the
/// client's frames are read off the pipe (<see cref="FrameClientSocket"/>), everything the hub sends leaves through the
/// connection's <see cref="SocketWriter"/>. Anything else — other requests, other transports, a head this parser leaves
/// alone, TLS — goes on to HTTP/1.1 unread.
/// </summary>
internal sealed class ConnectionAcceptor(
    IOptions<ScoresHubOptions> options,
    ConnectionAdmission admission,
    ClientAddress clients,
    SendQueues sendQueues,
    HubConnectionHost host,
    TransportMetrics metrics)
{
    // The user of every connection that opened without HTTP/1.1: the hub has no sign-in (partners are told by their key).
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    private readonly bool _direct = options.Value.DirectSockets;

    public async Task OnConnectionAsync(ConnectionContext transport, ConnectionDelegate next)
    {
        // Before TLS, a TLS connection's bytes are a handshake this reader does not take; after it (were the middleware
        // ever put there), the socket carries TLS records the hub must not write past.
        if (!_direct || transport.Features.Get<ITlsConnectionFeature>() is not null
            || transport.Features.Get<IConnectionSocketFeature>()?.Socket is not { } tcp
            || await HandshakeReader.ReadAsync(transport).ConfigureAwait(false) is not { } request)
        {
            await next(transport).ConfigureAwait(false);
            return;
        }
        var remote = clients.Of(transport, request);
        AdmissionRefusal? refusal;
        try
        {
            refusal = await admission.AdmitAsync(remote?.Address, request.Key, transport.ConnectionClosed).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client left while it waited its turn.
            return;
        }
        if (refusal is not null)
        {
            await HandshakeAnswers.RefuseAsync(transport.Transport.Output, refusal).ConfigureAwait(false);
            return;
        }
        // The answer, then frames: all of it through the connection's writer; the client's frames are read off the pipe.
        var writer = sendQueues.NewWriter(tcp);
        await writer.ControlFrame(HandshakeAnswers.SwitchingProtocols(request.WebSocketKey), close: false).ConfigureAwait(false);
        var connection = new HubWebSocketConnection(HubConnectionHost.NewConnectionId(), new FrameClientSocket(transport, writer), Anonymous,
            transport.LocalEndPoint, remote, request.Key, request.Origin)
        {
            Token = request.Token,
        };
        HubConnectionHost.Attach(connection, writer);
        metrics.Accepted(beforeHttp: true);
        await host.RunAsync(connection).ConfigureAwait(false);
    }
}
