using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Testing;

namespace ScoreFeed.EndToEndTests;

/// <summary>
/// The hub's own WebSocket transport (clients that skip negotiation): the hub frames updates itself and writes them to
/// the socket, while the WebSocket it keeps for reading answers the client's control frames through the same writer.
/// Read here frame by frame off a plain TCP socket, so that every byte the hub sends is checked.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WebSocketTransportTests(ScoreFeedCluster cluster)
{
    private const byte Text = 0x1, Close = 0x8, Ping = 0x9, Pong = 0xA;

    /// <summary>
    /// <paramref name="direct"/>: the hub's own socket writer (the default); otherwise a third hub with
    /// <c>Hub:DirectSockets=false</c>, where the WebSocket middleware accepts and .NET's WebSocket sends (as for HTTP/2).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pings_are_answered_in_order_between_whole_update_frames(bool direct)
    {
        await using var other = direct ? null
            : await AppProcess.StartAsync("ScoreFeed.Hub", new Dictionary<string, string>(cluster.Settings) { ["Hub:DirectSockets"] = "false" });
        using var tcp = new TcpClient();
        var hub = (other ?? cluster.HubA).HubUrl;
        await tcp.ConnectAsync(hub.Host, hub.Port).Within();
        var stream = tcp.GetStream();
        await UpgradeAsync(stream, hub);
        await SendFrameAsync(stream, Text, "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray());
        await SendFrameAsync(stream, Text, "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Subscribe\",\"arguments\":[{\"topics\":[\"live\"]}]}\u001e"u8.ToArray());

        var last = new Dictionary<string, (string Epoch, long Seq)>();
        int updates = 0, completions = 0, outOfOrder = 0, pings = 0;
        var pongs = new List<int>();
        var textSincePing = true;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (updates < 60 || pings < 10 || pongs.Count < pings)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{updates} updates, {pings} pings, pongs {string.Join(',', pongs)}");
            // A ping after each answered one and a message since, each with its number: its pong must come back with
            // that number, among the messages.
            if (textSincePing && pings == pongs.Count && (updates < 60 || pings < 10))
            {
                pings++;
                textSincePing = false;
                await SendFrameAsync(stream, Ping, BitConverter.GetBytes(pings));
            }
            var (opcode, payload) = await ReceiveFrameAsync(stream);
            Assert.NotEqual(Close, opcode);
            if (opcode == Pong)
            {
                pongs.Add(BitConverter.ToInt32(payload));
                continue;
            }
            Assert.Equal(Text, opcode);
            textSincePing = true;
            foreach (var record in Encoding.UTF8.GetString(payload).Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
            {
                // Each record is a whole JSON hub message: a frame cut or interleaved with a control frame would not be.
                using var json = JsonDocument.Parse(record);
                var kind = json.RootElement.TryGetProperty("type", out var type) ? type.GetInt32() : 0; // 0: the handshake's answer
                if (kind == 3)
                {
                    completions++;
                    Assert.False(json.RootElement.TryGetProperty("error", out var error), $"Subscribe failed: {error}");
                }
                else if (kind == 1 && json.RootElement.GetProperty("target").GetString() == "update")
                {
                    Assert.True(UpdateHead.TryRead(Encoding.UTF8.GetBytes(record), out var head), record);
                    if (last.TryGetValue(head.MatchId, out var before) && before.Epoch == head.Epoch && head.Seq <= before.Seq)
                    {
                        outOfOrder++;
                    }
                    last[head.MatchId] = (head.Epoch, head.Seq);
                    updates++;
                }
            }
        }

        Assert.Equal(1, completions);
        Assert.Equal(0, outOfOrder);
        Assert.True(pings >= 10, $"{pings} pings");
        Assert.Equal(Enumerable.Range(1, pings), pongs);
    }

    private static async Task UpgradeAsync(NetworkStream stream, Uri hub)
    {
        var request = $"GET {hub.PathAndQuery} HTTP/1.1\r\nHost: {hub.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().Within();
        // The response head, byte by byte, so that nothing of the first frame is read with it.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one).AsTask().Within());
            head.Append((char)one[0]);
        }
        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A client's frame: final, masked (with a zero key, which leaves the payload as it is).</summary>
    private static Task SendFrameAsync(NetworkStream stream, byte opcode, byte[] payload)
    {
        Assert.True(payload.Length < 126);
        byte[] frame = [(byte)(0x80 | opcode), (byte)(0x80 | payload.Length), 0, 0, 0, 0, .. payload];
        return stream.WriteAsync(frame).AsTask().Within();
    }

    /// <summary>A server's frame: final and unmasked, as RFC 6455 requires.</summary>
    private static async Task<(byte Opcode, byte[] Payload)> ReceiveFrameAsync(NetworkStream stream)
    {
        var head = await ReadExactlyAsync(stream, 2);
        Assert.True((head[0] & 0x80) != 0, "a final frame");
        Assert.True((head[1] & 0x80) == 0, "an unmasked frame");
        long length = head[1] & 0x7F;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(stream, 2));
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(stream, 8));
        }
        return ((byte)(head[0] & 0x0F), await ReadExactlyAsync(stream, checked((int)length)));
    }

    private static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().Within();
        return buffer;
    }
}
