using Microsoft.AspNetCore.OutputCaching;
using ScoreFeed.Hub.Hubs;

namespace ScoreFeed.Hub.Apis;

/// <summary>
/// The read API's answers kept for <see cref="ScoresHubOptions.ReadApiCache"/> (output caching): one Redis read per
/// distinct request per that long, whoever asks and however often. Unlike output caching's default policy nothing a
/// client adds makes its request miss: an <c>Authorization</c> header (the read API reads none), another <c>Host</c>, a
/// path in other letters, query parameters the API does not read. Requests that come while the first one is read
/// wait for its answer. Only 200 answers are kept; CORS headers are set per request, outside the cache.
/// </summary>
internal sealed class ReadApiCache(TimeSpan duration) : IOutputCachePolicy
{
    /// <summary>The query parameters <see cref="MatchesApi"/> reads; any other is left out of the key.</summary>
    private static readonly string[] QueryKeys = ["status", "competition"];

    /// <summary>Memory the cache may take in all; a full cache stores nothing more until entries expire.</summary>
    public const long SizeLimit = 32 * 1024 * 1024;

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var method = context.HttpContext.Request.Method;
        var cached = duration > TimeSpan.Zero && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
        context.EnableOutputCaching = cached;
        context.AllowCacheLookup = cached;
        context.AllowCacheStorage = cached;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = duration;
        context.CacheVaryByRules.VaryByHost = false;
        context.CacheVaryByRules.QueryKeys = QueryKeys;
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}
