using System.ComponentModel.DataAnnotations;

namespace ScoreFeed.Hub.Protection;

/// <summary>
/// Configuration section <c>Hub:SlowConsumers</c>: how much a connection that does not read may hold before it is
/// disconnected. Beyond SignalR's transport buffer (64 KiB), updates for a stalled connection wait in a buffer of its
/// own, so that one stalled socket never holds up delivery to the others.
/// </summary>
internal sealed class SlowConsumerOptions
{
    public const string Section = "Hub:SlowConsumers";

    /// <summary>Bytes that may wait for a stalled connection beyond the transport buffer; one more disconnects it.</summary>
    [Range(4 * 1024, 64 * 1024 * 1024)]
    public int MaxPendingBytes { get; set; } = 256 * 1024;

    /// <summary>How long the socket may take no data while updates wait for it before it is disconnected.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxStall { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a disconnected slow consumer has to read the close message (with the reason) before its socket is cut.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(2);
}
