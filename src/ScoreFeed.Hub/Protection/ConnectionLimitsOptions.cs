using System.ComponentModel.DataAnnotations;

namespace ScoreFeed.Hub.Protection;

/// <summary>
/// Configuration section <c>Hub:ConnectionLimits</c>: how fast new connections are admitted. Only requests that start a
/// connection count (a WebSocket without a connection id, or a negotiate); messages on an open connection never do.
/// </summary>
internal sealed class ConnectionLimitsOptions
{
    public const string Section = "Hub:ConnectionLimits";

    /// <summary>New connections one client address may open per <see cref="Window"/>; more get 429. 0 turns the limit off.</summary>
    [Range(0, 1_000_000)]
    public int PerAddress { get; set; } = 60;

    /// <summary>New connections one partner key (query parameter <c>key</c>) may open per <see cref="Window"/>; more get 429. 0 turns the limit off.</summary>
    [Range(0, 1_000_000)]
    public int PerKey { get; set; }

    /// <summary>The window of <see cref="PerAddress"/> and <see cref="PerKey"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// New connections this hub admits per second, whoever opens them: a reconnect storm (a peer hub died) waits in
    /// line instead of taking the hub's CPU from the connections it serves.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PerSecond { get; set; } = 200;

    /// <summary>Connections that may wait in line for <see cref="PerSecond"/>; more get 503 with <c>Retry-After</c>.</summary>
    [Range(0, 1_000_000)]
    public int QueueLimit { get; set; } = 5000;
}
