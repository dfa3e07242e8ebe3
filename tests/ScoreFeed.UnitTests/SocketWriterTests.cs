using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Protection;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

/// <summary>
/// What the hub's socket writer puts on the wire when several messages wait for one send: they join one WebSocket
/// message while they are of one type and short enough; control frames stay whole frames between them. Checked byte
/// for byte on a loopback socket, and read back by .NET's own client WebSocket.
/// </summary>
public sealed class SocketWriterTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ManualQueue _queue = new();
    private readonly Format _format = new();
    private Socket _server = null!;
    private Socket _client = null!;
    private SocketWriter _writer = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await _client.ConnectAsync(listener.LocalEndPoint!);
        _server = await accepting;
        var guard = new SlowConsumerGuard(Options.Create(new SlowConsumerOptions()), Array.Empty<IHubProtocol>(),
            new ProtectionMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), TimeProvider.System,
            NullLogger<SlowConsumerGuard>.Instance);
        _writer = new SocketWriter(guard, _server, _queue, new FrameBufferPool());
        _writer.Bind(new DefaultConnectionContext("test"), _format);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _server.Dispose();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Messages_that_wait_for_one_send_leave_as_one_WebSocket_message_of_their_type()
    {
        var ping = "{\"type\":6}\u001e"u8.ToArray();
        var update = Encoding.UTF8.GetBytes("{\"type\":1,\"target\":\"update\",\"arguments\":[{" + new string('x', 150) + "}]}\u001e");
        var large = Encoding.UTF8.GetBytes(new string('y', 20_000) + "\u001e");
        var binary = new byte[] { 0x02, 0x91, 0x06 };
        var pong = new byte[] { 0x8A, 0x01, 0x2A };

        _writer.Write(ping);
        _writer.Write(update); // joins the ping: together past 125 bytes, so the header grows from 2 to 4 bytes
        _writer.Write(update);
        await _writer.ControlFrame(pong, close: false);
        _writer.Write(ping); // after a control frame: a new message
        _writer.Write(large); // too long to join: a message of its own
        _writer.Write(ping);
        _format.ActiveFormat = TransferFormat.Binary;
        _writer.Write(binary); // another type: a new message
        _writer.Write(binary);
        Assert.Equal(1, _queue.Scheduled);
        Assert.True(_writer.Send(now: 1));

        byte[] expected =
        [
            .. Frame(WebSocketMessageType.Text, [.. ping, .. update, .. update]),
            .. pong,
            .. Frame(WebSocketMessageType.Text, ping),
            .. Frame(WebSocketMessageType.Text, large),
            .. Frame(WebSocketMessageType.Text, ping),
            .. Frame(WebSocketMessageType.Binary, [.. binary, .. binary]),
        ];
        var received = new byte[expected.Length];
        using var stream = new NetworkStream(_client, ownsSocket: false);
        await stream.ReadExactlyAsync(received).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(expected, received);

        // What is written after the send starts a message of its own, even of the type the last one had.
        _writer.Write(binary);
        Assert.True(_writer.Send(now: 2));
        var next = Frame(WebSocketMessageType.Binary, binary);
        var more = new byte[next.Length];
        await stream.ReadExactlyAsync(more).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(next, more);
    }

    [Fact]
    public async Task A_client_WebSocket_reads_the_joined_messages_whole()
    {
        var records = Enumerable.Range(0, 40).Select(i => Encoding.UTF8.GetBytes($"{{\"type\":1,\"target\":\"update\",\"arguments\":[{i}]}}\u001e")).ToList();
        foreach (var record in records)
        {
            _writer.Write(record);
        }
        Assert.True(_writer.Send(now: 1));

        using var client = WebSocket.CreateFromStream(new NetworkStream(_client, ownsSocket: false),
            new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var buffer = new byte[64 * 1024];
        var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result.EndOfMessage);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.Equal(records.SelectMany(r => r), buffer[..result.Count]);
    }

    private static byte[] Frame(WebSocketMessageType type, byte[] payload)
    {
        var frame = new byte[10 + payload.Length];
        var header = SocketWriter.WriteHeader(frame, payload.Length, type);
        payload.CopyTo(frame, header);
        return frame[..(header + payload.Length)];
    }

    /// <summary>Counts what is scheduled; the test sends itself.</summary>
    private sealed class ManualQueue : ISendQueue
    {
        public int Scheduled { get; private set; }

        public void Schedule(SocketWriter writer) => Scheduled++;
    }

    private sealed class Format : ITransferFormatFeature
    {
        public TransferFormat SupportedFormats => TransferFormat.Text | TransferFormat.Binary;

        public TransferFormat ActiveFormat { get; set; } = TransferFormat.Text;
    }
}
