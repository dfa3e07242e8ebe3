using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using ScoreFeed.Hub.Transport;
using ScoreFeed.Testing;

namespace ScoreFeed.UnitTests.Transport;

/// <summary>
/// What the hub's frame reader (<see cref="FrameClientSocket"/>) made of the bytes a client sent: the payload the hub's
/// pipe got, the payloads of the pongs and the close code sent back (through a real <see cref="SocketWriter"/> on a
/// loopback socket), and the error the hub's pipe ended with (null: the client's close, or the end of its bytes).
/// </summary>
internal sealed record FrameReaderRun(byte[] Payload, IReadOnlyList<byte[]> Pongs, int? CloseCode, string? Error)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs a new reader over <paramref name="wire"/>, given to it in pieces of the sizes <paramref name="pieces"/> lists
    /// (cycled; empty: all at once), then the end of the client's bytes. Throws only if the reader hangs or throws.
    /// </summary>
    public static async Task<FrameReaderRun> RunAsync(byte[] wire, IReadOnlyList<int> pieces)
    {
        // No back-pressure on the client's side: the reader may stop reading (a refusal) before all of it is given.
        var client = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var hub = new Pipe();
        var connection = new DefaultConnectionContext("fuzz") { Transport = new DuplexPipe(client.Reader, new Pipe().Writer) };
        SendQueue? queue = null;
        await using var loopback = await LoopbackWriter.StartAsync((metrics, _) => queue = new SendQueue(TimeSpan.Zero, 256, metrics, TimeProvider.System), connection);
        using var sends = queue;
        var socket = new FrameClientSocket(connection, loopback.Writer);
        var receiving = socket.ReceiveAsync(hub.Writer);
        var reading = ReadAllAsync(hub.Reader);
        for (int at = 0, piece = 0; at < wire.Length && !receiving.IsCompleted; piece++)
        {
            var size = pieces.Count == 0 ? wire.Length : Math.Max(1, pieces[piece % pieces.Count]);
            size = Math.Min(size, wire.Length - at);
            await client.Writer.WriteAsync(wire.AsMemory(at, size));
            at += size;
        }
        await client.Writer.CompleteAsync();
        await receiving.WaitAsync(Timeout);
        var (payload, error) = await reading.WaitAsync(Timeout);
        await Wait.UntilAsync(() => loopback.Writer.Drained, Timeout, "the reader's control frames to be sent");
        var (pongs, close) = ServerControlFrames(await loopback.ReceiveToEndAsync());
        return new FrameReaderRun(payload, pongs, close, error);
    }

    /// <summary>The pongs' payloads and the close frame's code in what the writer sent (control frames only, here).</summary>
    private static (List<byte[]> Pongs, int? Close) ServerControlFrames(ReadOnlySpan<byte> sent)
    {
        var pongs = new List<byte[]>();
        int? close = null;
        while (!sent.IsEmpty)
        {
            var length = sent[1] & 0x7F;
            var payload = sent.Slice(2, length);
            if (sent[0] == 0x8A)
            {
                pongs.Add(payload.ToArray());
            }
            else if (sent[0] == 0x88 && close is null)
            {
                close = BinaryPrimitives.ReadUInt16BigEndian(payload);
            }
            else
            {
                throw new InvalidOperationException($"Not a pong nor the one close frame: {sent[0]:X2}.");
            }
            sent = sent[(2 + length)..];
        }
        return (pongs, close);
    }

    private static async Task<(byte[] Payload, string? Error)> ReadAllAsync(PipeReader reader)
    {
        var all = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    all.Write(segment.Span);
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return (all.WrittenSpan.ToArray(), null);
                }
            }
        }
        catch (WebSocketException e)
        {
            return (all.WrittenSpan.ToArray(), e.Message);
        }
    }
}
