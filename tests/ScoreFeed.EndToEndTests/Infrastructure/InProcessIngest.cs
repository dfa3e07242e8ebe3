using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScoreFeed.Contract;
using ScoreFeed.Ingest;
using ScoreFeed.Ingest.Publishing;
using ScoreFeed.Redis;
using ScoreFeed.Scoring;

namespace ScoreFeed.EndToEndTests.Infrastructure;

/// <summary>
/// Ingest's real publishing path (store, Lua step, one publish on the updates channel) hosted in the test,
/// simulator off, so a test decides exactly which updates are published.
/// </summary>
internal sealed class InProcessIngest : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessIngest(IHost host) => _host = host;

    public MatchUpdater Updater => _host.Services.GetRequiredService<MatchUpdater>();

    public MatchStore Store => _host.Services.GetRequiredService<MatchStore>();

    public RedisKeys Keys => _host.Services.GetRequiredService<RedisKeys>();

    public T Service<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<InProcessIngest> StartAsync(IDictionary<string, string> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        // In Production like the app processes, with what they get from TestDeployment.
        builder.Configuration.AddInMemoryCollection(TestDeployment.With("ScoreFeed.Ingest", settings).Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)));
        builder.Configuration.AddInMemoryCollection([new("Ingest:Simulator:Enabled", "false")]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddIngest();
        var host = builder.Build();
        await host.StartAsync().Within();
        return new InProcessIngest(host);
    }

    /// <summary>Creates a match (published, unless <paramref name="publish"/> is false: then only committed to Redis).</summary>
    public Task<MatchState> CreateMatchAsync(string matchId, string competitionId = "test-cup", string status = MatchStatus.Live, bool publish = true) =>
        CreateAsync(NewMatch(matchId, competitionId, status), publish);

    /// <summary>A live tennis match (best of <paramref name="bestOf"/>, home serving), published; returns its state.</summary>
    public Task<MatchState> CreateTennisMatchAsync(string matchId, int bestOf = 3) =>
        CreateAsync(NewMatch(matchId, "test-open", MatchStatus.Live) with { Sport = Sports.Tennis, Tennis = TennisScoring.Start(bestOf, TeamSides.Home) }, publish: true);

    /// <summary>A live basketball match at tip-off (0–0, first quarter), published; returns its state.</summary>
    public Task<MatchState> CreateBasketballMatchAsync(string matchId, string competitionId) =>
        CreateAsync(NewMatch(matchId, competitionId, MatchStatus.Live) with { Sport = Sports.Basketball }, publish: true);

    private async Task<MatchState> CreateAsync(MatchState state, bool publish)
    {
        var result = publish
            ? await Updater.UpdateAsync(state.MatchId, _ => new MatchChange { State = state }, CancellationToken.None).Within()
            : await Store.ApplyAsync(new MatchChange { State = state }).Within();
        return state with { Epoch = result!.Epoch, Seq = result.Seq };
    }

    private static MatchState NewMatch(string matchId, string competitionId, string status) => new()
    {
        MatchId = matchId,
        CompetitionId = competitionId,
        Sport = Sports.Football,
        Home = new TeamScore { Id = "t-home", Name = "Home Town", Score = 0 },
        Away = new TeamScore { Id = "t-away", Name = "Away City", Score = 0 },
        Status = status,
        Period = 1,
        Clock = new MatchClock { Running = true, Seconds = 0, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
        StartsAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Incidents = [],
    };

    /// <summary>Publishes one change of the match (its clock moves by a second); returns the new seq.</summary>
    public async Task<long> TickAsync(string matchId)
    {
        var result = await Updater.UpdateAsync(matchId, current => current is null ? null : new MatchChange
        {
            State = current with { Clock = current.Clock with { Seconds = current.Clock.Seconds + 1 } },
        }, CancellationToken.None).Within();
        return result?.Seq ?? throw new InvalidOperationException($"No match {matchId}.");
    }

    /// <summary>Publishes a goal (score and incident); returns the committed update.</summary>
    public async Task<MatchUpdate> GoalAsync(string matchId, string team, string player)
    {
        var result = await Updater.UpdateAsync(matchId, current =>
        {
            if (current is null)
            {
                return null;
            }
            var incident = new Incident
            {
                Id = "g" + Guid.NewGuid().ToString("N")[..6],
                Type = IncidentTypes.Goal,
                Period = current.Period,
                Seconds = current.Clock.Seconds,
                Team = team,
                Player = player,
            };
            var state = team == TeamSides.Home
                ? current with { Home = current.Home with { Score = current.Home.Score + 1 } }
                : current with { Away = current.Away with { Score = current.Away.Score + 1 } };
            return new MatchChange { State = state with { Incidents = [.. current.Incidents ?? [], incident] }, Incident = incident };
        }, CancellationToken.None).Within();
        return result?.Update ?? throw new InvalidOperationException($"No match {matchId}.");
    }

    /// <summary>
    /// Publishes the next point of a tennis match, won by <paramref name="winner"/>, as the feed (the clock moves on by
    /// the point's 40 s, so there is an update even when operators pinned the whole score); returns the committed update.
    /// </summary>
    public async Task<MatchUpdate> PointAsync(string matchId, string winner)
    {
        var result = await Updater.UpdateAsync(matchId, current =>
        {
            if (current?.Tennis is not { } tennis)
            {
                return null;
            }
            var (score, outcome) = TennisScoring.Point(tennis, winner);
            var sets = TennisScoring.SetsWon(score);
            return new MatchChange
            {
                State = current with
                {
                    Tennis = score,
                    Home = current.Home with { Score = sets.Home },
                    Away = current.Away with { Score = sets.Away },
                    Period = score.Sets.Count,
                    Status = outcome == TennisOutcome.Match ? MatchStatus.Final : current.Status,
                    Clock = current.Clock with { Seconds = current.Clock.Seconds + 40 },
                },
            };
        }, CancellationToken.None).Within();
        return result?.Update ?? throw new InvalidOperationException($"No tennis match {matchId}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().Within();
        _host.Dispose();
    }
}
