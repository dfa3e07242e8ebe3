using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// The fallback writer, where the WebSockets middleware accepted (TLS, HTTP/2, another server, <c>Hub:DirectSockets</c>
/// off), under the slow-consumer guard's <see cref="GuardedWriter"/> (one flush at a time): what was written since the
/// last flush leaves as one WebSocket message, text or binary after the connection's protocol. A flush that the socket
/// cannot take at once completes when it has.
/// </summary>
internal sealed class WebSocketWriter(WebSocket socket, ITransferFormatFeature format) : PipeWriter
{
    private ArrayBufferWriter<byte> _buffer = new(256);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

    public override void Advance(int bytes) => _buffer.Advance(bytes);

    /// <summary>
    /// A send the socket does not take (a client that stopped reading) is given up by aborting the socket; the
    /// connection then ends. (Sends take no cancellation token: with one, every send takes the WebSocket's slower path.)
    /// </summary>
    public override void CancelPendingFlush() => socket.Abort();

    // The socket is closed by the transport, after the hub is done with it.
    public override void Complete(Exception? exception = null)
    {
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_buffer.WrittenCount == 0)
        {
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: socket.State != WebSocketState.Open));
        }
        ValueTask send;
        try
        {
            var type = format.ActiveFormat == TransferFormat.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
            send = socket.SendAsync(_buffer.WrittenMemory, type, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            Reset();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }
        if (send.IsCompletedSuccessfully)
        {
            Reset();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
        }
        return AwaitSendAsync(send);
    }

    private async ValueTask<FlushResult> AwaitSendAsync(ValueTask send)
    {
        try
        {
            await send.ConfigureAwait(false);
            return new FlushResult(isCanceled: false, isCompleted: false);
        }
        catch (OperationCanceledException)
        {
            return new FlushResult(isCanceled: true, isCompleted: false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
        {
            return new FlushResult(isCanceled: false, isCompleted: true);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>A buffer that grew for a large message (a Subscribe result) is not kept for the connection's life.</summary>
    private void Reset()
    {
        if (_buffer.Capacity > 4096)
        {
            _buffer = new ArrayBufferWriter<byte>(256);
        }
        else
        {
            _buffer.ResetWrittenCount();
        }
    }
}
