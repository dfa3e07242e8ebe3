using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// Configuration section <c>Ingest:Providers:{Name}</c> of an HTTP feed provider. <see cref="ApiKey"/> comes from
/// user secrets or the environment (<c>Ingest__Providers__FootballData__ApiKey</c>), never from a committed file.
/// </summary>
internal abstract class ProviderOptions : IValidatableObject
{
    public bool Enabled { get; set; }

    /// <summary>The API root as the vendor's documentation gives it; requests are made relative to it.</summary>
    public Uri? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Time between polls while none of the provider's matches is in play.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The default of <see cref="LivePollInterval"/>, or <see cref="PollInterval"/> when that is shorter.</summary>
    public static readonly TimeSpan DefaultLivePollInterval = TimeSpan.FromSeconds(10);

    private TimeSpan? _livePollInterval;

    /// <summary>
    /// Time between polls while any of the provider's matches is in play. Unset: 10 s, or <see cref="PollInterval"/>
    /// when that is shorter (setting only a short PollInterval must not stop start-up).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan LivePollInterval
    {
        get => _livePollInterval ?? (PollInterval < DefaultLivePollInterval ? PollInterval : DefaultLivePollInterval);
        set => _livePollInterval = value;
    }

    /// <summary>Longest wait for one HTTP attempt, headers and body (a slow-drip body fails here).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a failed request (5xx, 408, 429, timeout, connection error), with jittered backoff.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base delay of the retry backoff; a <c>Retry-After</c> on 429 or 503 replaces it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A longer <c>Retry-After</c> is not waited for inside a poll: the poll fails and the next one waits for it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Failed requests (attempts, retries included) that open the provider's circuit when no request succeeded in
    /// the breaker's window (three poll intervals, at least a second).
    /// </summary>
    [Range(1, 1000)]
    public int CircuitBreakAfter { get; set; } = 5;

    /// <summary>How long an open circuit fails polls fast before one probe is let through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest response body accepted; a larger one is dropped unread past this size.</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Which provider wins a match that several feed: the lowest priority among the healthy ones.</summary>
    [Range(0, 1000)]
    public int Priority { get; set; }

    /// <summary>Without a successful poll for this long the provider counts as unhealthy (another provider's changes apply).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The vendor's competitions whose table is polled as the base of the live table (docs/standings.md, "Feed tables"),
    /// as the vendor names them: football-data.org codes (<c>PL</c>), API-Football <c>{league}:{season}</c> (<c>39:2026</c>).
    /// Empty: tables are computed from the matches ScoreFeed holds.
    /// </summary>
    public List<string> Standings { get; set; } = [];

    /// <summary>Time between two fetches of one competition's table (vendors change it after full time).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan StandingsInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When set, every response is also written to a JSON-lines file in this directory (see <see cref="Replay.FeedRecorder"/>).</summary>
    public string? RecordTo { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && (BaseUrl is null || !BaseUrl.IsAbsoluteUri || BaseUrl.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("BaseUrl must be an absolute http(s) URL when the provider is enabled.", [nameof(BaseUrl)]);
        }
        foreach (var competition in Standings.Where(c => !IsStandingsCompetition(c)))
        {
            yield return new ValidationResult($"Standings: '{competition}' is not {StandingsCompetitionForm}.", [nameof(Standings)]);
        }
        if (LivePollInterval > PollInterval)
        {
            yield return new ValidationResult(
                $"LivePollInterval ({LivePollInterval}) must not be longer than PollInterval ({PollInterval}): shorten LivePollInterval, or leave it unset to follow PollInterval.",
                [nameof(LivePollInterval)]);
        }
    }

    /// <summary>How the vendor names a competition in <see cref="Standings"/>, for the validation message.</summary>
    protected abstract string StandingsCompetitionForm { get; }

    protected abstract bool IsStandingsCompetition(string competition);
}

internal sealed partial class FootballDataOptions : ProviderOptions
{
    public const string Section = "Ingest:Providers:FootballData";

    protected override string StandingsCompetitionForm => "a football-data.org competition code (letters and digits, e.g. PL)";

    protected override bool IsStandingsCompetition(string competition) => Code().IsMatch(competition);

    [GeneratedRegex("^[A-Za-z0-9]{1,16}$")]
    private static partial Regex Code();
}

internal sealed partial class ApiFootballOptions : ProviderOptions
{
    public const string Section = "Ingest:Providers:ApiFootball";

    protected override string StandingsCompetitionForm => "an API-Football league and season as {league}:{season} (e.g. 39:2026)";

    protected override bool IsStandingsCompetition(string competition) => LeagueSeason().IsMatch(competition);

    [GeneratedRegex("^[0-9]{1,9}:[0-9]{4}$")]
    private static partial Regex LeagueSeason();
}

/// <summary>Configuration section <c>Ingest:Providers:Replay</c>: plays a recording back through a provider's mapping.</summary>
internal sealed class ReplayOptions : IValidatableObject
{
    public const string Section = "Ingest:Providers:Replay";

    public bool Enabled { get; set; }

    /// <summary>A JSON-lines recording written with <c>RecordTo</c>.</summary>
    public string? Path { get; set; }

    /// <summary>Recorded seconds per wall second (1 = as recorded; 10 = ten times faster).</summary>
    [Range(0.01, 10_000)]
    public double Speed { get; set; } = 1;

    [Range(0, 1000)]
    public int Priority { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && (string.IsNullOrWhiteSpace(Path) || !File.Exists(Path)))
        {
            yield return new ValidationResult($"Path must name an existing recording when replay is enabled (got '{Path}').", [nameof(Path)]);
        }
    }
}

/// <summary>Configuration section <c>Ingest:Feeds</c>: what all providers share.</summary>
internal sealed class FeedsOptions : IValidatableObject
{
    public const string Section = "Ingest:Feeds";

    /// <summary>A provider's lease lapses this long after its holder stops renewing it (it died); another process then takes over.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:05:00")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the holder renews its leases, and a standby process tries to take them.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(1.5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseRenewInterval * 2 > LeaseTtl)
        {
            yield return new ValidationResult("LeaseRenewInterval must be at most half of LeaseTtl.", [nameof(LeaseRenewInterval)]);
        }
    }
}
