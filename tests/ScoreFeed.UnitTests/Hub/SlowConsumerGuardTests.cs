using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ScoreFeed.Testing;
using ScoreFeed.Hub.Protection;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

/// <summary>
/// The slow-consumer rule both writers apply: how much may wait and for how long, the close message that says why, the
/// cut after the grace; and the guard's own writer, which never waits for a socket that takes nothing.
/// </summary>
public sealed class SlowConsumerGuardTests
{
    private static readonly SlowConsumerOptions Limits = new()
    {
        MaxPendingBytes = 4096,
        MaxStall = TimeSpan.FromSeconds(15),
        CloseGrace = TimeSpan.FromSeconds(2),
    };

    private readonly FakeTimeProvider _time = new();

    private SlowConsumerGuard Guard(TimeProvider? time = null, SlowConsumerOptions? options = null) =>
        new(Options.Create(options ?? Limits), HubParts.Protocols(), new ProtectionMetrics(HubParts.Meters), time ?? _time,
            NullLogger<SlowConsumerGuard>.Instance);

    private static DefaultConnectionContext Connection(TransferFormat? format = TransferFormat.Text)
    {
        var connection = new DefaultConnectionContext("c1");
        if (format is { } active)
        {
            connection.Features.Set<ITransferFormatFeature>(new LoopbackWriter.TransferFormatFeature { ActiveFormat = active });
        }
        return connection;
    }

    [Fact]
    public void A_connection_may_wait_up_to_the_byte_and_stall_limits_and_goes_past_either()
    {
        var guard = Guard();
        var since = _time.GetTimestamp();

        Assert.False(guard.Disconnects(Connection(), Limits.MaxPendingBytes, since, out _));
        Assert.True(guard.Disconnects(Connection(), Limits.MaxPendingBytes + 1, since, out _));

        _time.Advance(Limits.MaxStall);
        Assert.False(guard.Disconnects(Connection(), 10, since, out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(guard.Disconnects(Connection(), 10, since, out _));
    }

    [Fact]
    public void A_disconnected_connection_is_told_why_in_its_protocol_and_may_reconnect()
    {
        var guard = Guard();

        Assert.True(guard.Disconnects(Connection(TransferFormat.Text), Limits.MaxPendingBytes + 1, _time.GetTimestamp(), out var text));
        Assert.True(guard.Disconnects(Connection(TransferFormat.Binary), Limits.MaxPendingBytes + 1, _time.GetTimestamp(), out var binary));
        Assert.True(guard.Disconnects(Connection(format: null), Limits.MaxPendingBytes + 1, _time.GetTimestamp(), out var beforeHandshake));

        var json = new ReadOnlySequence<byte>(text!);
        Assert.True(HubParts.Protocols()[0].TryParseMessage(ref json, null!, out var message));
        var close = Assert.IsType<CloseMessage>(message);
        Assert.True(close.AllowReconnect);
        Assert.Contains("(bytes)", close.Error, StringComparison.Ordinal);
        var packed = new ReadOnlySequence<byte>(binary!);
        Assert.True(new MessagePackHubProtocol().TryParseMessage(ref packed, null!, out var binaryMessage));
        Assert.IsType<CloseMessage>(binaryMessage);
        Assert.Null(beforeHandshake);
    }

    [Fact]
    public async Task The_socket_is_cut_after_the_grace_and_not_before()
    {
        var connection = Connection();

        var cutting = Guard().AbortAfterGraceAsync(connection);
        _time.Advance(Limits.CloseGrace - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(cutting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await cutting.WaitAsync(TimeSpan.FromSeconds(10));

        await Wait.UntilAsync(() => connection.ConnectionClosed.IsCancellationRequested, TimeSpan.FromSeconds(10), "the connection to be aborted");
    }

    [Fact]
    public async Task The_guards_writer_never_waits_for_a_socket_that_takes_nothing_and_disconnects_it_past_the_limit()
    {
        // A transport whose socket takes nothing: its flush waits once 1 KiB is in it.
        var socket = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512));
        var connection = Connection();
        connection.Transport = new DuplexPipe(new Pipe().Reader, socket.Writer);
        GuardedWriter.Attach(Guard(TimeProvider.System, new SlowConsumerOptions
        {
            MaxPendingBytes = 4096,
            MaxStall = TimeSpan.FromMinutes(1),
            CloseGrace = TimeSpan.Zero,
        }), connection, socket.Writer);
        var sink = connection.Features.Get<IFrameSink>()!;
        var frame = new byte[600];

        // Every write returns at once; the first two fill the transport, the next wait in the guard's buffer, past
        // 4 KiB the connection goes.
        for (var i = 0; i < 12; i++)
        {
            var write = Task.Run(() => sink.Write(frame));
            await write.WaitAsync(TimeSpan.FromSeconds(5));
        }

        await Wait.UntilAsync(() => connection.ConnectionClosed.IsCancellationRequested, TimeSpan.FromSeconds(10), "the slow consumer to be cut");
        var flush = await connection.Transport.Output.FlushAsync();
        Assert.True(flush.IsCompleted, "the guard's writer takes nothing more");
    }
}
