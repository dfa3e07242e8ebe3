using System.Diagnostics;
using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Ingest.Publishing;
using ScoreFeed.Redis;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// A system to break: a real redis-server (optionally with an append-only file in a temp directory), hub processes
/// on free 127.0.0.1 ports, and ingest's real publishing path in the test (<see cref="Feed"/>) playing a set of
/// matches at a steady rate that survives Redis failures the way a feed does: a change that could not be applied is
/// derived again at the next step.
/// </summary>
internal sealed class ChaosSystem : IAsyncDisposable
{
    public const int HistoryLength = 5000;

    private readonly List<AppProcess> _apps = [];
    private string? _dataDirectory;

    private ChaosSystem(RedisServer redis) => Redis = redis;

    public RedisServer Redis { get; }

    public List<AppProcess> Hubs { get; } = [];

    public InProcessIngest Feed { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Settings every app gets; a test adds its own.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["ConnectionStrings:redis"] = Redis.ConnectionString + ",connectRetry=10,connectTimeout=2000",
        ["Store:HistoryLength"] = HistoryLength.ToString(CultureInfo.InvariantCulture),
        // Every fan of a test connects from 127.0.0.1.
        ["Hub:ConnectionLimits:PerAddress"] = "0",
    };

    /// <param name="appendOnly">Redis keeps an append-only file (fsync every second), as production runs.</param>
    /// <param name="snapshots">Redis takes snapshots when asked (<see cref="RedisServer.SnapshotAsync"/>), to come back older.</param>
    public static async Task<ChaosSystem> StartAsync(int hubs, bool appendOnly = false, Dictionary<string, string>? hubSettings = null, bool snapshots = false)
    {
        string? directory = appendOnly || snapshots ? Directory.CreateTempSubdirectory("scorefeed-chaos-redis-").FullName : null;
        var redis = await RedisServer.StartAsync(directory is null ? [] : appendOnly ? RedisServer.WithAppendOnlyFile(directory) : RedisServer.WithSnapshots(directory));
        var system = new ChaosSystem(redis) { _dataDirectory = directory };
        var settings = system.Settings;
        foreach (var (key, value) in hubSettings ?? [])
        {
            settings[key] = value;
        }
        var started = await Task.WhenAll(Enumerable.Range(0, hubs).Select(_ => AppProcess.StartAsync("ScoreFeed.Hub", settings)));
        system.Hubs.AddRange(started);
        system._apps.AddRange(started);
        system.Feed = await InProcessIngest.StartAsync(system.Settings);
        return system;
    }

    public void Track(AppProcess app) => _apps.Add(app);

    public IReadOnlyList<Uri> HubUrls => [.. Hubs.Select(h => h.HubUrl)];

    /// <summary>Creates live matches <c>{prefix}{i}</c>, the first half in competition <c>{prefix}a</c>, the rest in <c>{prefix}b</c>.</summary>
    public async Task<string[]> CreateMatchesAsync(string prefix, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToArray();
        for (var i = 0; i < count; i++)
        {
            await Feed.CreateMatchAsync(ids[i], CompetitionOf(prefix, i, count));
        }
        return ids;
    }

    public static string CompetitionOf(string prefix, int index, int count) => index < (count + 1) / 2 ? prefix + "a" : prefix + "b";

    /// <summary>
    /// Plays the matches round robin at <paramref name="perSecond"/> until stopped, like a feed: each step derives the
    /// match's next state from what Redis holds (re-creating a match Redis lost); a step that fails (Redis down) is
    /// counted and the next one derives again.
    /// </summary>
    public Player Play(string[] matchIds, double perSecond, Func<string, string> competitionOf) => new(this, matchIds, perSecond, competitionOf);

    /// <summary>Every match's epoch and seq as Redis holds them now.</summary>
    public async Task<Dictionary<string, (string Epoch, long Seq)>> PositionsAsync(IEnumerable<string> matchIds)
    {
        var states = await Feed.Store.GetManyAsync(matchIds);
        return states.ToDictionary(s => s.MatchId, s => (s.Epoch, s.Seq), StringComparer.Ordinal);
    }

    public async Task<string> MetricsAsync(AppProcess app) => await Http.GetStringAsync(new Uri(app.BaseAddress, "/metrics"));

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
        await Redis.DisposeAsync();
        Http.Dispose();
        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    internal sealed class Player : IAsyncDisposable
    {
        private readonly ChaosSystem _system;
        private readonly string[] _matchIds;
        private readonly Func<string, string> _competitionOf;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly Dictionary<string, (string Epoch, long Seq)> _applied = new(StringComparer.Ordinal);

        public Player(ChaosSystem system, string[] matchIds, double perSecond, Func<string, string> competitionOf)
        {
            (_system, _matchIds, _competitionOf) = (system, matchIds, competitionOf);
            _loop = Task.Run(() => LoopAsync(perSecond));
        }

        public long Applied;
        public long Failed;

        /// <summary>The last applied epoch and seq of each match, as ingest saw them committed.</summary>
        public Dictionary<string, (string Epoch, long Seq)> LastApplied()
        {
            lock (_applied)
            {
                return new(_applied, StringComparer.Ordinal);
            }
        }

        private async Task LoopAsync(double perSecond)
        {
            var watch = Stopwatch.StartNew();
            long issued = 0;
            while (!_stop.IsCancellationRequested)
            {
                var id = _matchIds[issued % _matchIds.Length];
                issued++;
                try
                {
                    var result = await _system.Feed.Updater.UpdateAsync(id, current => current is null
                        ? new MatchChange { State = NewMatch(id) }
                        : new MatchChange { State = current with { Clock = current.Clock with { Seconds = current.Clock.Seconds + 1 } } },
                        _stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
                    if (result?.Outcome == ApplyOutcome.Applied)
                    {
                        Interlocked.Increment(ref Applied);
                        lock (_applied)
                        {
                            _applied[id] = (result.Epoch, result.Seq);
                        }
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
                {
                    Interlocked.Increment(ref Failed);
                }
                var ahead = TimeSpan.FromSeconds(issued / perSecond) - watch.Elapsed;
                if (ahead > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(ahead, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }

        private MatchState NewMatch(string id) => new()
        {
            MatchId = id,
            CompetitionId = _competitionOf(id),
            Sport = Sports.Football,
            Home = new TeamScore { Id = "t-home", Name = "Home Town", Score = 0 },
            Away = new TeamScore { Id = "t-away", Name = "Away City", Score = 0 },
            Status = MatchStatus.Live,
            Period = 1,
            Clock = new MatchClock { Running = true, Seconds = 0, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            StartsAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Incidents = [],
        };

        /// <summary>Stops playing and waits for the step in flight.</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop.WaitAsync(TimeSpan.FromSeconds(40));
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }
            _stop.Dispose();
        }
    }
}

internal static class Topics
{
    /// <summary>The matches a fan's topics cover, for matches <paramref name="ids"/> in competitions <c>{prefix}a</c>/<c>{prefix}b</c>.</summary>
    public static IEnumerable<string> Covered(string[] topics, string[] ids, string prefix) => ids.Where((id, i) =>
        topics.Contains(Topic.LiveName)
        || topics.Contains("competition:" + ChaosSystem.CompetitionOf(prefix, i, ids.Length))
        || topics.Contains("match:" + id));

    /// <summary>A mix: live; one competition; the other competition plus a match; two single matches.</summary>
    public static string[] Mix(int fan, string[] ids, string prefix) => (fan % 4) switch
    {
        0 => [Topic.LiveName],
        1 => ["competition:" + prefix + "a"],
        2 => ["competition:" + prefix + "b", "match:" + ids[0]],
        _ => ["match:" + ids[1], "match:" + ids[^1]],
    };
}
