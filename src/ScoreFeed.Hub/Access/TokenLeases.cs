using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using ScoreFeed.Partners;

namespace ScoreFeed.Hub.Access;

/// <summary>
/// The connections opened with a signed embed token and what it grants: the topics they may join, and until when
/// they may stay. The widget renews its token before it expires (the hub method <c>Renew</c>); a connection whose token
/// ran out is closed, once a second, so a leaked token stops working when it expires.
/// </summary>
internal sealed class TokenLeases(EmbedTokens tokens, AccessMetrics metrics, TimeProvider time, ILogger<TokenLeases> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    private sealed record Lease(HubCallerContext Context, Partner Partner, EmbedGrant Grant);

    public void Hold(HubCallerContext context, Partner partner, EmbedGrant grant) =>
        _leases[context.ConnectionId] = new Lease(context, partner, grant);

    public void Release(string connectionId) => _leases.TryRemove(connectionId, out _);

    /// <summary>The grant the connection holds, or null if it was opened without a token.</summary>
    public EmbedGrant? Grant(string connectionId) => _leases.TryGetValue(connectionId, out var lease) ? lease.Grant : null;

    /// <summary>A fresh token for the connection's partner replaces its grant; the new expiry, in ms since the epoch.</summary>
    public async Task<long> RenewAsync(HubCallerContext context, string? token)
    {
        if (!_leases.TryGetValue(context.ConnectionId, out var lease))
        {
            throw new HubException("Renew: this connection was not opened with an embed token.");
        }
        var (grant, error) = string.IsNullOrEmpty(token) ? (null, "no token") : await tokens.CheckAsync(lease.Partner, token).ConfigureAwait(false);
        if (grant is null)
        {
            metrics.TokenRefused("renew");
            throw new HubException($"Renew: the embed token was refused: {error}.");
        }
        _leases[context.ConnectionId] = lease with { Grant = grant };
        metrics.TokenAccepted("renewed");
        return grant.Expires.ToUnixTimeMilliseconds();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var now = time.GetUtcNow();
                foreach (var (id, lease) in _leases)
                {
                    if (lease.Grant.Expires + tokens.ClockSkew <= now && _leases.TryRemove(id, out _))
                    {
                        metrics.TokenExpired();
                        HubLog.TokenExpired(logger, id, lease.Partner.Key);
                        lease.Context.Abort();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
