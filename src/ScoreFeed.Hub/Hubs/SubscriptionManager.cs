using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Access;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Redis;

namespace ScoreFeed.Hub.Hubs;

/// <summary>
/// Subscribe and Unsubscribe as the wire contract defines them. Subscribe joins the topics (in
/// <see cref="UpdateFanout"/>) FIRST and reads the snapshot SECOND, so no update can fall in between: whatever is
/// published after the read reaches the client through the fan-out, and what it receives twice it drops by seq.
/// <para>
/// What one request may cost is bounded (docs/operations.md, "Budget"): at most
/// <see cref="ScoresHubOptions.MaxPositionsPerSubscribe"/> positions, at most
/// <see cref="ScoresHubOptions.MaxRecoveredPerSubscribe"/> updates recovered from Redis (a position further behind gets
/// the snapshot), and <see cref="ScoresHubOptions.SubscribesPerSecond"/> calls per connection (faster ones wait).
/// </para>
/// </summary>
internal sealed class SubscriptionManager(
    MatchStore store,
    UpdateFanout fanout,
    IOptions<ScoresHubOptions> options,
    HubMetrics metrics,
    TokenLeases leases,
    ILogger<SubscriptionManager> logger) : IDisposable
{
    /// <summary>Recovering more updates of one match than this costs more than its snapshot.</summary>
    private const int MaxRecoveryPerMatch = 100;

    private const int SubscribeBurst = 10;

    // One token bucket per connection that is subscribing; a partition is dropped once its bucket is full again, so
    // idle connections hold none. Calls beyond the rate wait (SignalR runs one invocation per connection at a time).
    private readonly PartitionedRateLimiter<string> _subscribes = PartitionedRateLimiter.Create<string, string>(id =>
        RateLimitPartition.GetTokenBucketLimiter(id, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = SubscribeBurst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / options.Value.SubscribesPerSecond),
            QueueLimit = 1,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));

    /// <summary>After the handshake: the connection can now join topics.</summary>
    public void Connected(HubCallerContext context) => fanout.Register(context);

    public async Task<SubscribeResult> SubscribeAsync(HubCallerContext context, SubscribeRequest? request)
    {
        if (request?.Topics is null || request.Topics.Count == 0)
        {
            throw new HubException("Subscribe expects { \"topics\": [\"live\" | \"competition:{id}\" | \"match:{id}\" | \"standings:{id}\", …], \"positions\"?: { \"{matchId}\": { \"epoch\", \"seq\" } } } with at least one topic.");
        }
        var max = options.Value.MaxTopicsPerConnection;
        if (request.Topics.Count > max * 4)
        {
            throw new HubException($"Too many topics in one request ({request.Topics.Count}); a connection may hold at most {max}.");
        }
        var maxPositions = options.Value.MaxPositionsPerSubscribe;
        if (request.Positions?.Count > maxPositions)
        {
            throw new HubException($"Too many positions in one request ({request.Positions.Count}); at most {maxPositions}. Send the positions of the matches the topics cover.");
        }
        using var turn = await _subscribes.AcquireAsync(context.ConnectionId, 1, context.ConnectionAborted).ConfigureAwait(false);
        if (!turn.IsAcquired)
        {
            throw new HubException($"Too many Subscribe calls; at most {options.Value.SubscribesPerSecond:0.#} per second (bursts of {SubscribeBurst}).");
        }
        var member = UpdateFanout.MemberOf(context);
        var grant = leases.Grant(context.ConnectionId);
        var rejected = new List<TopicRejection>();
        var joined = new List<Topic>();
        var adding = 0;
        foreach (var text in request.Topics.Distinct(StringComparer.Ordinal))
        {
            if (!Topic.TryParse(text, out var topic, out var error))
            {
                rejected.Add(new TopicRejection { Topic = Ids.Describe(text), Reason = error });
                continue;
            }
            if (grant is not null && !grant.Allows(topic.Name))
            {
                rejected.Add(new TopicRejection { Topic = text, Reason = "not in the topics of this connection's embed token" });
                continue;
            }
            if (!member.Holds(topic.Name))
            {
                if (member.TopicCount + adding >= max)
                {
                    rejected.Add(new TopicRejection { Topic = text, Reason = $"topic limit reached: a connection may hold at most {max} topics" });
                    continue;
                }
                adding++;
            }
            joined.Add(topic);
        }
        var positions = new Dictionary<string, StreamPosition>(StringComparer.Ordinal);
        foreach (var (matchId, position) in request.Positions ?? new Dictionary<string, StreamPosition>())
        {
            if (!StandingsDocument.IsValidStreamId(matchId) || position is null || position.Seq < 0)
            {
                rejected.Add(new TopicRejection { Topic = Ids.Describe(matchId), Reason = $"invalid position: match ids match {Ids.Pattern} (standings: \"standings:{{competitionId}}\") and seq is >= 0" });
                continue;
            }
            positions[matchId] = position;
        }

        // 1. Join first.
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in joined)
        {
            if (fanout.Join(member, topic.Name))
            {
                added.Add(topic.Name);
                metrics.Subscribed(topic.Kind, 1);
            }
        }

        // 2. Then read what the topics cover, each match with its state and missed updates read atomically.
        var covered = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<Topic>();
        foreach (var topic in joined)
        {
            IReadOnlyList<string> ids = topic.Kind switch
            {
                TopicKind.Live => await store.LiveMatchIdsAsync().ConfigureAwait(false),
                TopicKind.Competition => await store.CompetitionMatchIdsAsync(topic.Id!).ConfigureAwait(false),
                // The competition's standings document, whose id is the topic's name.
                TopicKind.Standings => [topic.Name],
                _ => [topic.Id!],
            };
            if (ids.Count == 0 && topic.Kind == TopicKind.Competition)
            {
                unknown.Add(topic);
            }
            covered.AddRange(ids.Where(seen.Add));
        }
        if (joined.Contains(Topic.Live))
        {
            // A match the client followed on "live" may have ended while it was away and left the live index:
            // its positions are covered too, so the client still gets that final update.
            covered.AddRange(positions.Keys.Where(seen.Add));
        }
        // A position this hub still holds the updates after (the usual case when many clients resume at once) is
        // answered from memory; the others, and matches without a position, are read from Redis.
        var recovered = new List<MatchUpdate>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        var toRead = new List<(string, StreamPosition?)>();
        foreach (var id in covered)
        {
            var position = positions.GetValueOrDefault(id);
            if (position is not null && fanout.TryRecover(id, position, out var missed))
            {
                found.Add(id);
                if (missed.Count > 0)
                {
                    recovered.AddRange(missed);
                    metrics.Recovered(missed.Count);
                }
            }
            else
            {
                toRead.Add((id, position));
            }
        }
        // Redis's share of the recovery budget: each position read there may recover this many updates, else snapshot.
        var withPosition = toRead.Count(r => r.Item2 is not null);
        var share = Math.Clamp(options.Value.MaxRecoveredPerSubscribe / Math.Max(1, withPosition), 1, MaxRecoveryPerMatch);
        var reads = await store.ReadManyAsync(toRead, share).ConfigureAwait(false);
        await fanout.KnowAsync(reads.Select(r => r.State)).ConfigureAwait(false);
        found.UnionWith(reads.Select(r => r.State.MatchId));
        unknown.AddRange(joined.Where(t => t.Kind is TopicKind.Match or TopicKind.Standings && !found.Contains(t.Kind == TopicKind.Match ? t.Id! : t.Name)));

        var matches = new List<MatchState>();
        foreach (var read in reads)
        {
            switch (read.Mode)
            {
                case ReadMode.Recover:
                    recovered.AddRange(read.Missed);
                    metrics.Recovered(read.Missed.Count);
                    break;
                case ReadMode.Snapshot:
                    matches.Add(read.State);
                    metrics.Snapshot(fallback: positions.ContainsKey(read.State.MatchId));
                    break;
            }
        }
        // An unknown topic joined by this request is refused. One the connection held already stays held: its match was
        // known when it joined, and Redis may have lost it for now (restarted without its data); when it is written again
        // its updates, with a new epoch, must reach this connection.
        foreach (var topic in unknown.Where(t => added.Contains(t.Name)))
        {
            rejected.Add(new TopicRejection { Topic = topic.Name, Reason = topic.Kind switch
            {
                TopicKind.Match => "unknown match",
                TopicKind.Standings => "no standings for this competition",
                _ => "unknown competition",
            } });
            Leave(member, topic);
        }
        if (rejected.Count > 0)
        {
            metrics.Rejected(rejected.Count);
            HubLog.TopicsRejected(logger, context.ConnectionId, rejected.Count, rejected[0].Topic, rejected[0].Reason);
        }
        return new SubscribeResult { Matches = matches, Recovered = recovered, Rejected = rejected };
    }

    public Task UnsubscribeAsync(HubCallerContext context, string[]? topics)
    {
        if (topics is null)
        {
            throw new HubException("Unsubscribe expects an array of topics.");
        }
        var parsed = new List<Topic>(topics.Length);
        foreach (var text in topics)
        {
            if (!Topic.TryParse(text, out var topic, out var error))
            {
                throw new HubException($"Cannot unsubscribe from '{Ids.Describe(text)}': {error}. Nothing was unsubscribed.");
            }
            parsed.Add(topic);
        }
        var member = UpdateFanout.MemberOf(context);
        foreach (var topic in parsed)
        {
            Leave(member, topic);
        }
        return Task.CompletedTask;
    }

    /// <summary>After a disconnect: the connection leaves every topic it held, and a Subscribe still running for it joins none.</summary>
    public void Forget(HubCallerContext context)
    {
        if (context.Items.ContainsKey(UpdateFanout.MemberKey))
        {
            foreach (var name in fanout.Remove(UpdateFanout.MemberOf(context)))
            {
                metrics.Subscribed(Topic.TryParse(name, out var topic, out _) ? topic.Kind : TopicKind.Match, -1);
            }
        }
    }

    public void Dispose() => _subscribes.Dispose();

    private void Leave(FanoutMember member, Topic topic)
    {
        if (fanout.Leave(member, topic.Name))
        {
            metrics.Subscribed(topic.Kind, -1);
        }
    }
}
