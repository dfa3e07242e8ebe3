using System.Security.Cryptography;
using Microsoft.Playwright;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Redis;

namespace ScoreFeed.BrowserTests.Infrastructure;

/// <summary>
/// Everything a fan's browser talks to, on 127.0.0.1: a real redis-server, two hub processes, an ingest process
/// running the simulator, ingest's publishing path in-process for exact goals, the web app (its site on one port,
/// the demo partner page on another, i.e. another origin), and headless Chromium driven by Playwright. The web app
/// reaches hub A through a <see cref="TcpProxy"/>, so a test can cut the browser's connection and restore it.
/// </summary>
public sealed class BrowserCluster : IAsyncLifetime
{
    public const string PartnerKey = "demo";
    public const string PartnerCompetition = "partner-cup";
    public const string OperatorPassword = "console test password";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly List<string> _created = [];
    private IPlaywright _playwright = null!;

    internal RedisServer Redis { get; private set; } = null!;
    internal AppProcess HubA { get; private set; } = null!;
    internal AppProcess HubB { get; private set; } = null!;
    internal AppProcess Ingest { get; private set; } = null!;
    internal AppProcess Web { get; private set; } = null!;
    internal TcpProxy Proxy { get; private set; } = null!;
    internal InProcessIngest Publisher { get; private set; } = null!;
    internal IBrowser Browser { get; private set; } = null!;

    /// <summary>A partner that requires signed embed tokens, with two secrets (a rotation under way).</summary>
    public const string SignedKey = "signed";

    public const string SignedApiSecret = "signed-partner-api-secret-0123456789ab";

    public static readonly string[] SignedSecrets = ["signed-partner-new-secret-0123456789ab", "signed-partner-old-secret-0123456789ab"];

    /// <summary>Our site, e.g. http://127.0.0.1:41234.</summary>
    public Uri Site => Web.BaseAddress;

    /// <summary>The demo partner page's origin: another port of the web app.</summary>
    public Uri PartnerSite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        var sitePort = Ports.Free();
        var partnerPort = Ports.Free();
        PartnerSite = new Uri($"http://127.0.0.1:{partnerPort}");
        var site = $"http://127.0.0.1:{sitePort}";
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:redis"] = Redis.ConnectionString,
            ["Hub:SiteOrigins:0"] = site,
            ["Hub:PresenceInterval"] = "00:00:00.500",
            [$"Partners:{PartnerKey}:AllowedOrigins:0"] = PartnerSite.GetLeftPart(UriPartial.Authority),
            [$"Partners:{PartnerKey}:MaxConnections"] = "50",
            // A partner that signs embed tokens (EmbedTokenTests), on the same demo page; no clock skew allowed.
            [$"Partners:{SignedKey}:AllowedOrigins:0"] = PartnerSite.GetLeftPart(UriPartial.Authority),
            [$"Partners:{SignedKey}:RequireToken"] = "true",
            [$"Partners:{SignedKey}:TokenSecrets:0"] = SignedSecrets[0],
            [$"Partners:{SignedKey}:TokenSecrets:1"] = SignedSecrets[1],
            [$"Partners:{SignedKey}:ApiSecret"] = SignedApiSecret,
            ["Hub:EmbedTokenClockSkew"] = "00:00:00",
        };
        var ingestPort = Ports.Free();
        var hubs = new[] { AppProcess.StartAsync("ScoreFeed.Hub", settings), AppProcess.StartAsync("ScoreFeed.Hub", settings) };
        var ingest = AppProcess.StartAsync("ScoreFeed.Ingest", new Dictionary<string, string>(settings)
        {
            ["Ingest:Simulator:Matches"] = "8",
            ["Ingest:Simulator:UpdatesPerSecond"] = "4",
            ["Ingest:Simulator:StartInPlay"] = "0.75",
            ["Ingest:Simulator:Seed"] = "20261125",
            // Production: an account with its hash (SCOREFEED_OPERATOR_PASSWORD is for Development only).
            [$"Operators:Accounts:{OperatorOptions.LocalOperatorName}:PasswordHash"] = OperatorAccounts.Hash(OperatorPassword),
            [$"Operators:Accounts:{OperatorOptions.LocalOperatorName}:Roles:0"] = OperatorRoles.Operator,
            ["Operators:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Operators:CorsOrigins:0"] = site,
        }, port: ingestPort);
        HubA = await hubs[0];
        HubB = await hubs[1];
        Proxy = TcpProxy.Start(HubA.BaseAddress.Port);
        var web = AppProcess.StartAsync("ScoreFeed.Web", new Dictionary<string, string>(settings)
        {
            ["Web:HubBaseUrl"] = Proxy.BaseAddress.ToString(),
            ["Web:PublicBaseUrl"] = site,
            ["Web:IngestBaseUrl"] = $"http://127.0.0.1:{ingestPort}",
            ["Web:PartnerDemoPort"] = partnerPort.ToString(),
        }, port: sitePort, alsoOn: partnerPort);
        Ingest = await ingest;
        Web = await web;
        Publisher = await InProcessIngest.StartAsync(new Dictionary<string, string> { ["ConnectionStrings:redis"] = Redis.ConnectionString });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser context (its own cookies and storage) and page.</summary>
    internal async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions());
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A new football match with the given names (ids are unique per call), published through ingest: live 10 minutes
    /// in, or scheduled to start at <paramref name="startsAt"/>.
    /// </summary>
    internal async Task<MatchState> CreateMatchAsync(string prefix, string home = "Home Town", string away = "Away City", string competitionId = "test-cup",
        string homeId = "t-home", string awayId = "t-away", DateTimeOffset? startsAt = null)
    {
        var matchId = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var scheduled = startsAt is not null;
        var state = new MatchState
        {
            MatchId = matchId,
            CompetitionId = competitionId,
            Sport = Sports.Football,
            Home = new TeamScore { Id = homeId, Name = home, Score = 0 },
            Away = new TeamScore { Id = awayId, Name = away, Score = 0 },
            Status = scheduled ? MatchStatus.Scheduled : MatchStatus.Live,
            Period = scheduled ? 0 : 1,
            Clock = new MatchClock { Running = !scheduled, Seconds = scheduled ? 0 : 600, At = now },
            StartsAt = startsAt?.ToUnixTimeMilliseconds() ?? now - 600_000,
            Incidents = [],
        };
        var result = await Publisher.Updater.UpdateAsync(matchId, _ => new MatchChange { State = state }, CancellationToken.None).Within();
        lock (_created)
        {
            _created.Add(matchId);
        }
        return state with { Epoch = result!.Epoch, Seq = result.Seq };
    }

    /// <summary>Ends every match the tests created and moves it days back, so it leaves today's scoreboard.</summary>
    internal async Task RetireTestMatchesAsync()
    {
        string[] created;
        lock (_created)
        {
            created = [.. _created];
            _created.Clear();
        }
        var longAgo = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeMilliseconds();
        foreach (var matchId in created)
        {
            await Publisher.Updater.UpdateAsync(matchId, current => current is null ? null : new MatchChange
            {
                State = current with { Status = MatchStatus.Final, StartsAt = longAgo, Clock = current.Clock with { Running = false } },
            }, CancellationToken.None).Within();
        }
    }

    /// <summary>Publishes a change of a match's state (e.g. a card, a rename); returns the new seq.</summary>
    internal async Task<long> ChangeAsync(string matchId, Func<MatchState, MatchState> change, Incident? incident = null)
    {
        var result = await Publisher.Updater.UpdateAsync(matchId, current => current is null ? null : new MatchChange
        {
            // An incident with an id held already amends it in place, as the contract says clients do.
            State = incident is null ? change(current) : change(current) with
            {
                Incidents = (current.Incidents ?? []).Any(i => i.Id == incident.Id)
                    ? [.. (current.Incidents ?? []).Select(i => i.Id == incident.Id ? incident : i)]
                    : [.. current.Incidents ?? [], incident],
            },
            Incident = incident,
        }, CancellationToken.None).Within();
        return result?.Seq ?? throw new InvalidOperationException($"No match {matchId}.");
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Publisher.DisposeAsync();
        await Web.DisposeAsync();
        await Proxy.DisposeAsync();
        await Ingest.DisposeAsync();
        await HubA.DisposeAsync();
        await HubB.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserCluster>
{
    public const string Name = "browser";
}
