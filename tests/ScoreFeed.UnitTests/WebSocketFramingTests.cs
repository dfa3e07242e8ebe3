using System.Net.WebSockets;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

/// <summary>The hub frames messages itself when it holds the socket: byte for byte what .NET's own server WebSocket sends.</summary>
public sealed class WebSocketFramingTests
{
    [Theory]
    [InlineData(0, WebSocketMessageType.Text)]
    [InlineData(1, WebSocketMessageType.Binary)]
    [InlineData(125, WebSocketMessageType.Text)]
    [InlineData(126, WebSocketMessageType.Binary)]
    [InlineData(65_535, WebSocketMessageType.Text)]
    [InlineData(65_536, WebSocketMessageType.Binary)]
    [InlineData(300_000, WebSocketMessageType.Text)]
    public async Task A_message_is_framed_as_the_server_WebSocket_frames_it(int length, WebSocketMessageType type)
    {
        var payload = new byte[length];
        Random.Shared.NextBytes(payload);
        using var stream = new MemoryStream();
        using (var reference = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero }))
        {
            await reference.SendAsync(payload, type, endOfMessage: true, CancellationToken.None);
        }

        var ours = new byte[10 + length];
        var header = ServerFrames.WriteHeader(ours, length, type);
        payload.CopyTo(ours, header);

        Assert.Equal(stream.ToArray(), ours[..(header + length)]);
    }
}
