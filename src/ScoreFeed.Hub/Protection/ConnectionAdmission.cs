using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Transport;
using ScoreFeed.Limits;

namespace ScoreFeed.Hub.Protection;

/// <summary>
/// Admits new hub connections (<see cref="ConnectionLimitsOptions"/>): first per client address and per partner key
/// (fixed windows; over the limit → 429 with <c>Retry-After</c>), then at the hub's own rate (a token bucket with a
/// bounded line: a reconnect storm waits its turn; past the line → 503 with <c>Retry-After</c>). Clients back off with
/// jitter and retry. Another partition (e.g. per-partner limits from the partner directory) is one more entry in
/// <see cref="_partitions"/>.
/// </summary>
internal sealed class ConnectionAdmission : IDisposable
{
    private readonly List<Partition> _partitions = [];
    private readonly TokenBucketRateLimiter _hub;
    private readonly ProtectionMetrics _metrics;
    private readonly ILogger<ConnectionAdmission> _logger;

    public ConnectionAdmission(IOptions<ConnectionLimitsOptions> options, ProtectionMetrics metrics, ILogger<ConnectionAdmission> logger)
    {
        var o = options.Value;
        _metrics = metrics;
        _logger = logger;
        if (o.PerAddress > 0)
        {
            _partitions.Add(new Partition("address", o.Window, Windowed(o.PerAddress, o.Window),
                attempt => attempt.Address ?? "unknown"));
        }
        if (o.PerKey > 0)
        {
            _partitions.Add(new Partition("key", o.Window, Windowed(o.PerKey, o.Window),
                attempt => attempt.Key is { Length: > 0 } key ? key : null));
        }
        // Refilled ten times a second, so admissions spread over the second instead of arriving in one burst.
        var perTick = Math.Max(1, o.PerSecond / 10);
        _hub = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.PerSecond,
            TokensPerPeriod = perTick,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)perTick / o.PerSecond),
            QueueLimit = o.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>
    /// True for the requests that open a connection: a negotiate (POST), or a WebSocket without a connection id (clients that
    /// skip negotiation). Long-polling and server-sent-events requests of an open connection carry its id.
    /// </summary>
    public static bool OpensConnection(HttpContext context) => HubRoute.Classify(context.Request.Path) switch
    {
        HubRequest.Negotiate => HttpMethods.IsPost(context.Request.Method),
        HubRequest.Connect => IsWebSocketUpgrade(context) && HubRoute.SkipsNegotiation(context.Request),
        _ => false,
    };

    /// <summary>
    /// A WebSocket handshake (HTTP/1.1 Upgrade, or HTTP/2 extended CONNECT). Checked on the request itself: this runs
    /// before the WebSockets middleware that SignalR's endpoint adds, so <c>HttpContext.WebSockets</c> cannot tell yet.
    /// </summary>
    private static bool IsWebSocketUpgrade(HttpContext context) =>
        context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true
        || (HttpMethods.IsGet(context.Request.Method)
            && context.Request.Headers.Upgrade.Any(u => string.Equals(u, "websocket", StringComparison.OrdinalIgnoreCase)));

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!OpensConnection(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var refusal = await AdmitAsync(context.Connection.RemoteIpAddress, context.Request.Query[HubRoute.KeyParameter].ToString(),
            context.RequestAborted).ConfigureAwait(false);
        if (refusal is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = refusal.Status;
        context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds;
        context.Response.ContentType = AdmissionRefusal.ContentType;
        await context.Response.WriteAsync(refusal.Detail, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Admits a new connection from <paramref name="address"/> (counted per <see cref="AddressKey"/>: an IPv6 client per
    /// /64) with partner key <paramref name="key"/> (empty: none), or says why not. A connection the hub's rate makes wait
    /// completes when it is admitted or refused.
    /// </summary>
    public async ValueTask<AdmissionRefusal?> AdmitAsync(IPAddress? address, string? key, CancellationToken aborted)
    {
        var attempt = new Attempt(AddressKey.Of(address), key);
        foreach (var partition in _partitions)
        {
            if (partition.Key(attempt) is not { } partitionKey)
            {
                continue;
            }
            using var lease = partition.Limiter.AttemptAcquire(partitionKey);
            if (!lease.IsAcquired)
            {
                _metrics.Limited(partition.Name);
                HubLog.ConnectionLimited(_logger, partition.Name, Describe(partitionKey));
                return new AdmissionRefusal(StatusCodes.Status429TooManyRequests, partition.Window,
                    $"Too many new connections from this {partition.Name}; retry later.");
            }
        }
        using var admitted = _hub.AttemptAcquire();
        if (admitted.IsAcquired)
        {
            return null;
        }
        _metrics.Queued();
        using var waited = await _hub.AcquireAsync(1, aborted).ConfigureAwait(false);
        if (!waited.IsAcquired)
        {
            _metrics.Limited("busy");
            return new AdmissionRefusal(StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1 + Random.Shared.Next(4)),
                "This hub is admitting too many connections at once; retry later.");
        }
        return null;
    }

    private static PartitionedRateLimiter<string> Windowed(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    private static string Describe(string key) => key.Length <= 64 ? key : key[..64] + "…";

    public void Dispose()
    {
        _hub.Dispose();
        foreach (var partition in _partitions)
        {
            partition.Limiter.Dispose();
        }
    }

    private readonly record struct Attempt(string? Address, string? Key);

    private sealed record Partition(string Name, TimeSpan Window, PartitionedRateLimiter<string> Limiter, Func<Attempt, string?> Key);
}

/// <summary>Why a new connection was not admitted: the HTTP status, when to retry, and a line for the client.</summary>
internal sealed record AdmissionRefusal(int Status, TimeSpan RetryAfter, string Detail)
{
    public const string ContentType = "text/plain; charset=utf-8";

    /// <summary>The <c>Retry-After</c> header's value: whole seconds, rounded up.</summary>
    public string RetryAfterSeconds => Math.Ceiling(RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
