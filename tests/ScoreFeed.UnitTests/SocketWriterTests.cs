using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

/// <summary>
/// What the hub's socket writer puts on the wire when several messages wait for one send: they join one WebSocket
/// message while they are of one type and short enough; control frames stay whole frames between them. Checked byte
/// for byte on a loopback socket, and read back by .NET's own client WebSocket.
/// </summary>
public sealed class SocketWriterTests : IAsyncLifetime
{
    private readonly ManualQueue _queue = new();
    private LoopbackWriter _loopback = null!;

    private SocketWriter Writer => _loopback.Writer;

    public async Task InitializeAsync() => _loopback = await LoopbackWriter.StartAsync((_, _) => _queue);

    public async Task DisposeAsync() => await _loopback.DisposeAsync();

    [Fact]
    public async Task Messages_that_wait_for_one_send_leave_as_one_WebSocket_message_of_their_type()
    {
        var ping = "{\"type\":6}\u001e"u8.ToArray();
        var update = Encoding.UTF8.GetBytes("{\"type\":1,\"target\":\"update\",\"arguments\":[{" + new string('x', 150) + "}]}\u001e");
        var large = Encoding.UTF8.GetBytes(new string('y', 20_000) + "\u001e");
        var binary = new byte[] { 0x02, 0x91, 0x06 };
        var pong = new byte[] { 0x8A, 0x01, 0x2A };

        Writer.Write(ping);
        Writer.Write(update); // joins the ping: together past 125 bytes, so the header grows from 2 to 4 bytes
        Writer.Write(update);
        await Writer.ControlFrame(pong, close: false);
        Writer.Write(ping); // after a control frame: a new message
        Writer.Write(large); // too long to join: a message of its own
        Writer.Write(ping);
        _loopback.Format.ActiveFormat = TransferFormat.Binary;
        Writer.Write(binary); // another type: a new message
        Writer.Write(binary);
        Assert.Equal(1, _queue.Scheduled);
        Assert.True(Writer.Send(now: 1));

        byte[] expected =
        [
            .. Frame(WebSocketMessageType.Text, [.. ping, .. update, .. update]),
            .. pong,
            .. Frame(WebSocketMessageType.Text, ping),
            .. Frame(WebSocketMessageType.Text, large),
            .. Frame(WebSocketMessageType.Text, ping),
            .. Frame(WebSocketMessageType.Binary, [.. binary, .. binary]),
        ];
        Assert.Equal(expected, await _loopback.ReceiveAsync(expected.Length));

        // What is written after the send starts a message of its own, even of the type the last one had.
        Writer.Write(binary);
        Assert.True(Writer.Send(now: 2));
        var next = Frame(WebSocketMessageType.Binary, binary);
        Assert.Equal(next, await _loopback.ReceiveAsync(next.Length));
    }

    [Fact]
    public async Task A_client_WebSocket_reads_the_joined_messages_whole()
    {
        var records = Enumerable.Range(0, 40).Select(i => Encoding.UTF8.GetBytes($"{{\"type\":1,\"target\":\"update\",\"arguments\":[{i}]}}\u001e")).ToList();
        foreach (var record in records)
        {
            Writer.Write(record);
        }
        Assert.True(Writer.Send(now: 1));

        using var client = WebSocket.CreateFromStream(new NetworkStream(_loopback.Client, ownsSocket: false),
            new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var buffer = new byte[64 * 1024];
        var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result.EndOfMessage);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.Equal(records.SelectMany(r => r), buffer[..result.Count]);
    }

    [Fact]
    public async Task A_connection_that_sends_nothing_more_holds_one_pong_the_newest()
    {
        var update = "{\"type\":6}\u001e"u8.ToArray();
        Writer.Write(update);
        await Writer.ControlFrame([0x8A, 0x01, 0x00], close: false);
        Writer.Write(update); // after the pong: a message of its own, which stays whole when the pong goes
        Writer.Complete(); // refused: no more messages, but control frames still go
        for (var ping = 1; ping <= 1000; ping++)
        {
            await Writer.ControlFrame([0x8A, 0x02, (byte)(ping >> 8), (byte)ping], close: false);
        }
        Assert.True(Writer.Send(now: 1));

        byte[] expected = [.. Frame(WebSocketMessageType.Text, update), .. Frame(WebSocketMessageType.Text, update), 0x8A, 0x02, 0x03, 0xE8];
        Assert.Equal(expected, await _loopback.ReceiveToEndAsync());
    }

    private static byte[] Frame(WebSocketMessageType type, byte[] payload)
    {
        var frame = new byte[10 + payload.Length];
        var header = ServerFrames.WriteHeader(frame, payload.Length, type);
        payload.CopyTo(frame, header);
        return frame[..(header + payload.Length)];
    }

    /// <summary>Counts what is scheduled; the test sends itself.</summary>
    private sealed class ManualQueue : ISendQueue
    {
        public int Scheduled { get; private set; }

        public void Schedule(ISendSource source) => Scheduled++;
    }
}
