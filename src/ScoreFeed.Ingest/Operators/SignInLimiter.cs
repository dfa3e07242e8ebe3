using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ScoreFeed.Ingest.Operators;

/// <summary>
/// Counts failed sign-ins in fixed windows (System.Threading.RateLimiting, the limiters behind ASP.NET Core's rate
/// limiting) so that guessing is slow and costs no hashing, without locking the operator out:
/// <list type="bullet">
/// <item>per user name and client address (<see cref="OperatorOptions.FailuresPerUser"/>) and per client address
/// (<see cref="OperatorOptions.FailuresPerAddress"/>): once spent, that address is refused (429) before the password
/// is checked; the operator at another address is not;</item>
/// <item>per user name from every address (<see cref="OperatorOptions.FailuresPerUserEverywhere"/>): once spent,
/// every sign-in for that name waits <see cref="OperatorOptions.SlowSignInDelay"/> first (a distributed guesser is
/// slowed, the operator still gets in).</item>
/// </list>
/// Names with and without an account are counted alike, so the answers (401, 429, the delay) tell nothing about
/// which names exist. A partition holds a few dozen bytes and is dropped once its window has passed; an address can
/// open at most <see cref="OperatorOptions.FailuresPerAddress"/> of them per window.
/// </summary>
internal sealed class SignInLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _byUserAndAddress;
    private readonly PartitionedRateLimiter<string> _byAddress;
    private readonly PartitionedRateLimiter<string> _byUser;
    private readonly TimeSpan _window;
    private readonly TimeSpan _slowDelay;

    public SignInLimiter(IOptions<OperatorOptions> options)
    {
        var o = options.Value;
        _window = o.FailureWindow;
        _slowDelay = o.SlowSignInDelay;
        _byUserAndAddress = Create(o.FailuresPerUser, o.FailureWindow);
        _byAddress = Create(o.FailuresPerAddress, o.FailureWindow);
        _byUser = Create(o.FailuresPerUserEverywhere, o.FailureWindow);
    }

    /// <summary>How long until this name may be tried again from this address; null if it may now.</summary>
    public TimeSpan? RetryAfter(string username, string address)
    {
        foreach (var (limiter, key) in Refusing(username, address))
        {
            using var lease = limiter.AttemptAcquire(key, 0);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window;
            }
        }
        return null;
    }

    /// <summary>How long this sign-in waits before its password is checked: zero unless the name is under attack.</summary>
    public TimeSpan Delay(string username)
    {
        using var lease = _byUser.AttemptAcquire(Name(username), 0);
        return lease.IsAcquired ? TimeSpan.Zero : _slowDelay;
    }

    public void Failed(string username, string address)
    {
        foreach (var (limiter, key) in Refusing(username, address))
        {
            limiter.AttemptAcquire(key).Dispose();
        }
        _byUser.AttemptAcquire(Name(username)).Dispose();
    }

    public void Dispose()
    {
        _byUserAndAddress.Dispose();
        _byAddress.Dispose();
        _byUser.Dispose();
    }

    private (PartitionedRateLimiter<string>, string)[] Refusing(string username, string address) =>
        [(_byUserAndAddress, Name(username) + "\n" + address), (_byAddress, address)];

    private static string Name(string username) => username.ToLowerInvariant();

    private static PartitionedRateLimiter<string> Create(int failures, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = failures,
            Window = window,
            QueueLimit = 0,
        }));
}
