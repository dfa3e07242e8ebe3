using System.Text;

namespace ScoreFeed.UnitTests.Transport;

/// <summary>
/// A well-formed stream of client frames: messages (text in UTF-8, or binary) cut into fragments, pings between
/// frames, maybe a close frame at the end; with the payload the hub should get and the pings it should answer.
/// </summary>
internal sealed record ClientStream(byte[] Wire, byte[] Payload, IReadOnlyList<byte[]> Pings)
{
    /// <summary>What one message is: its type, payload, where it is cut into fragments and which fragments a ping follows.</summary>
    internal sealed record Message(bool Text, byte[] Payload, int[] Cuts, bool[] PingAfter);

    private static readonly string[] Characters = ["a", "{", "\"", "\u001e", "\0", "é", "€", "中", "😀", "\u200f"];

    /// <summary>Messages, framed and masked with keys drawn from <paramref name="seed"/>, then a close frame if asked.</summary>
    public static ClientStream Of(IReadOnlyList<Message> messages, bool close, int seed)
    {
        var random = new Random(seed);
        var wire = new List<byte>();
        var payload = new List<byte>();
        var pings = new List<byte[]>();
        foreach (var message in messages)
        {
            var length = message.Payload.Length;
            int[] cuts = [0, .. message.Cuts.Where(c => c > 0 && c < length).Distinct().Order(), length];
            for (var f = 0; f + 1 < cuts.Length; f++)
            {
                var opcode = f > 0 ? ClientFrames.Continuation : message.Text ? ClientFrames.Text : ClientFrames.Binary;
                wire.AddRange(ClientFrames.Frame(opcode, message.Payload.AsSpan(cuts[f]..cuts[f + 1]), final: f + 2 == cuts.Length, random));
                if (message.PingAfter.Length > 0 && message.PingAfter[f % message.PingAfter.Length])
                {
                    var ping = Encoding.ASCII.GetBytes($"ping {pings.Count}");
                    pings.Add(ping);
                    wire.AddRange(ClientFrames.Frame(ClientFrames.Ping, ping, final: true, random));
                }
            }
            payload.AddRange(message.Payload);
        }
        if (close)
        {
            wire.AddRange(ClientFrames.Frame(ClientFrames.Close, ClientFrames.ClosePayload(1000, "bye"u8), final: true, random));
        }
        return new ClientStream([.. wire], [.. payload], pings);
    }

    /// <summary>A text message's payload: UTF-8 of characters of one to four bytes, the record separator among them.</summary>
    public static byte[] Text(IEnumerable<int> characters) => Encoding.UTF8.GetBytes(string.Concat(characters.Select(c => Characters[c % Characters.Length])));
}
