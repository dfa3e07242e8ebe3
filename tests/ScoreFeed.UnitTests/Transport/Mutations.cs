namespace ScoreFeed.UnitTests.Transport;

/// <summary>What a hostile or broken client does to well-formed bytes: flipped bits, odd bytes, bytes added, cut or repeated.</summary>
internal static class Mutations
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7D, 0x7E, 0x7F, 0x80, 0x81, 0x88, 0xC0, 0xE2, 0xED, 0xF4, 0xFE, 0xFF, (byte)'\r', (byte)'\n', (byte)':'];

    /// <summary><paramref name="bytes"/> after <paramref name="count"/> mutations drawn from <paramref name="random"/> (the same for a seed).</summary>
    public static byte[] Apply(byte[] bytes, Random random, int count)
    {
        var mutated = new List<byte>(bytes);
        for (var i = 0; i < count; i++)
        {
            var at = random.Next(mutated.Count + 1);
            var length = Math.Min(random.Next(1, 9), mutated.Count - at);
            switch (random.Next(6))
            {
                case 0 when at < mutated.Count:
                    mutated[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when at < mutated.Count:
                    mutated[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    mutated.InsertRange(at, Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(256)));
                    break;
                case 3 when length > 0:
                    mutated.RemoveRange(at, length);
                    break;
                case 4 when length > 0:
                    mutated.InsertRange(random.Next(mutated.Count + 1), mutated.GetRange(at, length));
                    break;
                default:
                    mutated.RemoveRange(at, mutated.Count - at);
                    break;
            }
        }
        return [.. mutated];
    }
}
