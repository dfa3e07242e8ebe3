using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// This process's claim on one provider: renews the Redis lease while it holds it, tries to take it while another
/// process does, and gives it up on shutdown so a standby takes over at once. A process that cannot renew stops
/// polling before Redis lets the lease lapse (the claim is trusted only until a margin before the TTL runs out).
/// </summary>
internal sealed partial class ProviderLease(
    RedisLease lease,
    RedisKeys keys,
    string provider,
    FeedsOptions options,
    ProviderHealth health,
    IngestMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private long _heldUntilMs;

    public bool IsHeld => time.GetUtcNow().ToUnixTimeMilliseconds() < Interlocked.Read(ref _heldUntilMs);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var key = keys.ProviderLease(provider);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var asked = time.GetUtcNow().ToUnixTimeMilliseconds();
                var wasHeld = IsHeld;
                try
                {
                    var held = await lease.AcquireOrRenewAsync(key, _holder, options.LeaseTtl).ConfigureAwait(false);
                    Interlocked.Exchange(ref _heldUntilMs, held ? asked + (long)(options.LeaseTtl.TotalMilliseconds * 0.8) : 0);
                    if (held && !wasHeld)
                    {
                        metrics.LeaseAcquired(provider);
                        LogAcquired(logger, provider, _holder);
                    }
                    else if (!held && wasHeld)
                    {
                        LogLost(logger, provider);
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    LogRenewFailed(logger, e, provider);
                }
                health.SetHolding(IsHeld);
                await Task.Delay(options.LeaseRenewInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (IsHeld)
            {
                Interlocked.Exchange(ref _heldUntilMs, 0);
                health.SetHolding(false);
                try
                {
                    await lease.ReleaseAsync(key, _holder).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    LogRenewFailed(logger, e, provider);
                }
            }
        }
    }

    public async Task WaitUntilHeldAsync(CancellationToken cancellationToken)
    {
        while (!IsHeld)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Took the lease of {Provider} ({Holder}): this process polls it now")]
    private static partial void LogAcquired(ILogger logger, string provider, string holder);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Lost the lease of {Provider}: another process polls it now")]
    private static partial void LogLost(ILogger logger, string provider);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Could not renew or release the lease of {Provider}")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string provider);
}
