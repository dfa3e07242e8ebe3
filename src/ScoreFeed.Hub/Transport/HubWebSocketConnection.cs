using System.Collections;
using System.IO.Pipelines;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using ScoreFeed.Hub.Access;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// The connection SignalR's hub runs on in the hub's own transport (<see cref="HubConnectionHost"/>): a pipe for what
/// the client sends, the client's <see cref="ClientSocket"/>, and the features SignalR, the gate and the fan-out ask
/// for. It is its own feature collection — each feature it implements is the connection itself, the fan-out's sink a
/// field, anything else set a small dictionary made on first use — where <see cref="DefaultConnectionContext"/> would
/// keep a dictionary of a dozen entries for every connection (an idle connection's memory is what decides how many a hub holds).
/// </summary>
internal sealed class HubWebSocketConnection : ConnectionContext, IFeatureCollection, IConnectionIdFeature, IConnectionItemsFeature,
    IConnectionTransportFeature, IConnectionUserFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature, IHttpContextFeature,
    ITransferFormatFeature, IConnectionHeartbeatFeature, IHubConnectRequestFeature
{
    /// <summary>The segment size of the pipe between what the client sends and the hub.</summary>
    private const int InputSegmentSize = 512;

    // Small segments: a pipe keeps its last segment while the connection lives, and clients send little (Subscribe,
    // pings); the default (4 KiB from the shared pool) would be most of an idle connection's cost.
    private static readonly PipeOptions InputOptions = new(minimumSegmentSize: InputSegmentSize, useSynchronizationContext: false);

    private static readonly Type[] OwnFeatures =
    [
        typeof(IConnectionIdFeature), typeof(IConnectionItemsFeature), typeof(IConnectionTransportFeature), typeof(IConnectionUserFeature),
        typeof(IConnectionLifetimeFeature), typeof(IConnectionEndPointFeature), typeof(IHttpContextFeature), typeof(ITransferFormatFeature),
        typeof(IConnectionHeartbeatFeature), typeof(IHubConnectRequestFeature),
    ];

    // Not disposed: SignalR, the guard and the fan-out may still call Abort after the connection ended; the token source
    // holds no timer, so the collector takes it.
    private readonly CancellationTokenSource _closed = new();
    private readonly List<(Action<object> Action, object State)> _heartbeats = [];
    private IDictionary<object, object?>? _items;
    private IFrameSink? _sink;
    private Dictionary<Type, object>? _others;
    private int _revision;

    public HubWebSocketConnection(string id, ClientSocket client, ClaimsPrincipal user, EndPoint? local, EndPoint? remote, string? key, string? origin)
    {
        ConnectionId = id;
        ConnectionClosed = _closed.Token;
        Client = client;
        User = user;
        (LocalEndPoint, RemoteEndPoint) = (local, remote);
        (Key, Origin) = (key, origin);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features => this;

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new ConnectionItems();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; } = null!;

    public override CancellationToken ConnectionClosed { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public ClaimsPrincipal? User { get; set; }

    /// <summary>What the client sends: the client socket writes it, the hub reads it (<see cref="ConnectionContext.Transport"/>).</summary>
    public Pipe Input { get; } = new(InputOptions);

    /// <summary>What the client sends comes from it; the transport closes or aborts it.</summary>
    public ClientSocket Client { get; }

    /// <summary>The handshake's request when it went through HTTP/1.1; none when the hub read it first.</summary>
    public HttpContext? HttpContext { get; set; }

    public string? Key { get; }

    public string? Origin { get; }

    public string? Token { get; init; }

    public TransferFormat SupportedFormats => TransferFormat.Text | TransferFormat.Binary;

    public TransferFormat ActiveFormat { get; set; } = TransferFormat.Text;

    /// <summary>
    /// SignalR's abort (a protocol error, a slow consumer's grace over): <see cref="ConnectionClosed"/> is cancelled on
    /// the thread pool, as <see cref="DefaultConnectionContext"/> does, and the client's side ends.
    /// </summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        ThreadPool.UnsafeQueueUserWorkItem(static closed => closed.Cancel(), _closed, preferLocal: false);
        Client.Abort();
    }

    public void OnHeartbeat(Action<object> action, object state)
    {
        lock (_heartbeats)
        {
            _heartbeats.Add((action, state));
        }
    }

    public void Tick()
    {
        lock (_heartbeats)
        {
            foreach (var (action, state) in _heartbeats)
            {
                action(state);
            }
        }
    }

    // The feature collection.

    public bool IsReadOnly => false;

    public int Revision => _revision;

    public object? this[Type key]
    {
        get => _others?.GetValueOrDefault(key) ?? (key == typeof(IFrameSink) ? _sink : Array.IndexOf(OwnFeatures, key) >= 0 ? this : null);
        set
        {
            _revision++;
            if (key == typeof(IFrameSink) && _others?.ContainsKey(key) != true)
            {
                _sink = (IFrameSink?)value;
            }
            else if (value is null)
            {
                _others?.Remove(key);
            }
            else
            {
                (_others ??= [])[key] = value;
            }
        }
    }

    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        foreach (var type in OwnFeatures)
        {
            if (_others?.ContainsKey(type) != true)
            {
                yield return new(type, this);
            }
        }
        if (_sink is not null)
        {
            yield return new(typeof(IFrameSink), _sink);
        }
        foreach (var other in _others ?? [])
        {
            yield return other;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
