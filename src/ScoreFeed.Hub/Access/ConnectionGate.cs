using Microsoft.AspNetCore.SignalR;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Hub.Presence;
using ScoreFeed.Hub.Transport;
using ScoreFeed.Hub.Usage;

namespace ScoreFeed.Hub.Access;

/// <summary>
/// Checks every new hub connection (<see cref="AccessPolicy"/>, then the partner's connection limit) and refuses it
/// with a reason the client shows: a <see cref="HubException"/> thrown from OnConnected reaches the client as the
/// error of the close message (<see cref="ConnectionRefusal"/>), and SignalR tells it not to reconnect.
/// </summary>
internal sealed class ConnectionGate(AccessPolicy policy, EmbedTokens tokens, TokenLeases leases, PresenceService presence, PartnerUsage usage,
    AccessMetrics metrics, ILogger<ConnectionGate> logger) : IHubFilter
{
    private static readonly object PartnerItem = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        string? key, origin, token;
        if (context.Context.Features.Get<IHubConnectRequestFeature>() is { } request)
        {
            (key, origin, token) = (request.Key, request.Origin, request.Token);
        }
        else
        {
            var http = context.Context.GetHttpContext();
            (key, origin, token) = (http?.Request.Query[HubRoute.KeyParameter].ToString(), http?.Request.Headers.Origin.ToString(),
                http is null ? null : HubRoute.TokenOf(http.Request.Query[HubRoute.TokenParameter], http.Request.Query[HubRoute.AccessTokenParameter]));
        }
        var withToken = !string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(token);
        var decision = policy.Decide(key, origin, withToken);
        if (decision.Refused)
        {
            Refuse(context, decision.RefusalCode!, decision.RefusalText!, key, origin);
        }
        EmbedGrant? grant = null;
        if (withToken && decision.Partner is { } issuer)
        {
            var (checkedGrant, error) = await tokens.CheckAsync(issuer, token!);
            if (checkedGrant is null)
            {
                Refuse(context, ConnectionRefusal.TokenInvalid, $"{AccessPolicy.NotEnabled} The embed token was refused: {error}.", key, origin);
            }
            grant = checkedGrant;
            metrics.TokenAccepted("connect");
        }
        if (decision.Partner is { } partner)
        {
            if (!presence.TryAdmit(partner))
            {
                Refuse(context, ConnectionRefusal.OverLimit,
                    "This widget is busy: too many people are watching on this site right now. Try again in a minute.", key, origin);
            }
            context.Context.Items[PartnerItem] = partner.Key;
            if (grant is not null)
            {
                leases.Hold(context.Context, partner, grant);
            }
        }
        try
        {
            await next(context);
        }
        catch
        {
            Release(context);
            throw;
        }
        if (decision.Partner is { } counted && usage.For(counted.Key) is { } meter)
        {
            meter.Opened();
            UpdateFanout.MemberOf(context.Context).Usage = meter;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        Release(context);
        await next(context, exception);
    }

    private void Release(HubLifetimeContext context)
    {
        leases.Release(context.Context.ConnectionId);
        if (context.Context.Items.Remove(PartnerItem, out var key) && key is string partnerKey)
        {
            presence.Release(partnerKey);
        }
    }

    private void Refuse(HubLifetimeContext context, string code, string text, string? key, string? origin)
    {
        metrics.Refused(code);
        usage.For(key)?.Refused(code);
        HubLog.ConnectionRefused(logger, context.Context.ConnectionId, code, Ids.Describe(key), Ids.Describe(origin));
        throw new HubException(ConnectionRefusal.Message(code, text));
    }
}

/// <summary>
/// What a hub connection's opening request said that the gate checks: the partner key (the <c>key</c> query parameter),
/// the embed token (<c>token</c>) and the <c>Origin</c> header. Set by the hub's own WebSocket transport, which may have read the request without
/// HTTP/1.1; on SignalR's transports the gate reads the request itself.
/// </summary>
internal interface IHubConnectRequestFeature
{
    string? Key { get; }

    string? Origin { get; }

    string? Token { get; }
}
