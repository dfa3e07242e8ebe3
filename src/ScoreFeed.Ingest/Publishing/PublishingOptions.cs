using System.ComponentModel.DataAnnotations;

namespace ScoreFeed.Ingest.Publishing;

/// <summary>Configuration section <c>Ingest:Publishing</c>: what ingest keeps when it cannot publish (Redis down).</summary>
internal sealed class PublishingOptions
{
    public const string Section = "Ingest:Publishing";

    /// <summary>
    /// Committed updates kept in memory, in order, while publishing fails; past this the oldest is dropped (it is in the
    /// match's Redis history, so clients recover it at their next gap).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxPending { get; set; } = 10_000;

    /// <summary>Longest wait between two attempts to publish what is pending (exponential with jitter up to this).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often ingest asks Redis which process it is (<c>INFO server</c>'s run id, one Lua call); after a restart or a
    /// failover, every match written on an earlier process moves to a new epoch (docs/architecture.md, "The rewind rule").
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ContinuityCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
