using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ScoreFeed.Redis;

/// <summary>
/// Re-reads every node's role when a node the connection writes to answers <c>READONLY</c>: the roles changed under
/// the connection (a Sentinel failover between nodes it already knows, such as a fail-back, or an old primary that came
/// back as a replica) and it has not noticed. StackExchange.Redis learns a role from its own probes and from Sentinel's
/// <c>+switch-master</c> message; a write refused by a replica is neither, so without this the writer can go on
/// writing to a replica (each write retried and refused) until something else makes it reconfigure.
/// At most one reconfiguration runs at a time, and at most one starts per <see cref="MinInterval"/>.
/// </summary>
internal sealed partial class ReplicaReplyWatch
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly Func<Task<bool>> _reconfigure;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _lastStart = long.MinValue;
    private int _running;

    public ReplicaReplyWatch(IConnectionMultiplexer redis, Func<Task<bool>> reconfigure, TimeProvider time, ILogger logger)
    {
        (_redis, _reconfigure, _time, _logger) = (redis, reconfigure, time, logger);
        redis.ErrorMessage += OnErrorMessage;
    }

    public static ReplicaReplyWatch Attach(ConnectionMultiplexer redis, TimeProvider time, ILogger logger) =>
        new(redis, () => redis.ConfigureAsync(), time, logger);

    private void OnErrorMessage(object? sender, RedisErrorEventArgs e)
    {
        if (e.Message.StartsWith("READONLY", StringComparison.Ordinal))
        {
            Refused(e.EndPoint);
        }
    }

    /// <summary>A write to <paramref name="endPoint"/> was refused as to a replica.</summary>
    public void Refused(System.Net.EndPoint endPoint)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastStart);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < MinInterval)
        {
            return;
        }
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }
        Interlocked.Exchange(ref _lastStart, now);
        LogReconfiguring(_logger, endPoint.ToString() ?? "?");
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            var ok = await _reconfigure().ConfigureAwait(false);
            LogReconfigured(_logger, ok, string.Join(", ", _redis.GetServers().Select(s =>
                $"{s.EndPoint} {(s.IsConnected ? s.IsReplica ? "replica" : "primary" : "unreachable")}")));
        }
        catch (Exception e)
        {
            // Not fatal: the writer's retries refuse again and the next refusal tries again.
            LogReconfigureFailed(_logger, e);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    [LoggerMessage(EventId = 910, EventName = "ReplicaRefusedWrite", Level = LogLevel.Warning,
        Message = "Redis {EndPoint} refused a write as a replica (READONLY): the roles changed; re-reading every node's role")]
    private static partial void LogReconfiguring(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 911, EventName = "RolesReread", Level = LogLevel.Information,
        Message = "Re-read the Redis nodes' roles after a READONLY reply (success: {Success}): {Nodes}")]
    private static partial void LogReconfigured(ILogger logger, bool success, string nodes);

    [LoggerMessage(EventId = 912, EventName = "RolesRereadFailed", Level = LogLevel.Warning,
        Message = "Could not re-read the Redis nodes' roles after a READONLY reply; the next refusal tries again")]
    private static partial void LogReconfigureFailed(ILogger logger, Exception exception);
}
