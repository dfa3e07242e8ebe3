using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using ScoreFeed.Hub.Transport;
using ScoreFeed.UnitTests.Transport;

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
        var connection = new DefaultConnectionContext("test") { Transport = new DuplexPipe(_wire.Reader, new Pipe().Writer) };
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
            .. ClientFrames.Frame(0x2, first, final: false, random), // random bytes: binary, as text they would not be UTF-8
            .. ClientFrames.Frame(0x9, "p1"u8.ToArray(), final: true, random), // a ping between a message's fragments
            .. ClientFrames.Frame(0x0, rest, final: true, random),
            .. ClientFrames.Frame(0x2, [], final: true, random),
            .. ClientFrames.Frame(0x2, medium, final: true, random), // 16-bit length
            .. ClientFrames.Frame(0x2, large, final: true, random), // 64-bit length
            .. ClientFrames.Frame(0x8, [0x03, 0xE8], final: true, random), // close: 1000
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

    public static TheoryData<string, byte[], int> Refusals => new()
    {
        { "unmasked", [0x81, 0x01, (byte)'x'], 1002 },
        { "reserved bit", [0xC1, 0x81, 0, 0, 0, 0, (byte)'x'], 1002 },
        { "unknown opcode", [0x83, 0x81, 0, 0, 0, 0, (byte)'x'], 1002 },
        { "unknown control opcode", [0x8B, 0x80, 0, 0, 0, 0], 1002 },
        { "fragmented ping", [0x09, 0x80, 0, 0, 0, 0], 1002 },
        { "long ping", [0x89, 0xFE, 0x00, 0x7E, 0, 0, 0, 0, .. new byte[126]], 1002 },
        { "continuation first", [0x80, 0x81, 0, 0, 0, 0, (byte)'x'], 1002 },
        { "new message inside one", [0x01, 0x81, 0, 0, 0, 0, (byte)'x', 0x81, 0x81, 0, 0, 0, 0, (byte)'y'], 1002 },
        { "64-bit length, top bit set", [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)'x'], 1002 },
        { "64-bit length, all bits set", [0x82, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], 1002 },
        { "close of 1 byte", Client(ClientFrames.Close, [0x03]), 1002 },
        { "close code 0", Client(ClientFrames.Close, ClientFrames.ClosePayload(0, [])), 1002 },
        { "close code 999", Client(ClientFrames.Close, ClientFrames.ClosePayload(999, [])), 1002 },
        { "close code 1004", Client(ClientFrames.Close, ClientFrames.ClosePayload(1004, [])), 1002 },
        { "close code 1005", Client(ClientFrames.Close, ClientFrames.ClosePayload(1005, [])), 1002 },
        { "close code 1006", Client(ClientFrames.Close, ClientFrames.ClosePayload(1006, [])), 1002 },
        { "close code 1015", Client(ClientFrames.Close, ClientFrames.ClosePayload(1015, [])), 1002 },
        { "close code 1016", Client(ClientFrames.Close, ClientFrames.ClosePayload(1016, [])), 1002 },
        { "close code 2999", Client(ClientFrames.Close, ClientFrames.ClosePayload(2999, [])), 1002 },
        { "close code 5000", Client(ClientFrames.Close, ClientFrames.ClosePayload(5000, [])), 1002 },
        { "close code 65535", Client(ClientFrames.Close, ClientFrames.ClosePayload(65535, [])), 1002 },
        { "close reason not UTF-8", Client(ClientFrames.Close, ClientFrames.ClosePayload(1000, [(byte)'o', 0xFF])), 1002 },
        { "close reason cut in a character", Client(ClientFrames.Close, ClientFrames.ClosePayload(1000, [0xE2, 0x82])), 1002 },
        { "text: an invalid byte", Client(ClientFrames.Text, [(byte)'a', 0xFF, (byte)'b']), 1007 },
        { "text: overlong", Client(ClientFrames.Text, [0xC0, 0xAF]), 1007 },
        { "text: a surrogate", Client(ClientFrames.Text, [0xED, 0xA0, 0x80]), 1007 },
        { "text: past U+10FFFF", Client(ClientFrames.Text, [0xF4, 0x90, 0x80, 0x80]), 1007 },
        { "text: ends in a character", Client(ClientFrames.Text, [(byte)'a', 0xE2, 0x82]), 1007 },
        { "text: an empty last fragment ends in a character", [.. Client(ClientFrames.Text, [0xE2], final: false), .. Client(ClientFrames.Continuation, [])], 1007 },
        { "text: invalid across fragments", [.. Client(ClientFrames.Text, [0xE2], final: false), .. Client(ClientFrames.Continuation, [0x28, 0xA1])], 1007 },
        { "text: invalid in a later fragment", [.. Client(ClientFrames.Text, "ok"u8, final: false), .. Client(ClientFrames.Ping, []), .. Client(ClientFrames.Continuation, [0x80])], 1007 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_frame_the_protocol_forbids_closes_the_connection_with_its_code_once_and_fails_the_hub_pipe(string why, byte[] wire, int code)
    {
        foreach (var pieces in new[] { Array.Empty<int>(), [1] })
        {
            var run = await FrameReaderRun.RunAsync([.. wire, .. Client(ClientFrames.Binary, "after"u8)], pieces);

            Assert.True(code == run.CloseCode, $"{why}: {run.CloseCode}");
            Assert.False(string.IsNullOrEmpty(run.Error), why);
            Assert.DoesNotContain((byte)'f', run.Payload);
        }
    }

    public static TheoryData<string, byte[], byte[]> Accepted => new()
    {
        { "text split inside a character", [.. Client(ClientFrames.Text, [(byte)'a', 0xE2], final: false), .. Client(ClientFrames.Continuation, [0x82, 0xAC])], [(byte)'a', 0xE2, 0x82, 0xAC] },
        { "a 4-byte character over three fragments and a ping", [.. Client(ClientFrames.Text, [0xF0], final: false), .. Client(ClientFrames.Continuation, [0x9F, 0x8F], final: false), .. Client(ClientFrames.Ping, "p"u8), .. Client(ClientFrames.Continuation, [0x86])], [0xF0, 0x9F, 0x8F, 0x86] },
        { "an empty text message", Client(ClientFrames.Text, []), [] },
        { "binary is not UTF-8", Client(ClientFrames.Binary, [0xFF, 0xC0]), [0xFF, 0xC0] },
        { "close without a payload", Client(ClientFrames.Close, []), [] },
        { "close 1000 with a UTF-8 reason", Client(ClientFrames.Close, ClientFrames.ClosePayload(1000, "bye ✓"u8)), [] },
        { "close 1001", Client(ClientFrames.Close, ClientFrames.ClosePayload(1001, [])), [] },
        { "close 1014", Client(ClientFrames.Close, ClientFrames.ClosePayload(1014, [])), [] },
        { "close 3000", Client(ClientFrames.Close, ClientFrames.ClosePayload(3000, [])), [] },
        { "close 4999", Client(ClientFrames.Close, ClientFrames.ClosePayload(4999, [])), [] },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task What_the_protocol_allows_is_taken_however_it_is_cut(string why, byte[] wire, byte[] payload)
    {
        foreach (var pieces in new[] { Array.Empty<int>(), [1], [2, 3] })
        {
            var run = await FrameReaderRun.RunAsync(wire, pieces);

            Assert.True(run.Error is null && run.CloseCode is null, $"{why}: {run.CloseCode} {run.Error}");
            Assert.Equal(payload, run.Payload);
        }
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

    private static byte[] Client(byte opcode, ReadOnlySpan<byte> payload, bool final = true) => ClientFrames.Frame(opcode, payload, final, new Random(opcode));

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
}
