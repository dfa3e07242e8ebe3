using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests.Transport;

/// <summary>
/// The hub's handshake parser (<see cref="HubUpgradeRequest"/>) over generated and mutated request heads, in any
/// segments: a well-formed hub handshake is taken with its fields, only once whole; anything else is left to HTTP/1.1
/// (which answers it with its status) or waits for more, the same however the bytes are cut; nothing escapes it.
/// </summary>
public sealed class HandshakeParserProperties
{
    internal sealed record Handshake(byte[] Head, string? Key, string? Origin, string WebSocketKey);

    private static readonly Gen<string> Token = Gen.Elements("a", "Z", "0", "-", "_", "~", ".").ArrayOf().Where(t => t.Length > 0).Select(string.Concat);

    /// <summary>A header name as a client may spell it: any case.</summary>
    private static Gen<string> Name(string name) => Gen.Elements(true, false).ArrayOf(name.Length)
        .Select(upper => string.Concat(name.Select((c, i) => upper[i] ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c))));

    private static readonly Gen<Handshake> Valid =
        from path in Gen.Elements("/hubs/scores", "/hubs/scores/")
        from key in Gen.OneOf(Gen.Constant<string?>(null), Token.Select(t => (string?)t))
        from other in Gen.Elements("", "&v=2", "&x=%20")
        from origin in Gen.OneOf(Gen.Constant<string?>(null), Token.Select(t => (string?)$"https://{t}.test"))
        from webSocketKey in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(16).Select(Convert.ToBase64String)
        from upgrade in Gen.Elements("websocket", "WebSocket", "h2c, websocket")
        from connection in Gen.Elements("Upgrade", "keep-alive, Upgrade", "upgrade")
        from names in Gen.CollectToArray(["host", "upgrade", "connection", "sec-websocket-version", "sec-websocket-key", "origin", "x-extra", "x-forwarded-for"], Name)
        from extra in Token
        from order in Gen.Shuffle(Enumerable.Range(0, names.Length))
        select Build(path + (key is null ? other.TrimStart('&') is { Length: > 0 } o ? "?" + o : "" : $"?key={key}{other}"),
            key, origin, webSocketKey, [
                $"{names[0]}: hub.example:5100", $"{names[1]}: {upgrade}", $"{names[2]}: {connection}", $"{names[3]}: 13",
                $"{names[4]}: {webSocketKey}", origin is null ? null : $"{names[5]}: {origin}", $"{names[6]}:{extra}", $"{names[7]}: 198.51.100.7",
            ], order);

    private static Handshake Build(string target, string? key, string? origin, string webSocketKey, string?[] headers, int[] order)
    {
        var head = new StringBuilder($"GET {target} HTTP/1.1\r\n");
        foreach (var i in order)
        {
            if (headers[i] is { } header)
            {
                head.Append(header).Append("\r\n");
            }
        }
        return new Handshake(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), key, origin, webSocketKey);
    }

    private static readonly Gen<int[]> Pieces = Gen.Choose(1, 64).NonEmptyListOf().Select(p => p.ToArray());

    private static readonly byte[] Frame = [0x81, 0x85, 1, 2, 3, 4, 0x69, 0x67, 0x6F, 0x68, 0x6E];

    [Property(MaxTest = 1000)]
    public Property A_hub_handshake_is_taken_with_its_fields_only_once_whole_however_it_is_cut() =>
        Prop.ForAll(Arb.From(Valid), Arb.From(Pieces), (handshake, pieces) =>
        {
            byte[] bytes = [.. handshake.Head, .. Frame];

            Assert.Equal(UpgradeParse.Ours, HubUpgradeRequest.TryParse(Sequences.Of(bytes, pieces), out var request));
            Assert.Equal((handshake.Key, handshake.Origin, handshake.WebSocketKey, handshake.Head.Length),
                (request!.Key, request.Origin, request.WebSocketKey, request.Length));
            for (var cut = 0; cut < handshake.Head.Length; cut += 1 + (cut % 7))
            {
                Assert.Equal(UpgradeParse.NeedMore, HubUpgradeRequest.TryParse(Sequences.Of(bytes[..cut], pieces), out _));
            }
        });

    [Property(MaxTest = 1000)]
    public Property A_mutated_head_is_taken_whole_or_left_to_HTTP_the_same_however_it_is_cut() =>
        Prop.ForAll(Arb.From(Valid), Arb.From(Gen.Choose(0, int.MaxValue)), Arb.From(Pieces), (handshake, seed, pieces) =>
        {
            var random = new Random(seed);
            var bytes = Mutations.Apply([.. handshake.Head, .. Frame], random, random.Next(1, 4));

            var whole = HubUpgradeRequest.TryParse(Sequences.Of(bytes, []), out var request);
            var cut = HubUpgradeRequest.TryParse(Sequences.Of(bytes, pieces), out var again);

            Assert.Equal(whole, cut);
            Assert.Equal(request?.Length, again?.Length);
            Assert.Equal((request?.Key, request?.Origin, request?.WebSocketKey), (again?.Key, again?.Origin, again?.WebSocketKey));
            if (whole == UpgradeParse.Ours)
            {
                // Taken: a whole head ending in its blank line, read only once all of it came.
                Assert.True(bytes.AsSpan(0, request!.Length).EndsWith("\r\n\r\n"u8));
                Assert.Equal(UpgradeParse.Ours, HubUpgradeRequest.TryParse(Sequences.Of(bytes[..request.Length], pieces), out _));
                Assert.Equal(UpgradeParse.NeedMore, HubUpgradeRequest.TryParse(Sequences.Of(bytes[..(request.Length - 1)], pieces), out _));
            }
            if (whole == UpgradeParse.NeedMore)
            {
                Assert.True(bytes.Length < HubUpgradeRequest.MaxLength);
            }
        });
}
