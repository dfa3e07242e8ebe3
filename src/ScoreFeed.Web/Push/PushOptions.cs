using System.ComponentModel.DataAnnotations;

namespace ScoreFeed.Web.Push;

/// <summary>Configuration section <c>Push</c>: goal alerts through Web Push (docs/push.md). Off unless <see cref="Enabled"/>.</summary>
internal sealed class PushOptions : IValidatableObject
{
    public const string Section = "Push";

    public const string EnabledKey = "Push:Enabled";
    public const string PublicKeyKey = "Push:PublicKey";
    public const string PrivateKeyKey = "Push:PrivateKey";
    public const string SubjectKey = "Push:Subject";
    public const string AllowHttpEndpointsKey = "Push:AllowHttpEndpoints";

    /// <summary>Serves the push API and runs the alert sender; needs <c>ConnectionStrings:redis</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>VAPID public key: the uncompressed P-256 point (65 bytes), base64url. <c>generate-vapid-keys</c> makes a pair.</summary>
    public string? PublicKey { get; set; }

    /// <summary>VAPID private key: the P-256 scalar (32 bytes), base64url. A secret.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Who runs the sender, for push services to reach: <c>mailto:ops@scores.example</c> or an https URL.</summary>
    public string? Subject { get; set; }

    /// <summary>A subscription expires this long after its last PUT.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SubscriptionLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Accepts http endpoints (tests with a local push service only); refused in Production.</summary>
    public bool AllowHttpEndpoints { get; set; }

    /// <summary>Pushes in flight at once, over all matches.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentPushes { get; set; } = 32;

    /// <summary>How long a push service keeps an alert for an offline device (the TTL header).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MessageTimeToLive { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of one push after 429, 5xx, a timeout or a network error.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay (then exponential with jitter), unless the push service sends Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest Retry-After honoured; longer ones give the push up (the alert would be stale).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One push request's timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The sender lease's TTL: another web process takes over this long after the holder stopped renewing.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the sender renews (or tries to take) the lease.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an alert's claim is kept (the dedupe window): an event seen again within it is not sent again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Subscription API calls per client address (IPv6: per /64) per minute.</summary>
    [Range(1, 10000)]
    public int RequestsPerMinute { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(PublicKey) && !VapidKeys.IsPublicKey(PublicKey))
        {
            yield return new ValidationResult("is not a VAPID public key: an uncompressed P-256 point (65 bytes, starting 0x04), base64url.", [nameof(PublicKey)]);
        }
        if (!string.IsNullOrEmpty(PrivateKey) && !VapidKeys.IsPrivateKey(PrivateKey))
        {
            yield return new ValidationResult("is not a VAPID private key: 32 bytes, base64url.", [nameof(PrivateKey)]);
        }
        if (!string.IsNullOrEmpty(Subject) && !VapidKeys.IsSubject(Subject))
        {
            yield return new ValidationResult($"'{Subject}' must be a mailto: address or an https URL.", [nameof(Subject)]);
        }
        if (!string.IsNullOrEmpty(PublicKey) && !string.IsNullOrEmpty(PrivateKey) && VapidKeys.IsPublicKey(PublicKey) && VapidKeys.IsPrivateKey(PrivateKey)
            && !VapidKeys.PairMatches(PublicKey, PrivateKey))
        {
            yield return new ValidationResult("does not belong to Push:PublicKey: configure the pair that generate-vapid-keys printed.", [nameof(PrivateKey)]);
        }
    }
}
