using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// Tennis as fans read it (sets in columns, game points, who serves) and line scores (basketball quarters), on the
/// match page, the scoreboard, the iframe and the widget: painted by the server, repainted live, in the widget's
/// reserved height, right to left in Arabic, and clean under axe at 320 and 1280 px, light and dark.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScoreDetailTests(BrowserCluster cluster)
{
    private static ILocator Row(ILocator within, string side) => within.Locator($".sf-lines tbody tr[data-side='{side}']");

    [Fact]
    public async Task A_tennis_match_page_shows_sets_in_columns_game_points_and_who_serves_even_without_scripts()
    {
        var match = await cluster.CreateTennisMatchAsync("tennis-page");
        var url = new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString();

        // The server's first paint, scripts off.
        var still = await cluster.NewPageAsync(new() { JavaScriptEnabled = false });
        await still.GotoAsync(url);
        await ExpectTennisAsync(still.Locator("body"), home: ["7", "4", "30"], away: ["64", "3", "40"]);
        await Expect(still.Locator(".sf-hero .sf-period")).ToHaveTextAsync("Set 2");
        var painted = await still.Locator(".sf-lines").InnerHTMLAsync();
        await still.CloseAllAsync();

        // The script repaints the same, then follows the points.
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(url);
        await page.ExpectLiveAsync();
        await ExpectTennisAsync(page.Locator("body"), home: ["7", "4", "30"], away: ["64", "3", "40"]);
        var repainted = await page.Locator(".sf-lines").InnerHTMLAsync();
        Assert.True(Normalise(painted) == Normalise(repainted), $"server:\n{painted}\nscript:\n{repainted}");

        await cluster.PointAsync(match.MatchId, TeamSides.Home);
        await Expect(Row(page.Locator("body"), TeamSides.Home).Locator(".sf-lines-game")).ToHaveTextAsync("40");
        await cluster.PointAsync(match.MatchId, TeamSides.Home);
        await Expect(Row(page.Locator("body"), TeamSides.Home).Locator(".sf-lines-game")).ToHaveTextAsync("AD");
        await Expect(Row(page.Locator("body"), TeamSides.Away).Locator(".sf-lines-game")).ToHaveTextAsync("40");
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_tennis_card_on_the_scoreboard_shows_games_per_set_and_who_serves()
    {
        await cluster.RetireTestMatchesAsync();
        var match = await cluster.CreateTennisMatchAsync("tennis-card");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(cluster.Site.ToString());
        await page.ExpectLiveAsync();

        var card = page.Card(match.MatchId);
        await Expect(card.Locator(".sf-home .sf-sets > span:not(.sf-serve)")).ToHaveTextAsync(["7", "4", "30"]);
        await Expect(card.Locator(".sf-away .sf-sets > span:not(.sf-serve)")).ToHaveTextAsync(["64", "3", "40"]);
        await Expect(card.Locator(".sf-away .sf-serve")).ToHaveCountAsync(1);
        await Expect(card.Locator(".sf-home .sf-serve")).ToHaveCountAsync(0);
        await Expect(card.Locator(".sf-home .sf-score")).ToHaveTextAsync("1");
        await Expect(card.Locator(".sf-chip")).ToHaveTextAsync("Live");
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_football_match_page_shows_its_halves_extra_time_and_the_shoot_out()
    {
        var match = await cluster.CreateFootballShootOutAsync("lines-football");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString());
        await page.ExpectLiveAsync();

        await Expect(page.Locator(".sf-lines thead th")).ToHaveTextAsync(["Team", "1", "2", "ET", "Pens", "T"]);
        await Expect(Row(page.Locator("body"), TeamSides.Home).Locator("td")).ToHaveTextAsync(["1", "0", "1", "4", "2"]);
        await Expect(Row(page.Locator("body"), TeamSides.Away).Locator("td")).ToHaveTextAsync(["0", "1", "1", "3", "2"]);
        await Expect(page.Locator(".sf-hero .sf-period")).ToHaveTextAsync("Penalties");
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_basketball_match_page_and_its_iframe_show_the_line_score_by_quarter()
    {
        var match = await cluster.CreateBasketballMatchAsync("lines-page");
        foreach (var url in new[] { $"/matches/{match.MatchId}", $"/embed/matches/{match.MatchId}?key={BrowserCluster.PartnerKey}" })
        {
            var page = await cluster.NewPageAsync();
            await page.GotoAsync(new Uri(cluster.Site, url).ToString());
            await page.ExpectLiveAsync();

            await Expect(page.Locator(".sf-lines thead th")).ToHaveTextAsync(["Team", "Q1", "Q2", "Q3", "Q4", "T"]);
            await Expect(Row(page.Locator("body"), TeamSides.Home).Locator("td")).ToHaveTextAsync(["24", "21", "27", "9", "81"]);
            await Expect(Row(page.Locator("body"), TeamSides.Away).Locator("td")).ToHaveTextAsync(["19", "25", "22", "12", "78"]);
            await page.CloseAllAsync();
        }
    }

    /// <summary>The heights docs/embedding.md tells partners to reserve: 21.75rem, 12.5rem compact.</summary>
    [Theory]
    [InlineData("tennis", "full", 320)]
    [InlineData("tennis", "compact", 1280)]
    [InlineData("basketball", "full", 1280)]
    [InlineData("basketball", "compact", 320)]
    [InlineData("football", "full", 320)]
    public async Task The_widget_shows_sets_and_line_scores_within_the_height_reserved_for_it(string sport, string layout, int width)
    {
        var match = sport switch
        {
            "tennis" => await cluster.CreateTennisMatchAsync($"widget-{sport}", home: "Aleksandra Wiśniewska-Kowalczyk", competitionId: "widget-cup"),
            "football" => await cluster.CreateFootballShootOutAsync($"widget-{sport}", home: "Wolverhampton Wanderers Reserves", competitionId: "widget-cup"),
            _ => await cluster.CreateBasketballMatchAsync($"widget-{sport}", competitionId: "widget-cup"),
        };
        var page = await cluster.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        await page.GotoAsync($"{cluster.PartnerSite}?match={match.MatchId}&competition=widget-cup&key={BrowserCluster.PartnerKey}");
        var widget = page.Locator("#demo-match");
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "live");
        if (layout == "compact")
        {
            await page.Locator("#theme-layout").SelectOptionAsync("compact");
        }

        var table = widget.Locator(".sf-lines");
        await Expect(table).ToBeVisibleAsync();
        await Expect(table).ToHaveAttributeAsync("part", "line-score");
        await Expect(Row(widget, TeamSides.Away).Locator("td").Last).ToHaveTextAsync(sport switch { "tennis" => "40", "football" => "2", _ => "78" });
        var box = (await widget.BoundingBoxAsync())!;
        // For people to look at: .artifacts/screenshots/widget-{sport}-{layout}-{width}.png.
        var pictures = Path.Combine(Paths.RepoRoot, ".artifacts", "screenshots");
        Directory.CreateDirectory(pictures);
        await widget.ScreenshotAsync(new() { Path = Path.Combine(pictures, $"widget-{sport}-{layout}-{width}.png") });
        Assert.Equal((layout == "compact" ? 12.5 : 21.75) * 16, box.Height, 0.5);
        // The score row and the table are as wide as the widget at most: long names shorten, nothing is cut off at the side.
        foreach (var part in new[] { table, widget.Locator(".sf-hero") })
        {
            var inner = (await part.BoundingBoxAsync())!;
            Assert.True(inner.X >= box.X && inner.X + inner.Width <= box.X + box.Width, $"{part} spans {inner.X}–{inner.X + inner.Width}, the widget {box.X}–{box.X + box.Width}");
        }
        // Every row of the table is inside the widget, not cut off by its fixed height.
        var last = (await Row(widget, TeamSides.Away).BoundingBoxAsync())!;
        Assert.True(last.Y + last.Height <= box.Y + box.Height, $"the table's last row ends at {last.Y + last.Height}, the widget at {box.Y + box.Height}");
        // The widget's one incident row (full layout) still shows the latest incident beside the table.
        if (layout == "full" && sport == "tennis")
        {
            await Expect(widget.Locator(".sf-incident")).ToHaveCountAsync(1);
            await Expect(widget.Locator(".sf-incident-what")).ToHaveTextAsync("End of Set 1");
        }
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task In_Arabic_the_sets_read_from_right_to_left()
    {
        var match = await cluster.CreateTennisMatchAsync("tennis-ar");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, $"/matches/{match.MatchId}?lang=ar").ToString());
        await page.ExpectLiveAsync();

        var cells = Row(page.Locator("body"), TeamSides.Home).Locator("td");
        await Expect(cells).ToHaveTextAsync(["7", "4", "30"]);
        var first = (await cells.Nth(0).BoundingBoxAsync())!;
        var second = (await cells.Nth(1).BoundingBoxAsync())!;
        var name = (await Row(page.Locator("body"), TeamSides.Home).Locator("th").BoundingBoxAsync())!;
        Assert.True(name.X > first.X && first.X > second.X, $"name at {name.X}, set 1 at {first.X}, set 2 at {second.X}: not right to left");
        await Expect(page.Locator(".sf-hero .sf-period")).ToHaveTextAsync("المجموعة 2");
        await page.CloseAllAsync();
    }

    public static TheoryData<string, string, ColorScheme, int> AxePages => new()
    {
        { "tennis", "match", ColorScheme.Light, 1280 },
        { "tennis", "match", ColorScheme.Dark, 320 },
        { "tennis", "scoreboard", ColorScheme.Dark, 1280 },
        { "tennis", "scoreboard", ColorScheme.Light, 320 },
        { "tennis", "partner-demo", ColorScheme.Light, 320 },
        { "tennis", "embed", ColorScheme.Dark, 1280 },
        { "basketball", "match", ColorScheme.Light, 320 },
        { "basketball", "match", ColorScheme.Dark, 1280 },
        { "basketball", "partner-demo", ColorScheme.Light, 1280 },
        { "basketball", "embed", ColorScheme.Light, 320 },
    };

    [Theory]
    [MemberData(nameof(AxePages))]
    public async Task Axe_finds_no_serious_violation_and_nothing_scrolls_sideways(string sport, string which, ColorScheme scheme, int width)
    {
        var match = sport == "tennis" ? await cluster.CreateTennisMatchAsync($"a11y-{sport}") : await cluster.CreateBasketballMatchAsync($"a11y-{sport}");
        var page = await cluster.NewPageAsync(new() { ColorScheme = scheme, ViewportSize = new() { Width = width, Height = 800 } });
        await page.GotoAsync(which switch
        {
            "scoreboard" => cluster.Site.ToString(),
            "match" => new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString(),
            "embed" => new Uri(cluster.Site, $"/embed/matches/{match.MatchId}?key={BrowserCluster.PartnerKey}").ToString(),
            _ => $"{cluster.PartnerSite}?match={match.MatchId}&key={BrowserCluster.PartnerKey}",
        });
        var scope = which == "partner-demo" ? page.Locator("#demo-match") : page.Locator("body");
        await Expect(scope.Locator(".sf-conn").First).ToHaveAttributeAsync("data-status", "live");
        if (which != "scoreboard")
        {
            await Expect(scope.Locator(".sf-lines")).ToBeVisibleAsync();
        }

        var result = which == "partner-demo" ? await scope.RunAxe() : await page.RunAxe();

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => $"{n.Target} {n.Html}"))}")));
        if (which != "partner-demo")
        {
            Assert.Equal(0, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        }
        await page.CloseAllAsync();
    }

    private static async Task ExpectTennisAsync(ILocator page, string[] home, string[] away)
    {
        await Expect(page.Locator(".sf-lines[data-kind='tennis']")).ToBeVisibleAsync();
        await Expect(page.Locator(".sf-lines thead th")).ToHaveTextAsync(["Player", "1", "2", "Game"]);
        await Expect(Row(page, TeamSides.Home).Locator("td")).ToHaveTextAsync(home);
        await Expect(Row(page, TeamSides.Away).Locator("td")).ToHaveTextAsync(away);
        await Expect(Row(page, TeamSides.Home).Locator("td").First).ToHaveClassAsync("sf-won");
        await Expect(Row(page, TeamSides.Home).Locator("td").Nth(1)).Not.ToHaveClassAsync("sf-won");
        await Expect(Row(page, TeamSides.Away).Locator(".sf-serve")).ToHaveCountAsync(1);
        await Expect(Row(page, TeamSides.Home).Locator(".sf-serve")).ToHaveCountAsync(0);
    }

    /// <summary>The markup without the script's bookkeeping attribute and the whitespace Razor leaves.</summary>
    private static string Normalise(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, @">\s+<", "><").Trim();
}
