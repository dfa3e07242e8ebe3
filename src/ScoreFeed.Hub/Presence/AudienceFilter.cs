using Microsoft.AspNetCore.SignalR;
using ScoreFeed.Contract;

namespace ScoreFeed.Hub.Presence;

/// <summary>
/// Keeps <see cref="AudienceTracker"/> in step with what each connection holds: after a Subscribe, the match topics
/// it joined (those not rejected); after an Unsubscribe, the ones it left; on disconnect, all. A connection that
/// joins a match gets its current audience at once, then changes from <see cref="PresenceService"/>.
/// Hub invocations of one connection run one at a time, so its own set needs no lock.
/// </summary>
internal sealed class AudienceFilter(AudienceTracker tracker, PresenceService presence) : IHubFilter
{
    private static readonly object MatchesItem = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var result = await next(context);
        switch (context.HubMethodName)
        {
            case "Subscribe" when result is SubscribeResult subscribed && context.HubMethodArguments is [SubscribeRequest { Topics: { } topics }]:
                var rejected = subscribed.Rejected.Select(r => r.Topic).ToHashSet(StringComparer.Ordinal);
                foreach (var matchId in MatchIds(topics.Where(t => !rejected.Contains(t))))
                {
                    Held(context.Context).Add(matchId);
                    tracker.Add(matchId, context.Context.ConnectionId);
                    await context.Hub.Clients.Caller.SendAsync(ClientMethods.Audience,
                        new AudienceMessage { MatchId = matchId, Watching = presence.Watching(matchId) }, context.Context.ConnectionAborted);
                }
                break;
            case "Unsubscribe" when context.HubMethodArguments is [string[] left]:
                foreach (var matchId in MatchIds(left))
                {
                    if (HeldIfAny(context.Context)?.Remove(matchId) == true)
                    {
                        tracker.Remove(matchId, context.Context.ConnectionId);
                    }
                }
                break;
        }
        return result;
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        foreach (var matchId in HeldIfAny(context.Context) ?? [])
        {
            tracker.Remove(matchId, context.Context.ConnectionId);
        }
        return next(context, exception);
    }

    private static IEnumerable<string> MatchIds(IEnumerable<string?> topics) =>
        topics.Select(t => Topic.TryParse(t, out var topic, out _) && topic.Kind == TopicKind.Match ? topic.Id : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);

    /// <summary>The matches the connection holds; made when it first joins one (most fans hold only <c>live</c>).</summary>
    private static HashSet<string> Held(HubCallerContext context)
    {
        if (HeldIfAny(context) is { } set)
        {
            return set;
        }
        set = new HashSet<string>(StringComparer.Ordinal);
        context.Items[MatchesItem] = set;
        return set;
    }

    private static HashSet<string>? HeldIfAny(HubCallerContext context) =>
        context.Items.TryGetValue(MatchesItem, out var value) ? value as HashSet<string> : null;
}
