using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// This process's claim on one provider: renews the Redis lease while it holds it, tries to take it while another
/// process does, and gives it up on shutdown so a standby takes over at once. A process that cannot renew stops
/// polling before Redis lets the lease lapse (the claim is trusted only until a margin before the TTL runs out).
/// </summary>
internal sealed class ProviderLease(
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
                        IngestLog.LeaseTaken(logger, provider, _holder);
                    }
                    else if (!held && wasHeld)
                    {
                        IngestLog.LeaseLost(logger, provider);
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    IngestLog.LeaseRenewFailed(logger, e, provider);
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
                    IngestLog.LeaseRenewFailed(logger, e, provider);
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
}
