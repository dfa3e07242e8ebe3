using System.ComponentModel.DataAnnotations;

namespace ScoreFeed.Redis;

/// <summary>Configuration section <c>Store</c>.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>Prefix of every key (lets several deployments share one Redis).</summary>
    [Required, RegularExpression("^[A-Za-z0-9_.-]{1,32}$")]
    public string KeyPrefix { get; set; } = "sf";

    /// <summary>Updates kept per match for recovery.</summary>
    [Range(1, 100_000)]
    public int HistoryLength { get; set; } = 1000;

    /// <summary>Updates older than this leave the history (a client away longer re-snapshots).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan HistoryMaxAge { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a final or cancelled match stays in Redis after its last change.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(2);
}
