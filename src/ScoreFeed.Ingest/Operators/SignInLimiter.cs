using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ScoreFeed.Ingest.Operators;

/// <summary>
/// Counts failed sign-ins per user name and per client address in fixed windows (System.Threading.RateLimiting,
/// the limiters behind ASP.NET Core's rate limiting). Once either is spent, sign-ins are refused before the
/// password is even checked, so guessing stops and costs no hashing.
/// </summary>
internal sealed class SignInLimiter : IDisposable
{
    /// <summary>Failures for user names that have no account share one partition: guessing names grows no state.</summary>
    private const string UnknownUser = "?";

    private readonly PartitionedRateLimiter<string> _byUser;
    private readonly PartitionedRateLimiter<string> _byAddress;
    private readonly OperatorAccounts _accounts;
    private readonly TimeSpan _window;

    public SignInLimiter(IOptions<OperatorOptions> options, OperatorAccounts accounts)
    {
        var o = options.Value;
        _accounts = accounts;
        _window = o.FailureWindow;
        _byUser = Create(o.FailuresPerUser, o.FailureWindow);
        _byAddress = Create(o.FailuresPerAddress, o.FailureWindow);
    }

    /// <summary>How long until this user may try again from this address; null if they may now.</summary>
    public TimeSpan? RetryAfter(string username, string address)
    {
        foreach (var (limiter, key) in Partitions(username, address))
        {
            using var lease = limiter.AttemptAcquire(key, 0);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window;
            }
        }
        return null;
    }

    public void Failed(string username, string address)
    {
        foreach (var (limiter, key) in Partitions(username, address))
        {
            limiter.AttemptAcquire(key).Dispose();
        }
    }

    public void Dispose()
    {
        _byUser.Dispose();
        _byAddress.Dispose();
    }

    private (PartitionedRateLimiter<string>, string)[] Partitions(string username, string address) =>
        [(_byUser, _accounts.Exists(username) ? username.ToLowerInvariant() : UnknownUser), (_byAddress, address)];

    private static PartitionedRateLimiter<string> Create(int failures, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = failures,
            Window = window,
            QueueLimit = 0,
        }));
}
