using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ScoreFeed.Web.Push;

/// <summary>The VAPID identity the sender uses: configured, or (Development only, nothing configured) made at start.</summary>
internal sealed class VapidIdentity
{
    public VapidIdentity(IOptions<PushOptions> options, IHostEnvironment environment, ILogger<VapidIdentity> logger)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.PublicKey) && string.IsNullOrEmpty(o.PrivateKey) && environment.IsDevelopment())
        {
            (PublicKey, PrivateKey) = VapidKeys.Generate();
            WebLog.EphemeralVapidKeys(logger);
        }
        else
        {
            (PublicKey, PrivateKey) = (o.PublicKey!, o.PrivateKey!);
        }
        Subject = string.IsNullOrEmpty(o.Subject) ? "mailto:alerts@scorefeed.invalid" : o.Subject;
    }

    public string PublicKey { get; }

    public string PrivateKey { get; }

    public string Subject { get; }
}

/// <summary>What became of one push to one subscription.</summary>
internal enum PushOutcome
{
    Sent,
    Failed,
    Gone,
}

/// <summary>
/// Sends one alert to one subscription: VAPID (RFC 8292) and aes128gcm (RFC 8291) by Lib.Net.Http.WebPush, retried
/// with Polly after 429, 5xx, a timeout or a network error (honouring Retry-After up to
/// <see cref="PushOptions.MaxRetryAfter"/>); 404 and 410 mean the subscription is gone.
/// </summary>
internal sealed class PushDelivery : IDisposable
{
    private readonly PushServiceClient _client;
    private readonly HttpClient _http;
    private readonly VapidAuthentication _vapid;
    private readonly ResiliencePipeline _pipeline;
    private readonly PushOptions _options;

    public PushDelivery(VapidIdentity identity, IOptions<PushOptions> options, WebMetrics metrics, TimeProvider time)
    {
        _options = options.Value;
        // Its own HttpClient: the app's default HttpClients retry by themselves (the standard resilience handler), and a
        // push must be retried only here, where a retry is counted and Retry-After is honoured.
        _vapid = new VapidAuthentication(identity.PublicKey, identity.PrivateKey) { Subject = identity.Subject, TokenCache = new TokenCache() };
        var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = _options.MaxConcurrentPushes };
        _http = new HttpClient(new AudienceWithPort(_vapid) { InnerHandler = sockets }) { Timeout = Timeout.InfiniteTimeSpan };
        _client = new PushServiceClient(_http)
        {
            DefaultAuthentication = _vapid,
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
            AutoRetryAfter = false,
        };
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(_options.MaxRetries, 1),
                ShouldHandle = args => ValueTask.FromResult(_options.MaxRetries > 0 && IsTransient(args.Outcome.Exception)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Exception, time)),
                OnRetry = _ =>
                {
                    metrics.Retried();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(_options.RequestTimeout)
            .Build();
    }

    public async Task<(PushOutcome Outcome, string? Reason, int Status)> SendAsync(StoredSubscription subscription, Alert alert, CancellationToken cancellationToken)
    {
        var target = new PushSubscription { Endpoint = subscription.Endpoint };
        target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
        var body = JsonSerializer.Serialize(alert.In(subscription.Lang), PushJsonContext.Default.AlertPayload);
        try
        {
            await _pipeline.ExecuteAsync(async token =>
            {
                var message = new PushMessage(body)
                {
                    TimeToLive = (int)_options.MessageTimeToLive.TotalSeconds,
                    Urgency = alert.Urgent ? PushMessageUrgency.High : PushMessageUrgency.Normal,
                };
                await _client.RequestPushMessageDeliveryAsync(target, message, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return (PushOutcome.Sent, null, 201);
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return (PushOutcome.Gone, null, (int)e.StatusCode);
        }
        catch (PushServiceClientException e)
        {
            return (PushOutcome.Failed, $"{(int)e.StatusCode} {e.Message}", (int)e.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or InvalidOperationException)
        {
            return (PushOutcome.Failed, e.Message, 0);
        }
    }

    /// <summary>Worth another attempt: the push service is busy or failing, or did not answer.</summary>
    internal static bool IsTransient(Exception? e) => e switch
    {
        PushServiceClientException p => p.StatusCode == HttpStatusCode.TooManyRequests || (int)p.StatusCode >= 500,
        HttpRequestException or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>The push service's Retry-After (seconds or a date), capped; null: the exponential backoff's own delay.</summary>
    private TimeSpan? RetryAfter(Exception? e, TimeProvider time)
    {
        if (e is not PushServiceClientException { Headers.RetryAfter: { } retryAfter })
        {
            return null;
        }
        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : null);
        if (delay is not { } d)
        {
            return null;
        }
        return d < TimeSpan.Zero ? TimeSpan.Zero : d > _options.MaxRetryAfter ? _options.MaxRetryAfter : d;
    }

    public void Dispose()
    {
        _vapid.Dispose();
        _http.Dispose();
    }

    /// <summary>
    /// The library signs <c>aud</c> as scheme://host, without the port: right for every real push service (port 443), but
    /// not the endpoint's origin (RFC 8292 §2) for one on another port, such as a stand-in on 127.0.0.1. There the token
    /// is signed again for the full origin.
    /// </summary>
    private sealed class AudienceWithPort(VapidAuthentication vapid) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { IsDefaultPort: false } uri && request.Headers.Authorization is { Scheme: "vapid" })
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("vapid",
                    vapid.GetVapidSchemeAuthenticationHeaderValueParameter(uri.GetLeftPart(UriPartial.Authority)));
            }
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>One VAPID token per push service origin until shortly before it expires (signing one per push is waste).</summary>
    private sealed class TokenCache : IVapidTokenCache
    {
        private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

        public void Put(string audience, DateTimeOffset expiration, string token) => _tokens[audience] = (token, expiration);

        public string? Get(string audience) =>
            _tokens.TryGetValue(audience, out var entry) && entry.Expires > DateTimeOffset.UtcNow.AddMinutes(5) ? entry.Token : null;
    }
}
