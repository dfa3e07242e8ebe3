using System.IO.Pipelines;
using System.Net.WebSockets;

namespace ScoreFeed.Hub.Transport;

/// <summary>A <see cref="ClientSocket"/> over .NET's WebSocket (a handshake HTTP/1.1 or HTTP/2 answered).</summary>
internal sealed class ManagedClientSocket(WebSocket socket, ILogger logger) : ClientSocket
{
    private const int ReceiveBufferSize = 512;

    public override async Task ReceiveAsync(PipeWriter input)
    {
        var buffer = new byte[ReceiveBufferSize];
        Exception? error = null;
        try
        {
            var hubDone = false;
            while (true)
            {
                // No token: Abort aborts the socket, which ends a pending receive.
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (hubDone)
                {
                    // As SignalR's transport does: once the hub has closed the connection, what the client still sends
                    // before it answers the close frame is read and dropped, not answered with a reset.
                    continue;
                }
                // The hub parses messages out of the pipe and enforces Hub:MaxMessageSize there.
                var flush = await input.WriteAsync(buffer.AsMemory(0, result.Count)).ConfigureAwait(false);
                hubDone = flush.IsCompleted;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException e)
        {
            // The client went away without a close frame, or the socket was aborted.
            error = e.WebSocketErrorCode is WebSocketError.ConnectionClosedPrematurely or WebSocketError.InvalidState ? null : e;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            error = e;
        }
        await input.CompleteAsync(error).ConfigureAwait(false);
    }

    public override async Task CloseAsync(WebSocketCloseStatus status)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await socket.CloseOutputAsync(status, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                HubLog.WebSocketCloseFailed(logger, e);
            }
        }
    }

    public override void Abort() => socket.Abort();

    public override void Cut() => socket.Abort();
}
