using System.Buffers;
using System.Text;
using ScoreFeed.Hub.Transport;
using ScoreFeed.UnitTests.Transport;

namespace ScoreFeed.UnitTests;

/// <summary>
/// The hub reads a connection's first request itself only when it is a well-formed hub handshake that skips
/// negotiation; everything else — including whatever looks odd — is left to HTTP/1.1, unread.
/// </summary>
public sealed class HubUpgradeRequestTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Handshake(string target = "/hubs/scores", string extra = "", string key = Key) =>
        $"GET {target} HTTP/1.1\r\nHost: hub.example:5100\r\nConnection: Upgrade\r\nPragma: no-cache\r\nUpgrade: websocket\r\n"
        + $"Origin: https://news.partner.test\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n"
        + $"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n{extra}\r\n";

    [Fact]
    public void A_browser_handshake_is_taken_with_its_key_origin_and_length()
    {
        var head = Handshake("/hubs/scores?key=partner%201&v=2", "X-Forwarded-For: 198.51.100.7\r\nx-forwarded-proto: https\r\n");
        var bytes = Encoding.ASCII.GetBytes(head + "\x81\x85 first frame");

        Assert.Equal(UpgradeParse.Ours, HubUpgradeRequest.TryParse(new ReadOnlySequence<byte>(bytes), out var request));
        Assert.NotNull(request);
        Assert.Equal(("partner 1", "https://news.partner.test", Key, head.Length), (request.Key, request.Origin, request.WebSocketKey, request.Length));
        Assert.Equal([new("X-Forwarded-For", "198.51.100.7"), new("x-forwarded-proto", "https")], request.Forwarded);
    }

    [Theory]
    [InlineData("/hubs/scores/")]
    [InlineData("/hubs/scores?")]
    public void The_hub_path_with_a_slash_or_an_empty_query_is_taken(string target)
    {
        Assert.Equal(UpgradeParse.Ours, HubUpgradeRequest.TryParse(Sequence(Handshake(target)), out var request));
        Assert.Null(request!.Key);
    }

    [Fact]
    public void A_head_cut_anywhere_needs_more_until_it_is_whole_and_segments_do_not_matter()
    {
        var head = Encoding.ASCII.GetBytes(Handshake());
        for (var cut = 1; cut < head.Length; cut++)
        {
            Assert.Equal(UpgradeParse.NeedMore, HubUpgradeRequest.TryParse(new ReadOnlySequence<byte>(head, 0, cut), out _));
        }
        // The same head in two segments.
        Assert.Equal(UpgradeParse.Ours, HubUpgradeRequest.TryParse(Sequences.Of(head, [40, head.Length]), out _));
    }

    public static TheoryData<string, string> Others => new()
    {
        { "another path", Handshake("/hubs/scoresx") },
        { "a negotiated connection", Handshake("/hubs/scores?id=abc") },
        { "absolute form", Handshake("http://hub.example/hubs/scores") },
        { "a POST", Handshake().Replace("GET ", "POST ", StringComparison.Ordinal) },
        { "HTTP/1.0", Handshake().Replace("HTTP/1.1", "HTTP/1.0", StringComparison.Ordinal) },
        { "a key that is not 16 bytes", Handshake(key: "c2hvcnQ=") },
        { "no key", Handshake().Replace($"Sec-WebSocket-Key: {Key}\r\n", "", StringComparison.Ordinal) },
        { "version 8", Handshake().Replace("Version: 13", "Version: 8", StringComparison.Ordinal) },
        { "no upgrade", Handshake().Replace("Upgrade: websocket\r\n", "", StringComparison.Ordinal) },
        { "connection without upgrade", Handshake().Replace("Connection: Upgrade", "Connection: keep-alive", StringComparison.Ordinal) },
        { "no host", Handshake().Replace("Host: hub.example:5100\r\n", "", StringComparison.Ordinal) },
        { "two hosts", Handshake(extra: "Host: other.example\r\n") },
        { "two origins", Handshake(extra: "Origin: https://evil.test\r\n") },
        { "a body", Handshake(extra: "Content-Length: 5\r\n") },
        { "chunked", Handshake(extra: "Transfer-Encoding: chunked\r\n") },
        { "a folded header", Handshake(extra: "X-Long: a\r\n b\r\n") },
        { "a space before the colon", Handshake(extra: "X-Odd : a\r\n") },
        { "a line without a colon", Handshake(extra: "garbage\r\n") },
        { "a control byte in a value", Handshake(extra: "X-Odd: a\u0001b\r\n") },
        { "a space in the target", Handshake("/hubs/scores?key=a b") },
        { "a health check", "GET /health/ready HTTP/1.1\r\nHost: hub\r\n\r\n" },
        { "HTTP/2's preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" },
        { "TLS", "\u0016\u0003\u0001\u0002\u0000\u0001" },
    };

    [Theory]
    [MemberData(nameof(Others))]
    public void Anything_else_is_left_to_HTTP(string why, string head)
    {
        Assert.True(UpgradeParse.NotOurs == HubUpgradeRequest.TryParse(Sequence(head), out var request), why);
        Assert.Null(request);
    }

    [Fact]
    public void Another_request_is_told_from_its_first_bytes_and_an_endless_head_at_the_limit()
    {
        Assert.Equal(UpgradeParse.NotOurs, HubUpgradeRequest.TryParse(Sequence("GET /api"), out _));
        var endless = "GET /hubs/scores HTTP/1.1\r\nX-Filler: " + new string('a', HubUpgradeRequest.MaxLength);
        Assert.Equal(UpgradeParse.NotOurs, HubUpgradeRequest.TryParse(Sequence(endless), out _));
    }

    private static ReadOnlySequence<byte> Sequence(string text) => new(Encoding.Latin1.GetBytes(text));
}
