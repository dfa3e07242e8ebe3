using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

/// <summary>
/// The hub's reader of what clients send when it read the handshake itself: client frames (RFC 6455 §5) off the
/// connection's pipe, however they are cut, unmasked into the hub's pipe; pings answered, the close frame ending it,
/// protocol errors closed with 1002. Control frames it answers go out through a real socket writer on a loopback socket.
/// </summary>
public sealed class FrameClientSocketTests : IAsyncLifetime
{
    private readonly Pipe _wire = new();
    private readonly Pipe _hub = new();
    private SendQueue _queue = null!;
    private LoopbackWriter _loopback = null!;
    private FrameClientSocket _socket = null!;

    public async Task InitializeAsync()
    {
        var connection = new DefaultConnectionContext("test") { Transport = new Duplex(_wire.Reader, new Pipe().Writer) };
        _loopback = await LoopbackWriter.StartAsync((metrics, _) => _queue = new SendQueue(TimeSpan.Zero, 256, metrics, TimeProvider.System), connection);
        _socket = new FrameClientSocket(connection, _loopback.Writer);
    }

    public async Task DisposeAsync()
    {
        _queue.Dispose();
        await _loopback.DisposeAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public async Task Frames_are_unmasked_into_the_hub_pipe_however_they_are_cut(int piece)
    {
        var random = new Random(piece);
        byte[] Bytes(int n) => [.. Enumerable.Range(0, n).Select(_ => (byte)random.Next(256))];
        var (first, rest, medium, large) = (Bytes(5), Bytes(6), Bytes(10_000), Bytes(70_000));
        byte[] wire =
        [
            .. ClientFrame(0x1, first, final: false, random),
            .. ClientFrame(0x9, "p1"u8.ToArray(), final: true, random), // a ping between a message's fragments
            .. ClientFrame(0x0, rest, final: true, random),
            .. ClientFrame(0x2, [], final: true, random),
            .. ClientFrame(0x2, medium, final: true, random), // 16-bit length
            .. ClientFrame(0x2, large, final: true, random), // 64-bit length
            .. ClientFrame(0x8, [0x03, 0xE8], final: true, random), // close: 1000
        ];
        var receiving = _socket.ReceiveAsync(_hub.Writer);
        var reading = ReadAllAsync(_hub.Reader);
        for (var at = 0; at < wire.Length; at += piece)
        {
            await _wire.Writer.WriteAsync(wire.AsMemory(at, Math.Min(piece, wire.Length - at)));
        }
        await receiving.WaitAsync(TimeSpan.FromSeconds(10));

        byte[] payloads = [.. first, .. rest, .. medium, .. large];
        Assert.Equal(payloads, await reading.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(new byte[] { 0x8A, 2, (byte)'p', (byte)'1' }, await _loopback.ReceiveAsync(4));
    }

    public static TheoryData<string, byte[]> Violations => new()
    {
        { "unmasked", [0x81, 0x01, (byte)'x'] },
        { "reserved bit", [0xC1, 0x81, 0, 0, 0, 0, (byte)'x'] },
        { "unknown opcode", [0x83, 0x81, 0, 0, 0, 0, (byte)'x'] },
        { "fragmented ping", [0x09, 0x80, 0, 0, 0, 0] },
        { "long ping", [0x89, 0xFE, 0x00, 0x7E, 0, 0, 0, 0, .. new byte[126]] },
        { "continuation first", [0x80, 0x81, 0, 0, 0, 0, (byte)'x'] },
        { "new message inside one", [0x01, 0x81, 0, 0, 0, 0, (byte)'x', 0x81, 0x81, 0, 0, 0, 0, (byte)'y'] },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_protocol_error_closes_the_connection_with_1002_and_fails_the_hub_pipe(string violation, byte[] wire)
    {
        var receiving = _socket.ReceiveAsync(_hub.Writer);
        await _wire.Writer.WriteAsync(wire);
        await receiving.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(new byte[] { 0x88, 2, 0x03, 0xEA }, await _loopback.ReceiveAsync(4));
        var error = await Assert.ThrowsAsync<WebSocketException>(() => ReadAllAsync(_hub.Reader));
        Assert.False(string.IsNullOrEmpty(error.Message), violation);
        // One close frame only.
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure);
        Assert.Equal(0, _loopback.Client.Available);
    }

    [Fact]
    public async Task Abort_ends_the_receive_and_nothing_is_sent_after_it()
    {
        var receiving = _socket.ReceiveAsync(_hub.Writer);
        _socket.Abort();
        await receiving.WaitAsync(TimeSpan.FromSeconds(10));
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure);

        Assert.Empty(await ReadAllAsync(_hub.Reader));
        await Task.Delay(100);
        Assert.Equal(0, _loopback.Client.Available);
    }

    /// <summary>A client's frame: masked with a random key, as RFC 6455 §5.3 requires.</summary>
    private static byte[] ClientFrame(byte opcode, byte[] payload, bool final, Random random)
    {
        var header = new List<byte> { (byte)((final ? 0x80 : 0) | opcode) };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.AddRange([0xFE, (byte)(payload.Length >> 8), (byte)payload.Length]);
        }
        else
        {
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.Add(0xFF);
            header.AddRange(length);
        }
        var key = new byte[4];
        random.NextBytes(key);
        header.AddRange(key);
        return [.. header, .. payload.Select((b, i) => (byte)(b ^ key[i % 4]))];
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        var all = new List<byte>();
        while (true)
        {
            var result = await reader.ReadAsync();
            all.AddRange(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return [.. all];
            }
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
