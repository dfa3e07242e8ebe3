using ScoreFeed.Contract;

namespace ScoreFeed.Hub.Usage;

/// <summary>
/// One partner's usage on this hub since the last flush (<see cref="PartnerUsage"/>): lock-free counters the gate and
/// the fan-out add to, which the flush takes and resets.
/// </summary>
internal sealed class PartnerMeter
{
    /// <summary>The refusals a known partner key can meet (an unknown key names no partner to count it for).</summary>
    public static readonly string[] RefusalCodes =
        [ConnectionRefusal.OriginNotAllowed, ConnectionRefusal.OverLimit, ConnectionRefusal.TokenRequired, ConnectionRefusal.TokenInvalid];

    private readonly long[] _refused = new long[RefusalCodes.Length];
    private long _opened;
    private long _updates;
    private long _bytes;

    public void Opened() => Interlocked.Increment(ref _opened);

    public void Refused(string code)
    {
        var i = Array.IndexOf(RefusalCodes, code);
        if (i >= 0)
        {
            Interlocked.Increment(ref _refused[i]);
        }
    }

    /// <summary>An update frame of <paramref name="bytes"/> written to one of the partner's connections.</summary>
    public void Delivered(int bytes)
    {
        Interlocked.Increment(ref _updates);
        Interlocked.Add(ref _bytes, bytes);
    }

    /// <summary>What was counted since the last call, the counters back at zero.</summary>
    public UsageCounts Take() => new(
        Interlocked.Exchange(ref _opened, 0),
        [.. _refused.Select((_, i) => Interlocked.Exchange(ref _refused[i], 0))],
        Interlocked.Exchange(ref _updates, 0),
        Interlocked.Exchange(ref _bytes, 0));
}

/// <summary>Counts of one partner over a span: connections opened, refused per <see cref="PartnerMeter.RefusalCodes"/>, update frames and their bytes.</summary>
internal sealed record UsageCounts(long Opened, long[] Refused, long Updates, long Bytes)
{
    public bool IsEmpty => Opened == 0 && Updates == 0 && Bytes == 0 && Refused.All(r => r == 0);
}
