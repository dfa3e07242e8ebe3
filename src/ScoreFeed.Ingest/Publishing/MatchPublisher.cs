using Microsoft.AspNetCore.SignalR;
using Polly;
using Polly.Retry;
using ScoreFeed.Contract;
using ScoreFeed.Realtime;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Publishing;

/// <summary>
/// Publishes a committed update to the hubs through the SignalR Redis backplane, to the groups
/// <c>match:{id}</c>, <c>competition:{id}</c> and, while the match is or just was in play, <c>live</c>.
/// </summary>
internal sealed partial class MatchPublisher(
    IHubContext<ScoresHub> hub,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    TimeProvider time,
    IngestMetrics metrics,
    ILogger<MatchPublisher> logger)
{
    // The update is already in the match's history: if publishing still fails, clients recover it on
    // their next gap. Retries cover a Redis blip without holding the match's queue for long.
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutException>(),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(50),
        })
        .Build();

    public async Task PublishAsync(ApplyResult result, CancellationToken cancellationToken)
    {
        var update = result.Update ?? throw new ArgumentException("Only applied changes are published.", nameof(result));
        update = update with { Ts = time.GetUtcNow().ToUnixTimeMilliseconds() };
        var groups = GroupsFor(update, result.PreviousStatus);
        try
        {
            await _retry.ExecuteAsync(
                async ct => await hub.Clients.Groups(groups).SendAsync(ClientMethods.Update, update, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            metrics.Published();
            await redis.GetSubscriber().PublishAsync(keys.PublishedChannel, PublishedNotice.Format(groups), CommandFlags.FireAndForget).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            metrics.PublishFailed();
            LogPublishFailed(logger, e, update.MatchId, update.Seq);
        }
    }

    internal static string[] GroupsFor(MatchUpdate update, string previousStatus)
    {
        var match = Topic.ForMatch(update.MatchId).Name;
        var competition = Topic.ForCompetition(update.CompetitionId).Name;
        return MatchStatus.IsInPlay(update.State.Status) || MatchStatus.IsInPlay(previousStatus)
            ? [Topic.LiveName, competition, match]
            : [competition, match];
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Update {MatchId}#{Seq} is stored but could not be published; clients will recover it from history")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string matchId, long seq);
}
