using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// Screenshots of the pages at 320 and 1280 px, light and dark, written to .artifacts/screenshots (or to
/// SCOREFEED_SCREENSHOTS_DIR, e.g. docs/screenshots when refreshing the README's pictures).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(BrowserCluster cluster)
{
    [Fact]
    public async Task Screenshots_of_the_scoreboard_a_match_and_the_partner_page()
    {
        var directory = Directory();
        await cluster.RetireTestMatchesAsync();
        var match = await ShowcaseMatchAsync();

        var shots = new (string Name, string Url, int Width, ColorScheme Scheme)[]
        {
            ("scoreboard-1280", cluster.Site.ToString(), 1280, ColorScheme.Light),
            ("scoreboard-320", cluster.Site.ToString(), 320, ColorScheme.Light),
            ("scoreboard-1280-dark", cluster.Site.ToString(), 1280, ColorScheme.Dark),
            ("match-1280", new Uri(cluster.Site, $"/matches/{match}").ToString(), 1280, ColorScheme.Light),
            ("match-320", new Uri(cluster.Site, $"/matches/{match}").ToString(), 320, ColorScheme.Light),
            ("match-320-dark", new Uri(cluster.Site, $"/matches/{match}").ToString(), 320, ColorScheme.Dark),
            ("partner-1280", $"{cluster.PartnerSite}?match={match}&key={BrowserCluster.PartnerKey}", 1280, ColorScheme.Light),
        };
        foreach (var (name, url, width, scheme) in shots)
        {
            var page = await cluster.NewPageAsync(new()
            {
                ViewportSize = new() { Width = width, Height = width < 400 ? 720 : 860 },
                ColorScheme = scheme,
                ReducedMotion = ReducedMotion.Reduce,
            });
            await page.GotoAsync(url);
            await page.Locator(".sf-conn[data-status='live']").First.WaitForAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(directory, name + ".png"), FullPage = width < 400 || name.StartsWith("match", StringComparison.Ordinal) });
            await page.CloseAllAsync();
        }

        Assert.All(shots, s => Assert.True(new FileInfo(Path.Combine(directory, s.Name + ".png")).Length > 5_000, s.Name));
    }

    [Fact]
    public async Task Screenshots_of_the_operator_console_at_1280_px_and_on_a_tablet()
    {
        var directory = Directory();
        var match = await ShowcaseMatchAsync();
        var page = await OperatorConsole.SignInAsync(cluster, new()
        {
            ViewportSize = new() { Width = 1280, Height = 1000 },
            ReducedMotion = ReducedMotion.Reduce,
        });
        await page.OpenMatchAsync(match, 6);
        await page.Locator("#op-home").FillAsync("1");
        await page.Locator("#op-reason").FillAsync("second home goal disallowed (VAR: offside)");
        await page.Locator("#op-reason").PressAsync("Enter");
        await Assertions.Expect(page.Locator(".op-entry")).ToHaveCountAsync(1);
        await page.Locator("#op-search").FillAsync("");
        await page.Locator("#op-away").FillAsync("2");
        await page.Locator("#op-reason").FillAsync("late equaliser");
        await page.Locator("#op-reason").FocusAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var path = Path.Combine(directory, "operator-1280.png");
        await page.ScreenshotAsync(new() { Path = path });
        // And on a tablet held upright.
        await page.SetViewportSizeAsync(800, 1100);
        var tablet = Path.Combine(directory, "operator-800.png");
        await page.ScreenshotAsync(new() { Path = tablet });
        await page.CloseAllAsync();

        Assert.True(new FileInfo(path).Length > 5_000);
        Assert.True(new FileInfo(tablet).Length > 5_000);
    }

    private static string Directory()
    {
        var directory = Environment.GetEnvironmentVariable("SCOREFEED_SCREENSHOTS_DIR") is { Length: > 0 } dir
            ? Path.GetFullPath(dir, Paths.RepoRoot)
            : Path.Combine(Paths.RepoRoot, ".artifacts", "screenshots");
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>A football match with a story: goals, a card, a substitution.</summary>
    private async Task<string> ShowcaseMatchAsync()
    {
        var match = await cluster.CreateMatchAsync("showcase", home: "Northbridge FC", away: "Riverside United", competitionId: "sim-premier");
        await cluster.ChangeAsync(match.MatchId, s => s, new Incident { Id = "s1", Type = IncidentTypes.PeriodStart, Period = 1, Seconds = 0 });
        await cluster.ChangeAsync(match.MatchId, s => s with { Home = s.Home with { Score = 1 } },
            new Incident { Id = "s2", Type = IncidentTypes.Goal, Period = 1, Seconds = 754, Team = TeamSides.Home, Player = "Okafor" });
        await cluster.ChangeAsync(match.MatchId, s => s,
            new Incident { Id = "s3", Type = IncidentTypes.YellowCard, Period = 1, Seconds = 1391, Team = TeamSides.Away, Player = "Lindqvist" });
        await cluster.ChangeAsync(match.MatchId, s => s with { Away = s.Away with { Score = 1 } },
            new Incident { Id = "s4", Type = IncidentTypes.PenaltyGoal, Period = 1, Seconds = 2210, Team = TeamSides.Away, Player = "Moreau" });
        await cluster.ChangeAsync(match.MatchId, s => s with { Home = s.Home with { Score = 2 }, Period = 2, Clock = s.Clock with { Seconds = 4012, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() } },
            new Incident { Id = "s5", Type = IncidentTypes.Goal, Period = 2, Seconds = 3905, Team = TeamSides.Home, Player = "Haaland-Berg" });
        return match.MatchId;
    }
}
