namespace ScoreFeed.Web;

/// <summary>
/// Every line the web app logs, with its event id and name. Ids (all apps' ranges in docs/configuration.md, "Logs"):
/// 700–799 the read API (700), the warm-up (710–711) and goal alerts through Web Push (720–739).
/// </summary>
internal static partial class WebLog
{
    // The hubs' read API (ReadApi/ReadApiClient).

    [LoggerMessage(EventId = 700, EventName = "ReadApiUnavailable", Level = LogLevel.Warning,
        Message = "Read API {Path} unavailable; the page renders without it and loads live")]
    public static partial void ReadApiUnavailable(ILogger logger, Exception exception, string path);

    // The warm-up before ready (WarmUp).

    [LoggerMessage(EventId = 710, EventName = "WarmedUp", Level = LogLevel.Information,
        Message = "Warmed up: the scoreboard rendered once ({Status}) in {ElapsedMs:F0} ms before answering ready")]
    public static partial void WarmedUp(ILogger logger, int status, double elapsedMs);

    [LoggerMessage(EventId = 711, EventName = "WarmUpSkipped", Level = LogLevel.Warning, Message = "Warm-up skipped ({Reason}); answering ready anyway")]
    public static partial void WarmUpSkipped(ILogger logger, string reason);

    // Goal alerts through Web Push (Push/).

    [LoggerMessage(EventId = 720, EventName = "PushLeaseTaken", Level = LogLevel.Information, Message = "Alert sender lease taken by {Holder}: this process sends goal alerts")]
    public static partial void PushLeaseTaken(ILogger logger, string holder);

    [LoggerMessage(EventId = 721, EventName = "PushLeaseLost", Level = LogLevel.Warning, Message = "Alert sender lease lost: another process sends goal alerts")]
    public static partial void PushLeaseLost(ILogger logger);

    [LoggerMessage(EventId = 722, EventName = "PushLeaseRenewFailed", Level = LogLevel.Warning, Message = "Alert sender lease could not be renewed")]
    public static partial void PushLeaseRenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 723, EventName = "PushFailed", Level = LogLevel.Warning,
        Message = "Push of a {Kind} alert for match {MatchId} to subscription {SubscriptionId} failed: {Reason}")]
    public static partial void PushFailed(ILogger logger, string kind, string matchId, string subscriptionId, string reason);

    [LoggerMessage(EventId = 724, EventName = "PushSubscriptionGone", Level = LogLevel.Information,
        Message = "Subscription {SubscriptionId} removed: its push service answered {Status}")]
    public static partial void PushSubscriptionGone(ILogger logger, string subscriptionId, int status);

    [LoggerMessage(EventId = 725, EventName = "AlertFailed", Level = LogLevel.Error, Message = "The {Kind} alert for match {MatchId} could not be sent")]
    public static partial void AlertFailed(ILogger logger, Exception exception, string kind, string matchId);

    [LoggerMessage(EventId = 726, EventName = "AlertBadEnvelope", Level = LogLevel.Warning, Message = "Alert sender dropped a message of the updates channel: {Error}")]
    public static partial void AlertBadEnvelope(ILogger logger, string error);

    [LoggerMessage(EventId = 727, EventName = "EphemeralVapidKeys", Level = LogLevel.Warning,
        Message = "Push:PublicKey, Push:PrivateKey and Push:Subject are not set: Development uses a key pair made at start, so subscriptions end with this process. Make a pair with generate-vapid-keys (docs/push.md).")]
    public static partial void EphemeralVapidKeys(ILogger logger);

    [LoggerMessage(EventId = 728, EventName = "AlertSent", Level = LogLevel.Debug, Message = "{Kind} alert for match {MatchId} ({Epoch}, {Seq}) pushed to {Count} subscriptions")]
    public static partial void AlertSent(ILogger logger, string kind, string matchId, string epoch, long seq, int count);

    [LoggerMessage(EventId = 729, EventName = "AlertSubscribeFailed", Level = LogLevel.Warning, Message = "Alert sender could not subscribe to the updates channel yet; retrying")]
    public static partial void AlertSubscribeFailed(ILogger logger, Exception exception);
}
