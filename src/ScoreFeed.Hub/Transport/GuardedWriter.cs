using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using ScoreFeed.Hub.Protection;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// The slow-consumer guard's writer, on every transport where the hub does not hold the socket (SignalR's own
/// transports, and <see cref="WebSocketWriter"/> where the WebSockets middleware accepted): a write never waits for the
/// socket, and what waits is bounded by <see cref="SlowConsumerGuard"/>'s rule.
/// <para>
/// SignalR writes into <see cref="_staging"/> (under its own per-connection write lock); <see cref="FlushAsync"/>
/// hands the bytes to the transport, or to <see cref="_backlog"/> while the transport's last flush is still waiting
/// for the socket, and returns at once either way. The fan-out's updates (<see cref="IFrameSink.Write"/>) take the
/// same way without a copy into staging. One drain loop per stall moves the backlog on as the socket takes data.
/// Everything that touches the transport's writer holds <see cref="_gate"/>; while the transport has not sent what it
/// holds, later frames join it there and leave in the same socket write.
/// </para>
/// </summary>
internal sealed class GuardedWriter(SlowConsumerGuard guard, ConnectionContext connection, PipeWriter inner) : PipeWriter, IFrameSink
{
    /// <summary>For SignalR's own transports (negotiated connections, server-sent events, long polling): a connection middleware.</summary>
    public static ConnectionDelegate Wrap(SlowConsumerGuard guard, ConnectionDelegate next) => connection =>
    {
        Attach(guard, connection, connection.Transport.Output);
        return next(connection);
    };

    /// <summary>
    /// Puts the bounded writer between the connection and <paramref name="output"/> (the transport's writer): the
    /// connection's <see cref="ConnectionContext.Transport"/> writes through it, and so does the fan-out (<see cref="IFrameSink"/>).
    /// </summary>
    public static void Attach(SlowConsumerGuard guard, ConnectionContext connection, PipeWriter output)
    {
        var writer = new GuardedWriter(guard, connection, output);
        connection.Transport = new DuplexPipe(connection.Transport.Input, writer);
        connection.Features.Set<IFrameSink>(writer);
    }

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
            if (guard.Disconnects(connection, backlog.WrittenCount, _inFlightSince, out var close))
            {
                Disconnect(close);
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
        _inFlightSince = guard.Time.GetTimestamp();
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
                _inFlightSince = guard.Time.GetTimestamp();
            }
        }
    }

    /// <summary>Under <see cref="_gate"/>, with a flush waiting for the socket: the guard's rule says the connection goes.</summary>
    private void Disconnect(byte[]? close)
    {
        _closed = true;
        _backlog = null;
        _ = CloseAsync(close);
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
            await Task.Delay(TimeSpan.FromMilliseconds(10), guard.Time).ConfigureAwait(false);
        }
        await guard.AbortAfterGraceAsync(connection).ConfigureAwait(false);
    }
}
