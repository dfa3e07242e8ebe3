using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using ScoreFeed.Hub.Protection;

namespace ScoreFeed.Hub.Transport;

/// <summary>What the hub answers a WebSocket handshake it takes itself: <c>101</c> (RFC 6455 §4.2.2), or a refusal.</summary>
internal static class HandshakeAnswers
{
    /// <summary>The <c>101</c> answer, written by the hub itself on a connection whose handshake it read before HTTP/1.1.</summary>
    public static byte[] SwitchingProtocols(string webSocketKey) => Encoding.ASCII.GetBytes(
        $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {AcceptKey(webSocketKey)}\r\n\r\n");

    /// <summary>
    /// The <c>101</c> answer through HTTP/1.1, as the WebSockets middleware answers it; the middleware checked the request
    /// (<see cref="WebSocketManager.IsWebSocketRequest"/>: method, headers, version, key). Returns the upgraded stream.
    /// </summary>
    public static Task<Stream> UpgradeAsync(HttpContext context, IHttpUpgradeFeature upgrade)
    {
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
        return upgrade.UpgradeAsync();
    }

    /// <summary>A connection not admitted, before HTTP/1.1: the same 429/503 with <c>Retry-After</c> the HTTP pipeline answers.</summary>
    public static async Task RefuseAsync(PipeWriter output, AdmissionRefusal refusal)
    {
        var body = Encoding.UTF8.GetBytes(refusal.Detail);
        var head = $"HTTP/1.1 {refusal.Status} {ReasonPhrases.GetReasonPhrase(refusal.Status)}\r\nContent-Type: {AdmissionRefusal.ContentType}\r\n"
            + $"Content-Length: {body.Length}\r\nRetry-After: {refusal.RetryAfterSeconds}\r\nConnection: close\r\n\r\n";
        await output.WriteAsync(Encoding.ASCII.GetBytes(head)).ConfigureAwait(false);
        await output.WriteAsync(body).ConfigureAwait(false);
    }

    /// <summary><c>Sec-WebSocket-Accept</c> for the client's <c>Sec-WebSocket-Key</c> (RFC 6455 §4.2.2).</summary>
    private static string AcceptKey(string key) =>
#pragma warning disable CA5350 // The protocol defines the accept key with SHA-1; it proves the handshake, it protects nothing.
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
}
