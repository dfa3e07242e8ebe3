using System.Diagnostics.Metrics;
using ScoreFeed.Hub.Hubs;

namespace ScoreFeed.Hub.Access;

/// <summary>Connection checks and presence, on the hub's meter (<see cref="HubMetrics.MeterName"/>).</summary>
internal sealed class AccessMetrics
{
    private readonly Counter<long> _refused;
    private readonly Counter<long> _syncFailures;
    private readonly Counter<long> _tokens;

    public AccessMetrics(IMeterFactory meterFactory)
    {
        // The factory hands out the same Meter for the same name: these series sit beside HubMetrics' own.
        var meter = meterFactory.Create(HubMetrics.MeterName);
        _refused = meter.CreateCounter<long>("scorefeed.hub.connections.refused", description: "Connections refused: unknown partner key, origin not allowed, partner over its limit");
        _tokens = meter.CreateCounter<long>("scorefeed.hub.embed_tokens", description: "Embed tokens: accepted on connect, renewed, refused on renew, expired (the connection closed)");
        _syncFailures = meter.CreateCounter<long>("scorefeed.hub.presence.sync_failures", description: "Presence exchanges with Redis that failed (counts kept from the last good one)");
    }

    public void Refused(string code) => _refused.Add(1, new KeyValuePair<string, object?>("reason", code));

    public void SyncFailed() => _syncFailures.Add(1);

    public void TokenAccepted(string when) => _tokens.Add(1, new KeyValuePair<string, object?>("outcome", when));

    public void TokenRefused(string when) => _tokens.Add(1, new KeyValuePair<string, object?>("outcome", "refused-" + when));

    public void TokenExpired() => _tokens.Add(1, new KeyValuePair<string, object?>("outcome", "expired"));
}
