namespace ScoreFeed.Web;

/// <summary>
/// Every line the web app logs, with its event id and name. Ids (all apps' ranges in docs/configuration.md, "Logs"):
/// 700–799 the read API (700) and the warm-up (710–711).
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
}
