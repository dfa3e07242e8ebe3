namespace ScoreFeed.Hub;

/// <summary>
/// Every log line the hub writes, with its event id and name (ranges in docs/operations.md): 100–199 subscriptions and
/// the fan-out, 600–699 access, presence, protection and the transport.
/// </summary>
internal static partial class HubLog
{
    [LoggerMessage(EventId = 610, EventName = "SlowConsumer", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} disconnected as a slow consumer ({Reason}): {PendingBytes} bytes waiting, socket stalled for {StalledSeconds:F1} s")]
    public static partial void SlowConsumer(ILogger logger, string connectionId, string reason, long pendingBytes, double stalledSeconds);
}
