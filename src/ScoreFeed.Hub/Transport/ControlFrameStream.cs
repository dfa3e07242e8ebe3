using System.Net.WebSockets;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// The stream a <see cref="WebSocket"/> runs on when ScoreFeed holds the socket: reads come from the upgraded HTTP
/// connection; writes (whole control frames: pongs, the close frame) join the connection's <see cref="SocketWriter"/>.
/// </summary>
internal sealed class ControlFrameStream(Stream upgraded, SocketWriter writer) : Stream
{
    private const byte CloseOpcode = 0x8;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        upgraded.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        upgraded.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => upgraded.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The WebSocket writes each frame whole, in one call.
        var close = !buffer.IsEmpty && (buffer.Span[0] & 0x0F) == CloseOpcode;
        return new ValueTask(writer.ControlFrame(buffer.Span, close).WaitAsync(cancellationToken));
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            upgraded.Dispose();
        }
        base.Dispose(disposing);
    }
}
