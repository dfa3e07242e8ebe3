using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// Screenshots of the pages at 320 and 1280 px, light and dark, written to .artifacts/screenshots (or to
/// SCOREFEED_SCREENSHOTS_DIR, e.g. docs/screenshots when refreshing the README's pictures). Each picture must show its
/// theme: the colours read from its pixels are those tokens.css gives the page background, the surfaces and the
/// live chip, in the theme the reader's system asks for or the one they chose.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(BrowserCluster cluster)
{
    private static readonly Palette Light = new("#f3f5f8", "#ffffff");
    private static readonly Palette Dark = new("#0b1220", "#131c2e");

    [Fact]
    public async Task Screenshots_of_the_scoreboard_a_match_and_the_partner_page_show_their_theme()
    {
        var directory = Directory();
        await cluster.RetireTestMatchesAsync();
        var match = await ShowcaseMatchAsync();
        var site = cluster.Site.ToString();
        var matchPage = new Uri(cluster.Site, $"/matches/{match}").ToString();
        // The partner page's widget asks for the light theme and its scoreboard widget for the dark one.
        Fill[] partner =
        [
            new("#demo-match .sf-widget", Light.Background), new("#demo-match .sf-hero", Light.Surface),
            new("#demo-match .sf-chip[data-status='live']", Palette.Live),
            new("#demo-scoreboard .sf-widget", Dark.Background), new("#demo-scoreboard .sf-card-link", Dark.Surface),
        ];

        var shots = new (string Name, string Url, int Width, ColorScheme Scheme, Fill[] Fills)[]
        {
            ("scoreboard-1280", site, 1280, ColorScheme.Light, Scoreboard(Light)),
            ("scoreboard-320", site, 320, ColorScheme.Light, Scoreboard(Light)),
            ("scoreboard-1280-dark", site, 1280, ColorScheme.Dark, Scoreboard(Dark)),
            ("match-1280", matchPage, 1280, ColorScheme.Light, MatchPage(Light)),
            ("match-320", matchPage, 320, ColorScheme.Light, MatchPage(Light)),
            ("match-320-dark", matchPage, 320, ColorScheme.Dark, MatchPage(Dark)),
            ("match-320-ar", matchPage + "?lang=ar", 320, ColorScheme.Light, MatchPage(Light)),
            ("partner-1280", $"{cluster.PartnerSite}?match={match}&key={BrowserCluster.PartnerKey}", 1280, ColorScheme.Light, partner),
        };
        foreach (var (name, url, width, scheme, fills) in shots)
        {
            var page = await NewPageAsync(width, scheme);
            await page.GotoAsync(url);
            await page.Locator(".sf-conn[data-status='live']").First.WaitForAsync();
            var png = await ScreenshotAsync(page, fills, new() { Path = Path.Combine(directory, name + ".png"), FullPage = width < 400 || name.StartsWith("match", StringComparison.Ordinal) });
            await ExpectFillsAsync(page, png, name, fills);
            await page.CloseAllAsync();
        }

        // The theme a reader chose with the toggle (its cookie) wins over the system setting, either way round.
        foreach (var (scheme, chosen, palette) in new[] { (ColorScheme.Light, "dark", Dark), (ColorScheme.Dark, "light", Light) })
        {
            var page = await NewPageAsync(320, scheme);
            await page.Context.AddCookiesAsync([new() { Name = "sf-theme", Value = chosen, Url = site }]);
            await page.GotoAsync(matchPage);
            var fills = MatchPage(palette);
            await ExpectFillsAsync(page, await ScreenshotAsync(page, fills, new()), $"match, system {scheme}, chosen {chosen}", fills);
            await page.CloseAllAsync();
        }
    }

    [Fact]
    public async Task Screenshots_of_a_tennis_match_and_a_basketball_line_score_show_their_theme()
    {
        var directory = Directory();
        var tennis = await cluster.CreateTennisMatchAsync("showcase-tennis");
        var basketball = await cluster.CreateBasketballMatchAsync("showcase-basketball");
        var tennisPage = new Uri(cluster.Site, $"/matches/{tennis.MatchId}").ToString();
        Fill[] partner = [new("#demo-match .sf-widget", Light.Background), new("#demo-match .sf-hero", Light.Surface)];

        var shots = new (string Name, string Url, int Width, ColorScheme Scheme, Fill[] Fills)[]
        {
            ("tennis-1280", tennisPage, 1280, ColorScheme.Light, MatchPage(Light)),
            ("tennis-320-dark", tennisPage, 320, ColorScheme.Dark, MatchPage(Dark)),
            ("tennis-320-ar", tennisPage + "?lang=ar", 320, ColorScheme.Light, MatchPage(Light)),
            ("tennis-widget-1280", $"{cluster.PartnerSite}?match={tennis.MatchId}&competition=sim-slam&key={BrowserCluster.PartnerKey}", 1280, ColorScheme.Light, partner),
            ("basketball-1280", new Uri(cluster.Site, $"/matches/{basketball.MatchId}").ToString(), 1280, ColorScheme.Light, MatchPage(Light)),
            ("basketball-320-dark", new Uri(cluster.Site, $"/matches/{basketball.MatchId}").ToString(), 320, ColorScheme.Dark, MatchPage(Dark)),
        };
        foreach (var (name, url, width, scheme, fills) in shots)
        {
            var page = await NewPageAsync(width, scheme);
            await page.GotoAsync(url);
            await page.Locator(".sf-conn[data-status='live']").First.WaitForAsync();
            await page.Locator(".sf-lines").First.WaitForAsync();
            var png = await ScreenshotAsync(page, fills, new() { Path = Path.Combine(directory, name + ".png"), FullPage = width < 400 || !name.Contains("widget", StringComparison.Ordinal) });
            await ExpectFillsAsync(page, png, name, fills);
            await page.CloseAllAsync();
        }
    }

    [Fact]
    public async Task Screenshots_of_the_operator_console_at_1280_px_and_on_a_tablet_show_its_theme()
    {
        var directory = Directory();
        var match = await ShowcaseMatchAsync();
        var page = await OperatorConsole.SignInAsync(cluster, new()
        {
            ViewportSize = new() { Width = 1280, Height = 1000 },
            ColorScheme = ColorScheme.Light,
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
        Fill[] fills = [new(".sf-main", Light.Background), new(".op-list", Light.Surface)];
        var png = await ScreenshotAsync(page, fills, new() { Path = Path.Combine(directory, "operator-1280.png") });
        await ExpectFillsAsync(page, png, "operator-1280", fills);
        // And on a tablet held upright.
        await page.SetViewportSizeAsync(800, 1100);
        png = await ScreenshotAsync(page, fills, new() { Path = Path.Combine(directory, "operator-800.png") });
        await ExpectFillsAsync(page, png, "operator-800", fills);
        await page.CloseAllAsync();
    }

    /// <summary>What tokens.css gives the page background and the surfaces (cards, the match header, panels).</summary>
    private sealed record Palette(string Background, string Surface)
    {
        /// <summary>The live chip: the same red in both themes.</summary>
        public const string Live = "#b91c1c";
    }

    /// <summary>An element (the first that matches) and the colour that must fill it.</summary>
    private sealed record Fill(string Selector, string Colour);

    private static Fill[] Scoreboard(Palette palette) =>
        [new(".sf-main", palette.Background), new(".sf-card-link", palette.Surface), new(".sf-chip[data-status='live']", Palette.Live)];

    private static Fill[] MatchPage(Palette palette) =>
        [new(".sf-main", palette.Background), new(".sf-hero", palette.Surface), new(".sf-hero .sf-chip[data-status='live']", Palette.Live)];

    private Task<IPage> NewPageAsync(int width, ColorScheme scheme) => cluster.NewPageAsync(new()
    {
        ViewportSize = new() { Width = width, Height = width < 400 ? 720 : 860 },
        ColorScheme = scheme,
        ReducedMotion = ReducedMotion.Reduce,
    });

    /// <summary>The page once every element to be checked is shown; the PNG, also written to options' Path if any.</summary>
    private static async Task<byte[]> ScreenshotAsync(IPage page, Fill[] fills, PageScreenshotOptions options)
    {
        foreach (var fill in fills)
        {
            await page.Locator(fill.Selector).First.WaitForAsync();
        }
        return await page.ScreenshotAsync(options);
    }

    private static async Task ExpectFillsAsync(IPage page, byte[] png, string shot, Fill[] fills)
    {
        var picture = Picture.Decode(png);
        foreach (var fill in fills)
        {
            var colour = await picture.FillOfAsync(page.Locator(fill.Selector).First);
            Assert.Equal((shot, fill.Selector, fill.Colour), (shot, fill.Selector, colour));
        }
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
