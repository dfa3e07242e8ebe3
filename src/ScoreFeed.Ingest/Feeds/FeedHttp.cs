using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>A response body larger than the provider's <c>MaxResponseBytes</c>; it was not read past that size.</summary>
internal sealed class FeedResponseTooLargeException(long limit) : Exception($"response body larger than {limit} bytes");

/// <summary>
/// Reads the response body inside the resilience pipeline, so the per-attempt timeout also covers a body that drips
/// in slowly, and stops reading past <paramref name="limit"/> bytes (a declared Content-Length is refused unread).
/// </summary>
internal sealed class BoundedBodyHandler(long limit) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.Content.Headers.ContentLength > limit)
            {
                throw new FeedResponseTooLargeException(limit);
            }
            using var buffer = new MemoryStream();
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > limit)
                    {
                        throw new FeedResponseTooLargeException(limit);
                    }
                    buffer.Write(chunk, 0, read);
                }
            }
            var content = new ByteArrayContent(buffer.ToArray());
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response.Content = content;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}

/// <summary>How one request of a poll went.</summary>
internal sealed record FetchResult(FeedResponse? Response, bool NotModified, string? Failure, TimeSpan? RetryAfter)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// GETs a provider's requests through its resilient HttpClient: authenticates, sends <c>If-None-Match</c> with the
/// last <c>ETag</c> of each request (a <c>304</c> means nothing to do), and turns every failure into a result.
/// </summary>
internal sealed class FeedFetcher(IHttpClientFactory clients, IFeedFormat format, ProviderOptions options, TimeProvider time)
{
    private readonly Dictionary<string, EntityTagHeaderValue> _etags = new(StringComparer.Ordinal);
    private readonly Uri _baseUrl = options.BaseUrl is { } u && !u.AbsoluteUri.EndsWith('/') ? new Uri(u.AbsoluteUri + "/") : options.BaseUrl!;

    public async Task<FetchResult> GetAsync(FeedRequest feedRequest, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUrl, feedRequest.PathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            format.Authorize(request, options.ApiKey);
        }
        if (_etags.TryGetValue(feedRequest.PathAndQuery, out var etag))
        {
            request.Headers.IfNoneMatch.Add(etag);
        }
        try
        {
            // A client per request, as the factory intends (its handlers rotate); the pipeline, and so the circuit, is per provider.
            using var http = clients.CreateClient(format.Name);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var received = new FeedResponse(feedRequest.PathAndQuery, (int)response.StatusCode, body,
                response.Content.Headers.ContentType?.MediaType, response.Headers.Date, time.GetUtcNow());
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return new FetchResult(received, NotModified: true, null, null);
            }
            if (!response.IsSuccessStatusCode)
            {
                return new FetchResult(received, false, $"http-{(int)response.StatusCode}", RetryAfter(response, time));
            }
            if (response.Headers.ETag is { } newTag)
            {
                _etags[feedRequest.PathAndQuery] = newTag;
            }
            return new FetchResult(received, false, null, null);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or FeedResponseTooLargeException or IOException
            || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var failure = e switch
            {
                TimeoutRejectedException or OperationCanceledException => "timeout",
                BrokenCircuitException => "circuit-open",
                FeedResponseTooLargeException => RejectReasons.TooLarge,
                _ => "connection",
            };
            return new FetchResult(null, false, failure, null);
        }
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };
}

/// <summary>The Polly pipeline of a provider's HttpClient: retry (outermost), circuit breaker, per-attempt timeout.</summary>
internal static class FeedResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ProviderOptions options, ProviderHealth health, TimeProvider time)
    {
        pipeline
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // Its delay generator waits for Retry-After (429, 503); one longer than MaxRetryAfter is not waited
                // out inside the poll: the poll fails and the poller waits for it before the next one.
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && !(args.Outcome.Result is { } r && FeedFetcher.RetryAfter(r, time) > options.MaxRetryAfter)),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = options.CircuitBreakAfter,
                // Opens when every request in the window failed, and there were at least CircuitBreakAfter of them; the
                // window spans a few polls so that a slow poll cadence can still fill it.
                SamplingDuration = Max(TimeSpan.FromSeconds(1), options.PollInterval * 3, options.Timeout * (options.MaxRetries + 1) * 2),
                BreakDuration = options.CircuitBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    || args.Outcome.Exception is FeedResponseTooLargeException),
                OnOpened = _ => Set(health, CircuitState.Open),
                OnHalfOpened = _ => Set(health, CircuitState.HalfOpen),
                OnClosed = _ => Set(health, CircuitState.Closed),
            })
            .AddTimeout(options.Timeout);
    }

    private static TimeSpan Max(params TimeSpan[] values) => values.Max();

    private static ValueTask Set(ProviderHealth health, CircuitState state)
    {
        health.SetCircuit(state);
        return ValueTask.CompletedTask;
    }
}
