using Microsoft.Extensions.Options;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Web.Push;

/// <summary>
/// This web process's claim on sending alerts (<see cref="RedisKeys.PushSenderLease"/>), as ingest's provider lease:
/// renewed while held, tried while another process holds it, given up on shutdown so a standby takes over at once; the
/// claim is trusted only until a margin before its TTL runs out. Two holders for a moment (a paused process) cost
/// nothing: each alert is claimed once in Redis (<see cref="RedisKeys.PushSent"/>) before it is sent.
/// </summary>
internal sealed class PushLease(RedisLease lease, RedisKeys keys, IOptions<PushOptions> options, TimeProvider time, ILogger<PushLease> logger)
{
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private long _heldUntilMs;

    public bool IsHeld => time.GetUtcNow().ToUnixTimeMilliseconds() < Interlocked.Read(ref _heldUntilMs);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var ttl = options.Value.LeaseTtl;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var asked = time.GetUtcNow().ToUnixTimeMilliseconds();
                var wasHeld = IsHeld;
                try
                {
                    var held = await lease.AcquireOrRenewAsync(keys.PushSenderLease, Holder, ttl).ConfigureAwait(false);
                    Interlocked.Exchange(ref _heldUntilMs, held ? asked + (long)(ttl.TotalMilliseconds * 0.8) : 0);
                    if (held && !wasHeld)
                    {
                        WebLog.PushLeaseTaken(logger, Holder);
                    }
                    else if (!held && wasHeld)
                    {
                        WebLog.PushLeaseLost(logger);
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    WebLog.PushLeaseRenewFailed(logger, e);
                }
                await Task.Delay(options.Value.LeaseRenewInterval, time, stoppingToken).ConfigureAwait(false);
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
                try
                {
                    await lease.ReleaseAsync(keys.PushSenderLease, Holder).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    WebLog.PushLeaseRenewFailed(logger, e);
                }
            }
        }
    }
}
