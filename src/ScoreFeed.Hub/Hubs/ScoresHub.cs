using Microsoft.AspNetCore.SignalR;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Access;
using ScoreFeed.Hub.Fanout;

namespace ScoreFeed.Hub.Hubs;

/// <summary>
/// The hub at <c>/hubs/scores</c>: Subscribe and Unsubscribe; updates reach connections through <see cref="UpdateFanout"/>.
/// </summary>
internal sealed class ScoresHub(SubscriptionManager subscriptions, TokenLeases leases, HubMetrics metrics) : Microsoft.AspNetCore.SignalR.Hub
{
    public const string Path = "/hubs/scores";

    public Task<SubscribeResult> Subscribe(SubscribeRequest request) =>
        subscriptions.SubscribeAsync(Context, request);

    public Task Unsubscribe(string[] topics) =>
        subscriptions.UnsubscribeAsync(Context, topics);

    /// <summary>A fresh embed token for a connection opened with one; answers its expiry (ms since the epoch).</summary>
    public Task<long> Renew(string token) =>
        leases.RenewAsync(Context, token);

    public override Task OnConnectedAsync()
    {
        metrics.ConnectionOpened();
        subscriptions.Connected(Context);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.ConnectionClosed();
        subscriptions.Forget(Context);
        return Task.CompletedTask;
    }
}
