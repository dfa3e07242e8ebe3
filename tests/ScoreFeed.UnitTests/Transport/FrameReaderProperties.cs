using System.Text.Unicode;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests.Transport;

/// <summary>
/// The hub's frame reader over generated and mutated client frames, given to it in any pieces: well-formed frames are
/// read whole and the same whatever the cut (no desync); anything else ends in a refusal with 1002 or 1007 or in a
/// wait for more, the same whatever the cut; nothing ever escapes it or hangs it (<see cref="FrameReaderRun"/>).
/// </summary>
public sealed class FrameReaderProperties
{
    private static readonly Gen<byte[]> Bytes = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf();

    /// <summary>Mostly short payloads, now and then one of 16- or 64-bit length.</summary>
    private static readonly Gen<byte[]> BinaryPayload = Gen.Frequency(
        (12, Bytes),
        (1, Gen.Choose(126, 70_000).Select(n => Enumerable.Range(0, n).Select(i => (byte)(i * 31)).ToArray())));

    private static readonly Gen<ClientStream.Message> Message =
        from text in Gen.Elements(true, false)
        from payload in text ? Gen.Choose(0, 9).ArrayOf().Select(ClientStream.Text) : BinaryPayload
        from fragments in Gen.Choose(1, 4)
        from cuts in Gen.Choose(0, payload.Length).ArrayOf(fragments - 1)
        from pings in Gen.Elements(true, false, false).ArrayOf()
        select new ClientStream.Message(text, payload, cuts, pings);

    private static readonly Gen<ClientStream> Stream =
        from messages in Message.ListOf().Resize(8)
        from close in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue)
        select ClientStream.Of([.. messages], close, seed);

    /// <summary>How the bytes come: in pieces of these sizes, cycled.</summary>
    private static readonly Gen<int[]> Pieces = Gen.Frequency((3, Gen.Choose(1, 40)), (1, Gen.Choose(41, 5000))).NonEmptyListOf().Select(p => p.ToArray());

    [Property(MaxTest = 150)]
    public Property Well_formed_frames_are_read_whole_and_alike_however_the_bytes_are_cut() =>
        Prop.ForAll(Arb.From(Stream), Arb.From(Pieces), (stream, pieces) =>
        {
            var run = Run(stream.Wire, pieces);

            Assert.Null(run.Error);
            Assert.Null(run.CloseCode);
            Assert.Equal(stream.Payload, run.Payload);
            // A pong for the last ping; those before it may have been replaced by a newer one (RFC 6455 §5.5.3).
            Assert.Equal(Last(stream.Pings), Last(run.Pongs));
            Assert.DoesNotContain(run.Pongs, pong => !stream.Pings.Any(ping => ping.SequenceEqual(pong)));
        });

    [Property(MaxTest = 150)]
    public Property Mutated_frames_are_refused_with_1002_or_1007_or_read_and_the_same_however_cut() =>
        Prop.ForAll(Arb.From(Stream), Arb.From(Gen.Choose(0, int.MaxValue)), Arb.From(Pieces), (stream, seed, pieces) =>
        {
            var random = new Random(seed);
            var wire = Mutations.Apply(stream.Wire, random, random.Next(1, 4));
            var whole = Run(wire, []);
            var cut = Run(wire, pieces);

            Assert.Contains(whole.CloseCode, new int?[] { null, 1002, 1007 });
            Assert.Equal(whole.CloseCode, cut.CloseCode);
            Assert.Equal(whole.CloseCode is null, whole.Error is null);
            Assert.Equal(cut.CloseCode is null, cut.Error is null);
            Assert.Equal(Last(whole.Pongs), Last(cut.Pongs));
            if (whole.CloseCode is null)
            {
                Assert.Equal(whole.Payload, cut.Payload);
            }
            else
            {
                // Refused: what came before the refusal reached the hub, in pieces as large as the reads were.
                var shorter = Math.Min(whole.Payload.Length, cut.Payload.Length);
                Assert.Equal(whole.Payload[..shorter], cut.Payload[..shorter]);
            }
        });

    [Property(MaxTest = 2000)]
    public Property UTF_8_is_told_apart_however_a_message_is_cut() =>
        Prop.ForAll(Arb.From(Gen.OneOf(Gen.Choose(0, 9).ArrayOf().Select(ClientStream.Text), Bytes)), Arb.From(Gen.Choose(0, int.MaxValue)), Arb.From(Pieces), (text, seed, pieces) =>
        {
            var bytes = Mutations.Apply(text, new Random(seed), seed % 3);
            var validator = new Utf8Validator();
            var valid = true;
            for (int at = 0, piece = 0; at < bytes.Length && valid; at += pieces[piece++ % pieces.Length])
            {
                valid = validator.Append(bytes.AsSpan(at, Math.Min(pieces[piece % pieces.Length], bytes.Length - at)));
            }
            Assert.Equal(Utf8.IsValid(bytes), valid && validator.Complete);
        });

    private static byte[]? Last(IReadOnlyList<byte[]> frames) => frames.Count == 0 ? null : frames[^1];

    private static FrameReaderRun Run(byte[] wire, int[] pieces) => Task.Run(() => FrameReaderRun.RunAsync(wire, pieces)).GetAwaiter().GetResult();
}
