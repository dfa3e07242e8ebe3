using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ScoreFeed.Client;
using ScoreFeed.Contract;

namespace ScoreFeed.EndToEndTests.Infrastructure;

/// <summary>
/// A hub client as a browser would run it: WebSockets with skip-negotiation, the reference
/// <see cref="MatchTracker"/> applying the contract's rules, and recovery by re-subscribing with positions.
/// </summary>
internal sealed class TestClient : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<MatchUpdate> _received = [];
    private readonly Dictionary<string, List<long>> _applied = new(StringComparer.Ordinal);
    private string[] _topics = [];

    private TestClient(HubConnection connection)
    {
        Connection = connection;
        Tracker.UpdateApplied += u =>
        {
            if (!_applied.TryGetValue(u.MatchId, out var list))
            {
                _applied[u.MatchId] = list = [];
            }
            list.Add(u.Seq);
        };
        connection.On<MatchUpdate>(ClientMethods.Update, OnUpdate);
    }

    public HubConnection Connection { get; }

    public MatchTracker Tracker { get; } = new();

    /// <summary>Recoveries this client had to ask for (gaps or new epochs seen live).</summary>
    public int Resubscribes { get; private set; }

    /// <summary>
    /// By default as ScoreFeed's clients connect: WebSockets without negotiation (the hub's own transport). With
    /// <paramref name="negotiated"/>, SignalR's negotiation and its transports (here <paramref name="transport"/>).
    /// </summary>
    public static async Task<TestClient> ConnectAsync(Uri hubUrl, bool messagePack = false, HttpTransportType? negotiated = null)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(hubUrl, o =>
            {
                o.SkipNegotiation = negotiated is null;
                o.Transports = negotiated ?? HttpTransportType.WebSockets;
            });
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            builder.AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ScoreFeedJsonContext.Default);
                o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            });
        }
        var client = new TestClient(builder.Build());
        await client.Connection.StartAsync().Within();
        return client;
    }

    /// <summary>Updates in arrival order, before any filtering.</summary>
    public List<MatchUpdate> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The seqs the tracker applied to <paramref name="matchId"/>, in order.</summary>
    public List<long> Applied(string matchId)
    {
        lock (_gate)
        {
            return _applied.TryGetValue(matchId, out var list) ? [.. list] : [];
        }
    }

    public IReadOnlyCollection<string> AppliedMatches
    {
        get
        {
            lock (_gate)
            {
                return [.. _applied.Keys];
            }
        }
    }

    public MatchState? State(string matchId)
    {
        lock (_gate)
        {
            return Tracker[matchId];
        }
    }

    public Dictionary<string, StreamPosition> Positions()
    {
        lock (_gate)
        {
            return Tracker.Positions();
        }
    }

    /// <summary>Subscribes the way the contract says: hold updates until the result is in, then replay them.</summary>
    public async Task<SubscribeResult> SubscribeAsync(string[] topics, Dictionary<string, StreamPosition>? positions = null)
    {
        lock (_gate)
        {
            _topics = [.. _topics.Union(topics)];
            Tracker.BeginSubscribe();
        }
        SubscribeResult result;
        try
        {
            result = await Connection.InvokeAsync<SubscribeResult>("Subscribe", new SubscribeRequest { Topics = topics, Positions = positions }).Within();
        }
        catch
        {
            lock (_gate)
            {
                Tracker.CompleteSubscribe(new SubscribeResult());
            }
            throw;
        }
        IReadOnlyDictionary<string, TrackerAction> actions;
        lock (_gate)
        {
            actions = Tracker.CompleteSubscribe(result);
        }
        if (actions.Count > 0)
        {
            _ = RecoverAsync(actions);
        }
        return result;
    }

    private void OnUpdate(MatchUpdate update)
    {
        TrackerAction action;
        lock (_gate)
        {
            _received.Add(update);
            action = Tracker.OnUpdate(update);
        }
        if (action != TrackerAction.None)
        {
            _ = RecoverAsync(new Dictionary<string, TrackerAction> { [update.MatchId] = action });
        }
    }

    private async Task RecoverAsync(IReadOnlyDictionary<string, TrackerAction> actions)
    {
        Dictionary<string, StreamPosition> positions;
        string[] topics;
        lock (_gate)
        {
            Resubscribes++;
            foreach (var (matchId, action) in actions)
            {
                if (action == TrackerAction.Resnapshot)
                {
                    Tracker.Forget(matchId);
                }
            }
            positions = Tracker.Positions();
            topics = _topics;
        }
        try
        {
            await SubscribeAsync(topics, positions);
        }
        catch (Exception) when (Connection.State != HubConnectionState.Connected)
        {
            // Closed meanwhile: the owner reconnects with Positions().
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
