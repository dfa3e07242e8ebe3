using System.Text;
using ScoreFeed.Hub.Transport;
using ScoreFeed.UnitTests.Transport;

namespace ScoreFeed.Fuzz;

/// <summary>
/// The two parsers a client's bytes reach first, with the properties the unit tests check (docs/operations.md): an
/// input breaks one if it throws, hangs, or is read differently when cut differently. A broken property throws, which
/// the fuzzer records as a crash.
/// </summary>
internal static class Targets
{
    private static readonly int[] Whole = [];
    private static readonly int[] Small = [1, 7, 3];

    public static void Handshake(byte[] input)
    {
        var whole = HubUpgradeRequest.TryParse(Sequences.Of(input, Whole), out var request);
        var cut = HubUpgradeRequest.TryParse(Sequences.Of(input, Small), out var again);
        Check(whole == cut && request?.Length == again?.Length && request?.Key == again?.Key && request?.WebSocketKey == again?.WebSocketKey,
            $"read as {whole} whole and {cut} cut");
        if (request is not null)
        {
            Check(request.Length <= input.Length && input.AsSpan(0, request.Length).EndsWith("\r\n\r\n"u8), "taken past its blank line");
        }
    }

    public static void Frames(byte[] input)
    {
        var whole = Run(input, Whole);
        var cut = Run(input, Small);
        Check(whole.CloseCode is null or 1002 or 1007, $"closed with {whole.CloseCode}");
        Check(whole.CloseCode == cut.CloseCode, $"closed with {whole.CloseCode} whole and {cut.CloseCode} cut");
        Check((whole.CloseCode is null) == (whole.Error is null) && (cut.CloseCode is null) == (cut.Error is null), "an error without a close, or a close without one");
        Check(whole.CloseCode is not null || whole.Payload.AsSpan().SequenceEqual(cut.Payload), "another payload when cut");
    }

    private static FrameReaderRun Run(byte[] input, int[] pieces) => Task.Run(() => FrameReaderRun.RunAsync(input, pieces)).GetAwaiter().GetResult();

    private static void Check(bool holds, string what)
    {
        if (!holds)
        {
            throw new InvalidOperationException(what);
        }
    }
}

/// <summary>The seed corpus: well-formed inputs of each target, from the unit tests' builders.</summary>
internal static class Corpus
{
    public static void Write(string directory)
    {
        var handshakes = Path.Combine(directory, "handshake");
        Directory.CreateDirectory(handshakes);
        string[] heads =
        [
            "GET /hubs/scores HTTP/1.1\r\nHost: hub.example:5100\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
            "GET /hubs/scores/?key=demo HTTP/1.1\r\nhost: hub\r\nconnection: keep-alive, Upgrade\r\nupgrade: WebSocket\r\norigin: https://news.partner.test\r\nsec-websocket-version: 13\r\nsec-websocket-key: AAAAAAAAAAAAAAAAAAAAAA==\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n\x81\x85\x01\x02\x03\x04ignoh",
            "GET /hubs/scores?id=negotiated HTTP/1.1\r\nHost: hub\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
            "GET /health/ready HTTP/1.1\r\nHost: hub\r\n\r\n",
        ];
        for (var i = 0; i < heads.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(handshakes, $"head-{i}"), Encoding.Latin1.GetBytes(heads[i]));
        }

        var frames = Path.Combine(directory, "frames");
        Directory.CreateDirectory(frames);
        var text = ClientStream.Text([0, 1, 5, 6, 7, 8, 3]);
        ClientStream[] streams =
        [
            ClientStream.Of([new(true, "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), [], [])], close: true, seed: 1),
            ClientStream.Of([new(true, text, [1, 4, 9], [true, false]), new(false, [0x82, 0xFF, 0x00], [], [true])], close: false, seed: 2),
            ClientStream.Of([new(false, new byte[300], [126], [false, true])], close: true, seed: 3),
            ClientStream.Of([new(true, [], [], [true]), new(false, new byte[1000], [200, 700], [])], close: false, seed: 4),
        ];
        for (var i = 0; i < streams.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(frames, $"stream-{i}"), streams[i].Wire);
        }
    }
}
