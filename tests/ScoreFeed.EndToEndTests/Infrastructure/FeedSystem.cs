using System.Net.Http.Json;
using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.EndToEndTests.Infrastructure;

/// <summary>
/// What the feed tests run against: a real redis-server, one hub process, a fake vendor on 127.0.0.1, and ingest
/// processes (simulator off) pointed at the vendor. Short intervals keep the tests quick; every wait is bounded.
/// </summary>
internal sealed class FeedSystem : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly List<AppProcess> _ingests = [];

    private FeedSystem(RedisServer redis, AppProcess hub, FakeVendor vendor)
    {
        Redis = redis;
        Hub = hub;
        Vendor = vendor;
    }

    public RedisServer Redis { get; }

    public AppProcess Hub { get; }

    public FakeVendor Vendor { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public Dictionary<string, string> Settings => new() { ["ConnectionStrings:redis"] = Redis.ConnectionString };

    public static async Task<FeedSystem> StartAsync()
    {
        var redis = await RedisServer.StartAsync();
        var vendor = FakeVendor.StartAsync();
        var hub = await AppProcess.StartAsync("ScoreFeed.Hub", new Dictionary<string, string> { ["ConnectionStrings:redis"] = redis.ConnectionString });
        return new FeedSystem(redis, hub, await vendor);
    }

    /// <summary>Settings of one provider pointed at the fake vendor, polling fast.</summary>
    public Dictionary<string, string> Provider(string name, Dictionary<string, string>? overrides = null)
    {
        var section = $"Ingest:Providers:{name}:";
        var settings = new Dictionary<string, string>
        {
            [section + "Enabled"] = "true",
            [section + "BaseUrl"] = Vendor.BaseUrl.ToString(),
            [section + "ApiKey"] = "test-key-" + name,
            [section + "PollInterval"] = "00:00:01",
            [section + "LivePollInterval"] = "00:00:00.200",
            [section + "Timeout"] = "00:00:01",
            [section + "MaxRetries"] = "1",
            [section + "RetryDelay"] = "00:00:00.050",
            [section + "MaxRetryAfter"] = "00:00:02",
            [section + "CircuitBreakAfter"] = "50",
            [section + "CircuitBreakDuration"] = "00:00:01",
            [section + "StaleAfter"] = "00:00:03",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[section + key] = value;
        }
        return settings;
    }

    public async Task<AppProcess> StartIngestAsync(params Dictionary<string, string>[] settings)
    {
        var all = new Dictionary<string, string>(Settings)
        {
            ["Ingest:Simulator:Enabled"] = "false",
            ["Ingest:Feeds:LeaseTtl"] = "00:00:02",
            ["Ingest:Feeds:LeaseRenewInterval"] = "00:00:00.400",
            ["Logging:LogLevel:ScoreFeed"] = "Information",
        };
        foreach (var (key, value) in settings.SelectMany(s => s))
        {
            all[key] = value;
        }
        var ingest = await AppProcess.StartAsync("ScoreFeed.Ingest", all);
        _ingests.Add(ingest);
        return ingest;
    }

    public async Task<MatchState?> MatchAsync(string matchId)
    {
        var response = await Http.GetAsync(new Uri(Hub.BaseAddress, $"/api/v1/matches/{matchId}"));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(ScoreFeedJsonContext.Default.MatchState) : null;
    }

    public Task UntilMatchAsync(string matchId, Func<MatchState, bool>? condition = null, string? what = null) =>
        Wait.UntilAsync(async () => await MatchAsync(matchId) is { } m && (condition?.Invoke(m) ?? true), Patience, what ?? $"{matchId} in the store");

    /// <summary>Waits until the vendor has answered <paramref name="polls"/> more requests (matching, if given).</summary>
    public Task UntilPolledAsync(int polls, Func<VendorRequest, bool>? match = null)
    {
        var since = DateTimeOffset.UtcNow;
        return Wait.UntilAsync(() => Vendor.CountSince(since, match) >= polls, Patience, $"{polls} more requests to the vendor");
    }

    public async Task<string> MetricsAsync(AppProcess app) => await Http.GetStringAsync(new Uri(app.BaseAddress, "/metrics"));

    /// <summary>The feed check of <paramref name="provider"/> on the app's /health/ready: its status and data.</summary>
    public async Task<(string Status, JsonElement Data)> FeedHealthAsync(AppProcess app, string provider)
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri(app.BaseAddress, "/health/ready")));
        var check = doc.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == $"feed:{provider}");
        return (check.GetProperty("status").GetString()!, check.GetProperty("data").Clone());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ingest in _ingests)
        {
            await ingest.DisposeAsync();
        }
        await Hub.DisposeAsync();
        await Vendor.DisposeAsync();
        await Redis.DisposeAsync();
        Http.Dispose();
    }
}
