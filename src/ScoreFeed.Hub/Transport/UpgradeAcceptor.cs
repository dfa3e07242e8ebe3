using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Protection;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// Ways in 2 and 3, an HTTP middleware: a hub handshake that skips negotiation and reached HTTP/1.1 anyway (a second
/// request on a kept-alive connection, a head <see cref="ConnectionAcceptor"/> left alone) or came another way (TLS,
/// HTTP/2, another server). Over plain HTTP/1.1 on a Kestrel socket (way 2), the hub answers the upgrade itself and keeps
/// the socket: .NET's WebSocket reads what the client sends and writes only its control frames, and everything leaves
/// through the connection's <see cref="SocketWriter"/>. Otherwise (way 3) the WebSockets middleware accepts, and its
/// WebSocket sends (<see cref="WebSocketWriter"/>) under the slow-consumer guard's <see cref="GuardedWriter"/>.
/// Negotiated connections, server-sent events and long polling go on to SignalR's endpoint.
/// </summary>
internal sealed class UpgradeAcceptor(
    IOptions<ScoresHubOptions> options,
    SlowConsumerGuard guard,
    SendQueues sendQueues,
    HubConnectionHost host,
    TransportMetrics metrics,
    ILogger<UpgradeAcceptor> logger)
{
    // No keep-alive frames of its own: SignalR's pings keep the connection alive and find a dead one.
    private static readonly WebSocketCreationOptions SocketOptions = new() { IsServer = true, KeepAliveInterval = TimeSpan.Zero };

    private readonly bool _direct = options.Value.DirectSockets;

    /// <summary>
    /// True for a WebSocket request to the hub without a connection id (no negotiation); SignalR's endpoint takes
    /// the others. <see cref="HttpContext.WebSockets"/> needs the WebSockets middleware in front.
    /// </summary>
    public static bool Handles(HttpContext context) => HubRoute.SkipsNegotiation(context.Request) && context.WebSockets.IsWebSocketRequest;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Handles(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var direct = _direct
            // Over TLS the socket carries records, not frames: TLS writes, through the WebSocket's own sends. The
            // connection says whether it is TLS; the request's scheme can be set by X-Forwarded-Proto.
            && context.Features.Get<ITlsConnectionFeature>() is null
            && context.Features.Get<IConnectionSocketFeature>()?.Socket is { } tcp
            && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
            ? (Writer: sendQueues.NewWriter(tcp), Upgrade: upgrade)
            : default;
        using var socket = direct.Writer is null
            ? await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false)
            : WebSocket.CreateFromStream(
                new ControlFrameStream(await HandshakeAnswers.UpgradeAsync(context, direct.Upgrade).ConfigureAwait(false), direct.Writer),
                SocketOptions);
        var connection = new HubWebSocketConnection(HubConnectionHost.NewConnectionId(), new ManagedClientSocket(socket, logger), context.User,
            LocalEndPoint(context), RemoteEndPoint(context),
            context.Request.Query[HubRoute.KeyParameter].ToString(), context.Request.Headers.Origin.ToString())
        {
            HttpContext = context,
            Token = HubRoute.TokenOf(context.Request.Query[HubRoute.TokenParameter], context.Request.Query[HubRoute.AccessTokenParameter]),
        };
        if (direct.Writer is { } writer)
        {
            HubConnectionHost.Attach(connection, writer);
        }
        else
        {
            connection.Transport = new DuplexPipe(connection.Input.Reader, new WebSocketWriter(socket, connection));
            GuardedWriter.Attach(guard, connection, connection.Transport.Output);
        }
        metrics.Accepted(beforeHttp: false);
        await host.RunAsync(connection).ConfigureAwait(false);
    }

    private static IPEndPoint? LocalEndPoint(HttpContext context) =>
        context.Connection.LocalIpAddress is { } local ? new IPEndPoint(local, context.Connection.LocalPort) : null;

    private static IPEndPoint? RemoteEndPoint(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } remote ? new IPEndPoint(remote, context.Connection.RemotePort) : null;
}
