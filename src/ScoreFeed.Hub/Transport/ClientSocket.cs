using System.IO.Pipelines;
using System.Net.WebSockets;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// The client's side of a hub WebSocket connection, as <see cref="HubConnectionHost"/> runs it: what the client sends goes
/// into the pipe SignalR's hub reads; the transport closes it (one close frame) or aborts it. What the hub sends does not
/// pass here (<see cref="SocketWriter"/>, or the WebSocket's own sends).
/// </summary>
internal abstract class ClientSocket
{
    /// <summary>
    /// Copies the payload of every data frame the client sends into <paramref name="input"/> (message boundaries do not
    /// matter: SignalR's protocols delimit their messages), until the client's close frame, a broken connection or
    /// <see cref="Abort"/>; then completes <paramref name="input"/>, with the error if there was one.
    /// </summary>
    public abstract Task ReceiveAsync(PipeWriter input);

    /// <summary>Sends the close frame (once; later calls do nothing) and completes when it is sent or cannot be.</summary>
    public abstract Task CloseAsync(WebSocketCloseStatus status);

    /// <summary>Ends the connection without a close handshake; <see cref="ReceiveAsync"/> ends.</summary>
    public abstract void Abort();

    /// <summary>
    /// Cuts the connection now, for a client that takes nothing (not even the close frame): the socket resets, what
    /// waits to be sent is dropped (in the kernel too) and <see cref="ReceiveAsync"/> ends.
    /// </summary>
    public abstract void Cut();
}
