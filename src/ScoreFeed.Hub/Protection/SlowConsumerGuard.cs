using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace ScoreFeed.Hub.Protection;

/// <summary>
/// The slow-consumer rule, one for both of the transport's writers (<see cref="Transport.SocketWriter"/> when the hub
/// holds the socket, <see cref="Transport.GuardedWriter"/> on every other transport): one stalled connection never
/// holds up anyone else, and what it costs is bounded.
/// <para>
/// Plain SignalR writes a group message to each connection and waits for every write (<c>Task.WhenAll</c>) before it
/// takes the group's next message from the backplane; a connection whose socket no longer takes data (its client
/// stopped reading) fills its transport buffer, its write waits, and every other connection of that group on this hub
/// stops receiving, until the WebSocket transport gives up on that send (<c>TransportSendTimeout</c>, 10 s) and closes
/// it. Meanwhile the backplane's messages pile up in memory, and the next stalled client does it again.
/// </para>
/// <para>
/// Here a write never waits for the socket: while it takes nothing, what waits for it is bounded by
/// <see cref="SlowConsumerOptions.MaxPendingBytes"/>; past that, or when the socket has taken nothing for
/// <see cref="SlowConsumerOptions.MaxStall"/>, the connection is disconnected: the pending updates are dropped (they are
/// in Redis history), a SignalR close message with the reason and <c>allowReconnect</c> is queued, and after
/// <see cref="SlowConsumerOptions.CloseGrace"/> the socket is cut. The client reconnects and resumes from its positions.
/// </para>
/// </summary>
internal sealed class SlowConsumerGuard(
    IOptions<SlowConsumerOptions> options,
    IEnumerable<IHubProtocol> protocols,
    ProtectionMetrics metrics,
    TimeProvider time,
    ILogger<SlowConsumerGuard> logger)
{
    private readonly SlowConsumerOptions _options = options.Value;
    private readonly IHubProtocol[] _protocols = [.. protocols];

    /// <summary>The clock of the stalls: writers take their timestamps from it.</summary>
    public TimeProvider Time => time;

    /// <summary>
    /// The rule, for a connection whose socket has taken nothing since <paramref name="stalledSince"/> (a timestamp of
    /// <see cref="Time"/>) while <paramref name="pendingBytes"/> wait for it: false while it may wait. True when it is
    /// disconnected now, counted and logged; <paramref name="close"/> is then the close message that tells it why, in its
    /// protocol (JSON is text, MessagePack binary; null before the handshake), for the writer to queue in place of what
    /// was pending before it calls <see cref="AbortAfterGraceAsync"/>.
    /// </summary>
    public bool Disconnects(ConnectionContext connection, long pendingBytes, long stalledSince, out byte[]? close)
    {
        var stalled = time.GetElapsedTime(stalledSince);
        var reason = pendingBytes > _options.MaxPendingBytes ? "bytes" : stalled > _options.MaxStall ? "stall" : null;
        if (reason is null)
        {
            close = null;
            return false;
        }
        metrics.SlowConsumer(reason);
        HubLog.SlowConsumer(logger, connection.ConnectionId, reason, pendingBytes, stalled.TotalSeconds);
        var format = connection.Features.Get<ITransferFormatFeature>()?.ActiveFormat;
        var protocol = _protocols.FirstOrDefault(p => p.TransferFormat == format);
        var error = $"Disconnected: this connection did not read its updates ({reason}). Reconnect and subscribe with your positions to resume.";
        close = protocol?.GetMessageBytes(new CloseMessage(error, allowReconnect: true)).ToArray();
        return true;
    }

    /// <summary>A disconnected slow consumer's socket is cut after <see cref="SlowConsumerOptions.CloseGrace"/>, time to read the close message.</summary>
    public async Task AbortAfterGraceAsync(ConnectionContext connection)
    {
        await Task.Delay(_options.CloseGrace, time).ConfigureAwait(false);
        connection.Abort(new ConnectionAbortedException("slow consumer"));
    }
}
