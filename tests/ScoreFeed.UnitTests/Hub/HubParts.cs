using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Transport;
using ScoreFeed.Realtime;
using ScoreFeed.Redis;

namespace ScoreFeed.UnitTests;

/// <summary>The hub's parts as the unit tests build them: no Redis, no sockets.</summary>
internal static class HubParts
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public static IMeterFactory Meters => Services.GetRequiredService<IMeterFactory>();

    /// <summary>The hub's protocols, in the hub's order: JSON (text), MessagePack (binary).</summary>
    public static IHubProtocol[] Protocols()
    {
        var json = new JsonHubProtocolOptions();
        json.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ScoreFeedJsonContext.Default);
        json.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return [new StrictJsonHubProtocol(Options.Create(json)), new MessagePackHubProtocol()];
    }

    /// <summary>
    /// A fan-out that is never started: updates are handed to it as the updates channel would. Its Redis is not there,
    /// so only updates that skip nothing may be given to it.
    /// </summary>
    public static UpdateFanout Fanout(ScoresHubOptions? options = null, TimeProvider? time = null)
    {
        var keys = new RedisKeys("test");
        var store = new MatchStore(null!, keys, Options.Create(new StoreOptions()));
        return new UpdateFanout(null!, keys, store, Protocols(), new HubMetrics(Meters), time ?? TimeProvider.System,
            Options.Create(options ?? new ScoresHubOptions()), NullLogger<UpdateFanout>.Instance);
    }

    public static MatchUpdate Update(string matchId, long seq, string status = MatchStatus.Live, string epoch = "e1", string competitionId = "c1") => new()
    {
        MatchId = matchId,
        CompetitionId = competitionId,
        Epoch = epoch,
        Seq = seq,
        State = new MatchState { MatchId = matchId, CompetitionId = competitionId, Status = status, Epoch = epoch, Seq = seq },
    };

    /// <summary>The update as ingest publishes it on the updates channel.</summary>
    public static Task PublishAsync(this UpdateFanout fanout, MatchUpdate update, string previousStatus = MatchStatus.Live) =>
        fanout.OnMessageAsync(UpdateEnvelope.Format(update, UpdateEnvelope.TopicsFor(update, previousStatus)));
}

/// <summary>A connection's frame sink that keeps what it is given.</summary>
internal sealed class RecordingSink : IFrameSink
{
    private readonly List<byte[]> _frames = [];

    public IReadOnlyList<byte[]> Frames
    {
        get
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }
    }

    public void Write(ReadOnlyMemory<byte> frame)
    {
        lock (_frames)
        {
            _frames.Add(frame.ToArray());
        }
    }
}

/// <summary>A hub connection as SignalR hands it to the hub: its id, items and features (the sink, the protocol's format).</summary>
internal sealed class TestCaller : HubCallerContext
{
    private readonly FeatureCollection _features = new();
    private readonly CancellationTokenSource _aborted = new();

    public TestCaller(string id, IFrameSink? sink = null, TransferFormat format = TransferFormat.Text)
    {
        ConnectionId = id;
        Sink = sink as RecordingSink ?? new RecordingSink();
        _features.Set<IFrameSink>(sink ?? Sink);
        _features.Set<ITransferFormatFeature>(new LoopbackWriter.TransferFormatFeature { ActiveFormat = format });
    }

    public RecordingSink Sink { get; }

    public override string ConnectionId { get; }

    public override string? UserIdentifier => null;

    public override ClaimsPrincipal? User => null;

    public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

    public override IFeatureCollection Features => _features;

    public override CancellationToken ConnectionAborted => _aborted.Token;

    public override void Abort() => _aborted.Cancel();
}
