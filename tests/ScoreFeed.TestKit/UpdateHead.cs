using System.Text;

namespace ScoreFeed.Testing;

/// <summary>
/// What a light client (the benchmark's load generator, the chaos tests' fans) needs from a JSON <c>update</c>:
/// matchId, epoch, seq and ts, found by key in the record's bytes without parsing all of it.
/// </summary>
internal readonly record struct UpdateHead(string MatchId, string Epoch, long Seq, long Ts)
{
    /// <summary>False when the record has no matchId or epoch; a missing seq or ts reads as -1.</summary>
    public static bool TryRead(ReadOnlySpan<byte> record, out UpdateHead head)
    {
        var matchId = JsonString(record, "\"matchId\":\""u8);
        var epoch = JsonString(record, "\"epoch\":\""u8);
        head = new UpdateHead(matchId ?? "", epoch ?? "", JsonNumber(record, "\"seq\":"u8), JsonNumber(record, "\"ts\":"u8));
        return matchId is not null && epoch is not null;
    }

    private static string? JsonString(ReadOnlySpan<byte> record, ReadOnlySpan<byte> key)
    {
        var at = record.IndexOf(key);
        if (at < 0)
        {
            return null;
        }
        var rest = record[(at + key.Length)..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? null : Encoding.UTF8.GetString(rest[..end]);
    }

    private static long JsonNumber(ReadOnlySpan<byte> record, ReadOnlySpan<byte> key)
    {
        var at = record.IndexOf(key);
        if (at < 0)
        {
            return -1;
        }
        long value = 0;
        foreach (var b in record[(at + key.Length)..])
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                break;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
