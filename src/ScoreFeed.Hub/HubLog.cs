namespace ScoreFeed.Hub;

/// <summary>
/// Every line the hub logs, with its event id and name. Ids (all apps' ranges in docs/configuration.md, "Logs"):
/// 100–199 subscriptions and the fan-out; 600–699 admission, access, presence, the slow-consumer guard and the
/// transport.
/// </summary>
internal static partial class HubLog
{
    // Subscriptions (Hubs/).

    [LoggerMessage(EventId = 100, EventName = "TopicsRejected", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId}: {Count} topic(s) rejected, first '{Topic}': {Reason}")]
    public static partial void TopicsRejected(ILogger logger, string connectionId, int count, string topic, string reason);

    // The fan-out (Fanout/).

    [LoggerMessage(EventId = 120, EventName = "BadEnvelope", Level = LogLevel.Warning, Message = "Update message ignored: {Error}")]
    public static partial void BadEnvelope(ILogger logger, string error);

    [LoggerMessage(EventId = 121, EventName = "GapFilled", Level = LogLevel.Information,
        Message = "Sent {Count} update(s) of {MatchId} that pub/sub skipped, read from its history")]
    public static partial void GapFilled(ILogger logger, int count, string matchId);

    [LoggerMessage(EventId = 122, EventName = "GapFillFailed", Level = LogLevel.Warning,
        Message = "Could not read the updates {MatchId} skipped; sending on, clients recover them")]
    public static partial void GapFillFailed(ILogger logger, Exception exception, string matchId);

    [LoggerMessage(EventId = 123, EventName = "SubscriptionBack", Level = LogLevel.Information,
        Message = "Update subscription back after a Redis outage: checking followed matches")]
    public static partial void SubscriptionBack(ILogger logger);

    [LoggerMessage(EventId = 124, EventName = "Reconciled", Level = LogLevel.Information,
        Message = "Check against Redis ({Why}): sent {Count} update(s) pub/sub had not brought")]
    public static partial void Reconciled(ILogger logger, string why, int count);

    [LoggerMessage(EventId = 125, EventName = "ReconcileFailed", Level = LogLevel.Warning,
        Message = "Check against Redis ({Why}) failed; next interval retries")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, string why);

    [LoggerMessage(EventId = 126, EventName = "SinkWriteFailed", Level = LogLevel.Debug, Message = "Write to connection {ConnectionId} failed (closing)")]
    public static partial void SinkWriteFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 127, EventName = "DeliveryFailed", Level = LogLevel.Error, Message = "An update could not be delivered; the next ones go on")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 128, EventName = "UnsubscribeFailed", Level = LogLevel.Information,
        Message = "Could not unsubscribe from updates on stop ({Reason}); the connection closes anyway")]
    public static partial void UnsubscribeFailed(ILogger logger, string reason);

    // Admission and the slow-consumer guard (Protection/).

    [LoggerMessage(EventId = 600, EventName = "ConnectionLimited", Level = LogLevel.Debug,
        Message = "New connection refused: over the per-{Partition} limit ({Key})")]
    public static partial void ConnectionLimited(ILogger logger, string partition, string key);

    [LoggerMessage(EventId = 610, EventName = "SlowConsumer", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} disconnected as a slow consumer ({Reason}): {PendingBytes} bytes waiting, socket stalled for {StalledSeconds:F1} s")]
    public static partial void SlowConsumer(ILogger logger, string connectionId, string reason, long pendingBytes, double stalledSeconds);

    // Partner access and presence (Access/, Presence/).

    [LoggerMessage(EventId = 620, EventName = "ConnectionRefused", Level = LogLevel.Information,
        Message = "Connection {ConnectionId} refused ({Code}): key '{Key}', origin '{Origin}'")]
    public static partial void ConnectionRefused(ILogger logger, string connectionId, string code, string key, string origin);

    [LoggerMessage(EventId = 628, EventName = "UsageFlushFailed", Level = LogLevel.Warning,
        Message = "Usage of partner '{Partner}' could not be written to Redis; these counts are in the metrics only")]
    public static partial void UsageFlushFailed(ILogger logger, Exception exception, string partner);

    [LoggerMessage(EventId = 629, EventName = "TokenExpired", Level = LogLevel.Information,
        Message = "Connection {ConnectionId} closed: its embed token for partner '{Partner}' expired and was not renewed")]
    public static partial void TokenExpired(ILogger logger, string connectionId, string partner);

    [LoggerMessage(EventId = 640, EventName = "PresenceExchangeFailed", Level = LogLevel.Warning,
        Message = "Presence exchange failed; keeping the other hubs' last known counts")]
    public static partial void PresenceExchangeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 641, EventName = "PresenceLeaveFailed", Level = LogLevel.Information,
        Message = "Could not remove this hub's presence on stop ({Reason}); it expires by itself")]
    public static partial void PresenceLeaveFailed(ILogger logger, string reason);

    // The transport (Transport/).

    [LoggerMessage(EventId = 630, EventName = "WebSocketCloseFailed", Level = LogLevel.Debug, Message = "WebSocket close did not complete")]
    public static partial void WebSocketCloseFailed(ILogger logger, Exception exception);
}
