using Microsoft.AspNetCore.SignalR;
using ScoreFeed.Contract;

namespace ScoreFeed.Realtime;

/// <summary>
/// The hub at <c>/hubs/scores</c>. It lives in the shared library because the SignalR Redis backplane
/// names its channels after the hub type: ingest publishes through <c>IHubContext&lt;ScoresHub&gt;</c>.
/// </summary>
public sealed class ScoresHub(SubscriptionManager subscriptions, HubMetrics metrics) : Hub
{
    public const string Path = "/hubs/scores";

    public Task<SubscribeResult> Subscribe(SubscribeRequest request) =>
        subscriptions.SubscribeAsync(Context, Groups, request);

    public Task Unsubscribe(string[] topics) =>
        subscriptions.UnsubscribeAsync(Context, Groups, topics);

    public override Task OnConnectedAsync()
    {
        metrics.ConnectionOpened();
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.ConnectionClosed();
        subscriptions.Forget(Context);
        return Task.CompletedTask;
    }
}
