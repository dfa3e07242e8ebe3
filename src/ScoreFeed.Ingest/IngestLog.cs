namespace ScoreFeed.Ingest;

/// <summary>
/// Every line ingest logs, with its event id and name. Ids (all apps' ranges in docs/configuration.md, "Logs"):
/// 200–299 publishing and the rewind rule; 300–399 the simulator; 400–499 the feeds; 500–599 operator sign-in.
/// </summary>
internal static partial class IngestLog
{
    // Publishing (Publishing/MatchPublisher).

    [LoggerMessage(EventId = 200, EventName = "PublishWaiting", Level = LogLevel.Warning,
        Message = "Update {MatchId}#{Seq} is stored but could not be published now; it waits (in order) until Redis answers")]
    public static partial void PublishWaiting(ILogger logger, Exception exception, string matchId, long seq);

    [LoggerMessage(EventId = 201, EventName = "PublishCaughtUp", Level = LogLevel.Information, Message = "Published {Count} update(s) that waited for Redis")]
    public static partial void PublishCaughtUp(ILogger logger, int count);

    [LoggerMessage(EventId = 202, EventName = "PublishDropped", Level = LogLevel.Warning,
        Message = "Update {MatchId}#{Seq} dropped from the publish queue (full at {MaxPending}); clients recover it from history")]
    public static partial void PublishDropped(ILogger logger, string matchId, long seq, int maxPending);

    [LoggerMessage(EventId = 203, EventName = "StoppedWithUnpublished", Level = LogLevel.Warning,
        Message = "Stopping with {Count} update(s) not published; they are in Redis history, clients recover them")]
    public static partial void StoppedWithUnpublished(ILogger logger, int count);

    // Operators' corrections (Publishing/MatchUpdater).

    [LoggerMessage(EventId = 210, EventName = "Audited", Level = LogLevel.Information,
        Message = "Match {MatchId}#{Seq}: {Action} by {Operator} ({Reason}); set [{Fields}], pinned [{Pinned}], released [{Released}]")]
    public static partial void Audited(ILogger logger, string matchId, long seq, string action, string @operator, string reason,
        string fields, string pinned, string released);

    // The rewind rule (Publishing/StoreContinuity).

    [LoggerMessage(EventId = 220, EventName = "RedisReplaced", Level = LogLevel.Warning,
        Message = "Redis is another process than the one every match was checked on ({CheckedOn} → {RunId}): it restarted or failed over and may hold less than was published; moving every match written before to a new epoch")]
    public static partial void RedisReplaced(ILogger logger, string checkedOn, string runId);

    [LoggerMessage(EventId = 221, EventName = "RewindRuleChecked", Level = LogLevel.Information,
        Message = "Rewind rule on Redis {RunId}: {Matches} matches checked, {Reissued} re-issued in a new epoch, in {ElapsedMs:F0} ms (marked: {Marked})")]
    public static partial void RewindRuleChecked(ILogger logger, string runId, int matches, int reissued, double elapsedMs, bool marked);

    [LoggerMessage(EventId = 222, EventName = "RedisRunUnknown", Level = LogLevel.Debug, Message = "Could not check which Redis process this is: {Reason}")]
    public static partial void RedisRunUnknown(ILogger logger, string reason);

    [LoggerMessage(EventId = 223, EventName = "RewindRuleFirstCheck", Level = LogLevel.Information,
        Message = "First check of the rewind rule on Redis {RunId}: checking every match")]
    public static partial void RewindRuleFirstCheck(ILogger logger, string runId);

    // The simulator (Simulator/).

    [LoggerMessage(EventId = 300, EventName = "SimulatorDisabled", Level = LogLevel.Information, Message = "Simulator disabled (Ingest:Simulator:Enabled=false)")]
    public static partial void SimulatorDisabled(ILogger logger);

    [LoggerMessage(EventId = 301, EventName = "SimulatorStarted", Level = LogLevel.Information,
        Message = "Simulator playing {Matches} matches at {Rate} updates/s, time scale {TimeScale}, seed {Seed}")]
    public static partial void SimulatorStarted(ILogger logger, int matches, double rate, double timeScale, int seed);

    [LoggerMessage(EventId = 302, EventName = "SimulatorRedisUnavailable", Level = LogLevel.Warning, Message = "Redis unavailable while the simulator starts; retrying")]
    public static partial void SimulatorRedisUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 303, EventName = "SimulatorStepFailed", Level = LogLevel.Warning, Message = "Simulator step of {MatchId} failed")]
    public static partial void SimulatorStepFailed(ILogger logger, Exception exception, string matchId);

    [LoggerMessage(EventId = 304, EventName = "SimulatorNextMatch", Level = LogLevel.Information, Message = "Simulator slot {Slot} plays a new match {MatchId}")]
    public static partial void SimulatorNextMatch(ILogger logger, int slot, string matchId);

    // Provider leases (Feeds/ProviderLease).

    [LoggerMessage(EventId = 400, EventName = "LeaseTaken", Level = LogLevel.Information,
        Message = "Took the lease of {Provider} ({Holder}): this process polls it now")]
    public static partial void LeaseTaken(ILogger logger, string provider, string holder);

    [LoggerMessage(EventId = 401, EventName = "LeaseLost", Level = LogLevel.Warning, Message = "Lost the lease of {Provider}: another process polls it now")]
    public static partial void LeaseLost(ILogger logger, string provider);

    [LoggerMessage(EventId = 402, EventName = "LeaseRenewFailed", Level = LogLevel.Warning, Message = "Could not renew or release the lease of {Provider}")]
    public static partial void LeaseRenewFailed(ILogger logger, Exception exception, string provider);

    // Rejected payloads and items (Feeds/FeedIngestor), provider switches (Feeds/FeedArbiter).

    [LoggerMessage(EventId = 410, EventName = "FeedRejected", Level = LogLevel.Warning, Message = "{Provider} {Path}: rejected {VendorId}: {Reason}: {Detail}")]
    public static partial void FeedRejected(ILogger logger, string provider, string path, string vendorId, string reason, string detail);

    [LoggerMessage(EventId = 420, EventName = "FeedSwitched", Level = LogLevel.Warning, Message = "Match {MatchId} now follows {To} instead of {From}: {Why}")]
    public static partial void FeedSwitched(ILogger logger, string matchId, string from, string to, string why);

    // Polls (Feeds/ProviderPoller).

    [LoggerMessage(EventId = 430, EventName = "ProviderEnabled", Level = LogLevel.Information,
        Message = "Provider {Provider} enabled: {BaseUrl}, every {PollInterval} ({LivePollInterval} while in play), {KeyState} API key")]
    public static partial void ProviderEnabled(ILogger logger, string provider, Uri baseUrl, TimeSpan pollInterval, TimeSpan livePollInterval, string keyState);

    [LoggerMessage(EventId = 431, EventName = "PollFailed", Level = LogLevel.Warning,
        Message = "Provider {Provider}: poll failed ({Reason}), {Failures} in a row, circuit {Circuit}")]
    public static partial void PollFailed(ILogger logger, string provider, string reason, int failures, string circuit);

    [LoggerMessage(EventId = 432, EventName = "ProviderRecovered", Level = LogLevel.Information, Message = "Provider {Provider} recovered after {Failures} failed polls")]
    public static partial void ProviderRecovered(ILogger logger, string provider, int failures);

    [LoggerMessage(EventId = 433, EventName = "PollRedisFailed", Level = LogLevel.Warning,
        Message = "Provider {Provider}: Redis unavailable during a poll; retrying on the next")]
    public static partial void PollRedisFailed(ILogger logger, Exception exception, string provider);

    // Replay (Feeds/Replay/ReplayPlayer).

    [LoggerMessage(EventId = 440, EventName = "ReplayStarted", Level = LogLevel.Information, Message = "Replaying {Path}: {Count} responses at {Speed}× speed")]
    public static partial void ReplayStarted(ILogger logger, string path, int count, double speed);

    [LoggerMessage(EventId = 441, EventName = "ReplayFinished", Level = LogLevel.Information, Message = "Replay finished: {Count} responses played")]
    public static partial void ReplayFinished(ILogger logger, int count);

    [LoggerMessage(EventId = 442, EventName = "ReplayBadLine", Level = LogLevel.Warning, Message = "Replay {Path}: line {Line} is not a recording ({Error}); skipped")]
    public static partial void ReplayBadLine(ILogger logger, string path, int line, string error);

    [LoggerMessage(EventId = 443, EventName = "ReplayRedisFailed", Level = LogLevel.Warning, Message = "Replay: Redis unavailable; this response is skipped")]
    public static partial void ReplayRedisFailed(ILogger logger, Exception exception);

    // Operator sign-in (Apis/AuthApi).

    [LoggerMessage(EventId = 500, EventName = "SignedIn", Level = LogLevel.Information, Message = "Operator {User} signed in from {Address}")]
    public static partial void SignedIn(ILogger logger, string user, string address);

    [LoggerMessage(EventId = 501, EventName = "SignInFailed", Level = LogLevel.Warning, Message = "Failed sign-in for {User} from {Address}")]
    public static partial void SignInFailed(ILogger logger, string user, string address);

    [LoggerMessage(EventId = 502, EventName = "SignInRefused", Level = LogLevel.Warning, Message = "Sign-in for {User} from {Address} refused: too many failures")]
    public static partial void SignInRefused(ILogger logger, string user, string address);

    [LoggerMessage(EventId = 510, EventName = "StandingsFailed", Level = LogLevel.Warning, Message = "The table of competition {CompetitionId} could not be updated; it follows with the competition's next change")]
    public static partial void StandingsFailed(ILogger logger, Exception exception, string competitionId);

    [LoggerMessage(EventId = 511, EventName = "FeedTableFailed", Level = LogLevel.Warning,
        Message = "Provider {Provider}: the table of {CompetitionId} could not be fetched ({Failure}); the last one stays the base")]
    public static partial void FeedTableFailed(ILogger logger, string provider, string competitionId, string failure);

    [LoggerMessage(EventId = 512, EventName = "FeedTableRejected", Level = LogLevel.Warning,
        Message = "Provider {Provider}: the table of {CompetitionId} was refused ({Error}); the last one stays the base")]
    public static partial void FeedTableRejected(ILogger logger, string provider, string competitionId, string error);
}
