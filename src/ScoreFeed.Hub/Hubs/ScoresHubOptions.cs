using System.ComponentModel.DataAnnotations;
using ScoreFeed.Hub.Fanout;

namespace ScoreFeed.Hub.Hubs;

/// <summary>Configuration section <c>Hub</c>.</summary>
internal sealed class ScoresHubOptions
{
    public const string Section = "Hub";

    /// <summary>Topics one connection may hold at once; more are rejected with a reason.</summary>
    [Range(1, 10_000)]
    public int MaxTopicsPerConnection { get; set; } = 50;

    /// <summary>Positions one Subscribe may carry; a request with more is refused with a message naming the limit.</summary>
    [Range(1, 100_000)]
    public int MaxPositionsPerSubscribe { get; set; } = 500;

    /// <summary>
    /// Updates one Subscribe may recover from Redis history in all, shared by the positions it reads there (each at most
    /// 100); a position further behind than its share gets the match's snapshot instead. Bounds what one anonymous
    /// request costs Redis, ingest's write path (the positions the hub answers from memory do not count).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxRecoveredPerSubscribe { get; set; } = 2000;

    /// <summary>Subscribe calls per second one connection may make (bursts of ten); faster calls wait their turn.</summary>
    [Range(0.1, 1000)]
    public double SubscribesPerSecond { get; set; } = 2;

    /// <summary>Largest message a client may send, in bytes; a bigger frame closes that connection.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxMessageSize { get; set; } = 32 * 1024;

    /// <summary>Origins allowed to call the read API and negotiate from a browser (CORS).</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>
    /// How long the hub keeps an answer of its read API (<c>GET /api/v1/matches</c>, <c>…/{id}</c>) and gives it to
    /// every same request meanwhile; requests that come while the first is read from Redis wait for it. Bounds what a
    /// flood of reads costs Redis, ingest's write path, to one read per distinct request per this long. Fans' pages
    /// lose nothing by it: their Subscribe brings every update after the position the answer held. 0 turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReadApiCache { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the hub checks the matches its connections follow against Redis and sends what it did not get
    /// through pub/sub (a message lost while its subscription was down, a final update no later one follows).
    /// It also checks at once whenever its subscription comes back.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// For WebSocket clients that skip negotiation over HTTP/1.1: the hub answers the upgrade itself, frames messages in
    /// place and writes them to the socket from per-core send queues. Off: the ASP.NET Core WebSockets middleware
    /// accepts and its <c>WebSocket</c> sends (more CPU per message), as for HTTP/2 WebSockets.
    /// </summary>
    public bool DirectSockets { get; set; } = true;

    /// <summary>
    /// With <see cref="DirectSockets"/>: when the hub is busy (a round of one of its send queues — one per core — sent
    /// to <see cref="SendBatchRound"/> connections or more that it had sent to within twice this window, as each
    /// update to a big match does; many small matches' updates, each to other connections, do not), that queue holds its
    /// next round, so that a connection's frames of the updates in between leave in one send: for ten times as long as
    /// the busy round took, at least a quarter of this and at most this. Adds up to this much latency, under load only;
    /// 0 sends every round at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan SendBatchWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Sends in one round of a send queue, to connections sent to recently, that make the hub busy (<see cref="SendBatchWindow"/>).</summary>
    [Range(1, 1_000_000)]
    public int SendBatchRound { get; set; } = 256;

    /// <summary>
    /// Updates kept in memory per match for clients that resume (<see cref="RecentUpdates"/>); a position older than
    /// these is recovered from Redis history. 0 turns it off.
    /// </summary>
    [Range(0, 1024)]
    public int RecentUpdatesPerMatch { get; set; } = 64;

    /// <summary>
    /// The SignalR Redis backplane, for SignalR's own addressing across processes (<c>Clients.User</c>,
    /// <c>Clients.Group</c> sent from another process). ScoreFeed sends nothing that way: updates come from the updates
    /// channel, audience counts are local writes. Off by default: it costs a Redis <c>SUBSCRIBE</c> per connect and a
    /// subscription per connection, which slows a reconnect storm and adds to every idle connection's memory
    /// (docs/benchmarks.md, "Measured for design choices"). Turn it on for an extension that needs SignalR's cross-hub
    /// addressing.
    /// </summary>
    public bool Backplane { get; set; }
}
