using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.Hub.Protection;

/// <summary>
/// Keeps one stalled connection from holding up everyone else, and bounds what it costs.
/// <para>
/// Plain SignalR writes a group message to each connection and waits for every write (<c>Task.WhenAll</c>) before it
/// takes the group's next message from the backplane; a connection whose socket no longer takes data (its client
/// stopped reading) fills its transport buffer, its write waits, and every other connection of that group on this hub
/// stops receiving, until the WebSocket transport gives up on that send (<c>TransportSendTimeout</c>, 10 s) and closes
/// it. Meanwhile the backplane's messages pile up in memory, and the next stalled client does it again.
/// </para>
/// <para>
/// This connection middleware wraps the connection's output: a write never waits for the socket. While the transport is
/// full, what SignalR writes waits here, up to <see cref="SlowConsumerOptions.MaxPendingBytes"/>; past that, or when the
/// socket has taken nothing for <see cref="SlowConsumerOptions.MaxStall"/>, the connection is disconnected: the pending
/// updates are dropped (they are in Redis history), a SignalR close message with the reason and
/// <c>allowReconnect</c> is queued, and after <see cref="SlowConsumerOptions.CloseGrace"/> the socket is cut. The client
/// reconnects and resumes from its positions.
/// </para>
/// </summary>
internal sealed partial class SlowConsumerGuard(
    IOptions<SlowConsumerOptions> options,
    IEnumerable<IHubProtocol> protocols,
    ProtectionMetrics metrics,
    TimeProvider time,
    ILogger<SlowConsumerGuard> logger)
{
    private readonly SlowConsumerOptions _options = options.Value;
    private readonly IHubProtocol[] _protocols = [.. protocols];
    private readonly ProtectionMetrics _metrics = metrics;
    private readonly TimeProvider _time = time;
    private readonly ILogger<SlowConsumerGuard> _logger = logger;

    /// <summary>For SignalR's own transports (negotiated connections, server-sent events, long polling).</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => connection =>
    {
        Attach(connection, connection.Transport.Output);
        return next(connection);
    };

    /// <summary>
    /// Puts the bounded writer between the connection and <paramref name="output"/> (the transport's writer): the
    /// connection's <see cref="ConnectionContext.Transport"/> writes through it, and so does the fan-out (<see cref="IFrameSink"/>).
    /// </summary>
    public void Attach(ConnectionContext connection, PipeWriter output)
    {
        var writer = new BoundedWriter(this, connection, output);
        connection.Transport = new GuardedPipe(connection.Transport.Input, writer);
        connection.Features.Set<IFrameSink>(writer);
    }

    internal TimeProvider Time => _time;

    /// <summary>
    /// The rule, for a connection whose socket has taken nothing for <paramref name="stalled"/> while
    /// <paramref name="pendingBytes"/> wait for it: null while it may wait, else why it is disconnected.
    /// </summary>
    internal string? SlowReason(long pendingBytes, TimeSpan stalled) =>
        pendingBytes > _options.MaxPendingBytes ? "bytes" : stalled > _options.MaxStall ? "stall" : null;

    /// <summary>
    /// Counts and logs a connection disconnected as a slow consumer; returns the close message that tells it why, in
    /// its protocol (JSON is text, MessagePack binary), or null before the handshake.
    /// </summary>
    internal byte[]? Disconnected(ConnectionContext connection, string reason, long pendingBytes, TimeSpan stalled)
    {
        _metrics.SlowConsumer(reason);
        LogSlow(_logger, connection.ConnectionId, reason, pendingBytes, stalled.TotalSeconds);
        var format = connection.Features.Get<ITransferFormatFeature>()?.ActiveFormat;
        var protocol = _protocols.FirstOrDefault(p => p.TransferFormat == format);
        var error = $"Disconnected: this connection did not read its updates ({reason}). Reconnect and subscribe with your positions to resume.";
        return protocol?.GetMessageBytes(new CloseMessage(error, allowReconnect: true)).ToArray();
    }

    /// <summary>A disconnected slow consumer's socket is cut after <see cref="SlowConsumerOptions.CloseGrace"/>, time to read the close message.</summary>
    internal async Task AbortAfterGraceAsync(ConnectionContext connection)
    {
        await Task.Delay(_options.CloseGrace, _time).ConfigureAwait(false);
        connection.Abort(new ConnectionAbortedException("slow consumer"));
    }

    private sealed class GuardedPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }

    /// <summary>
    /// SignalR writes into <see cref="_staging"/> (under its own per-connection write lock); <see cref="FlushAsync"/>
    /// hands the bytes to the transport, or to <see cref="_backlog"/> while the transport's last flush is still waiting
    /// for the socket, and returns at once either way. The fan-out's updates (<see cref="IFrameSink.Write"/>) take the
    /// same way without a copy into staging. One drain loop per stall moves the backlog on as the socket takes data.
    /// Everything that touches the transport's writer holds <see cref="_gate"/>; while the transport has not sent what it
    /// holds, later frames join it there and leave in the same socket write.
    /// </summary>
    private sealed class BoundedWriter(SlowConsumerGuard guard, ConnectionContext connection, PipeWriter inner) : PipeWriter, IFrameSink
    {
        // SignalR's own messages (Subscribe results can be large); let go of after a big one, so that an idle
        // connection holds no more than a small buffer.
        private ArrayBufferWriter<byte> _staging = new(256);
        private readonly Lock _gate = new();
        private ArrayBufferWriter<byte>? _backlog;
        private bool _inFlight;
        private long _inFlightSince;
        private bool _closed;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _staging.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _staging.GetSpan(sizeHint);

        public override void Advance(int bytes) => _staging.Advance(bytes);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            lock (_gate)
            {
                _closed = true;
                _backlog = null;
                inner.Complete(exception);
            }
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                if (!_inFlight && !_closed && _staging.WrittenCount == 0)
                {
                    // The common case, without a copy: the transport has room.
                    return Started(inner.WriteAsync(source, CancellationToken.None));
                }
            }
            _staging.Write(source.Span);
            return FlushAsync(cancellationToken);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                var flush = Send(_staging.WrittenSpan);
                if (_staging.Capacity > 4096)
                {
                    _staging = new ArrayBufferWriter<byte>(256);
                }
                else
                {
                    _staging.ResetWrittenCount();
                }
                return flush;
            }
        }

        public void Write(ReadOnlyMemory<byte> frame)
        {
            lock (_gate)
            {
                var sent = Send(frame.Span);
                Debug.Assert(sent.IsCompleted, "Send never waits for the socket");
                if (sent.IsCompleted)
                {
                    sent.GetAwaiter().GetResult();
                }
            }
        }

        /// <summary>Under <see cref="_gate"/>: to the transport, or to the backlog while the socket is behind; completed either way.</summary>
        private ValueTask<FlushResult> Send(ReadOnlySpan<byte> bytes)
        {
            if (_closed)
            {
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
            }
            if (_inFlight)
            {
                var backlog = _backlog ??= new ArrayBufferWriter<byte>(Math.Max(1024, bytes.Length));
                backlog.Write(bytes);
                var stalled = guard._time.GetElapsedTime(_inFlightSince);
                if (guard.SlowReason(backlog.WrittenCount, stalled) is { } reason)
                {
                    Disconnect(reason, backlog.WrittenCount, stalled);
                }
                return default;
            }
            inner.Write(bytes);
            return Started(inner.FlushAsync(CancellationToken.None));
        }

        /// <summary>A flush that completed is returned as is; one that waits for the socket is followed by the drain loop.</summary>
        private ValueTask<FlushResult> Started(ValueTask<FlushResult> flush)
        {
            if (flush.IsCompleted)
            {
                return flush;
            }
            _inFlight = true;
            _inFlightSince = guard._time.GetTimestamp();
            _ = DrainAsync(flush);
            return default;
        }

        private async Task DrainAsync(ValueTask<FlushResult> flush)
        {
            while (true)
            {
                FlushResult result;
                try
                {
                    result = await flush.ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
                {
                    result = new FlushResult(isCanceled: false, isCompleted: true);
                }
                lock (_gate)
                {
                    if (_closed || result.IsCompleted || result.IsCanceled || _backlog is not { WrittenCount: > 0 } backlog)
                    {
                        _inFlight = false;
                        return;
                    }
                    inner.Write(backlog.WrittenSpan);
                    // A buffer that grew for a stall is not kept for the life of the connection.
                    _backlog = backlog.Capacity > 64 * 1024 ? null : backlog;
                    _backlog?.ResetWrittenCount();
                    flush = inner.FlushAsync(CancellationToken.None);
                    if (flush.IsCompleted)
                    {
                        _inFlight = false;
                        return;
                    }
                    _inFlightSince = guard._time.GetTimestamp();
                }
            }
        }

        /// <summary>Under <see cref="_gate"/>, with a flush waiting for the socket.</summary>
        private void Disconnect(string reason, long pendingBytes, TimeSpan stalled)
        {
            _closed = true;
            _backlog = null;
            _ = CloseAsync(guard.Disconnected(connection, reason, pendingBytes, stalled));
        }

        private async Task CloseAsync(byte[]? close)
        {
            // The waiting flush returns (canceled); the close message then goes after what the transport holds already.
            inner.CancelPendingFlush();
            while (true)
            {
                lock (_gate)
                {
                    if (!_inFlight)
                    {
                        if (close is not null)
                        {
                            try
                            {
                                inner.Write(close);
                                _ = inner.FlushAsync(CancellationToken.None).AsTask();
                            }
                            catch (InvalidOperationException)
                            {
                                // The transport completed meanwhile: nothing left to tell.
                            }
                        }
                        break;
                    }
                }
                await Task.Delay(TimeSpan.FromMilliseconds(10), guard._time).ConfigureAwait(false);
            }
            await guard.AbortAfterGraceAsync(connection).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "Connection {ConnectionId} disconnected as a slow consumer ({Reason}): {PendingBytes} bytes waiting, socket stalled for {StalledSeconds:F1} s")]
    private static partial void LogSlow(ILogger logger, string connectionId, string reason, long pendingBytes, double stalledSeconds);
}
