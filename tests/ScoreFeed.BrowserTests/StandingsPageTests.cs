using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>The table page <c>/competitions/{id}/table</c>: server-painted, live on <c>standings:{id}</c>, accessible, fits 320 px.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StandingsPageTests(BrowserCluster cluster)
{
    public static TheoryData<int, ColorScheme, string, string> Views => new()
    {
        { 320, ColorScheme.Light, "en", Sports.Football },
        { 320, ColorScheme.Dark, "en", Sports.Football },
        { 1280, ColorScheme.Light, "en", Sports.Football },
        { 1280, ColorScheme.Dark, "en", Sports.Football },
        { 320, ColorScheme.Light, "ar", Sports.Football },
        { 1280, ColorScheme.Dark, "de", Sports.Football },
        { 320, ColorScheme.Light, "en", Sports.Basketball },
        { 320, ColorScheme.Dark, "en", Sports.Basketball },
        { 1280, ColorScheme.Light, "en", Sports.Basketball },
        { 1280, ColorScheme.Dark, "en", Sports.Basketball },
        { 320, ColorScheme.Dark, "ar", Sports.Basketball },
        { 1280, ColorScheme.Light, "fr", Sports.Basketball },
    };

    /// <summary>
    /// A new competition with one live match: football (Bay Hawks of the Northern Estuary, away, t-away, leads after a
    /// goal), or basketball (Harbor City Hawks, b-hawks, lead Valley Comets 81–78 in the fourth quarter).
    /// </summary>
    private async Task<(string Competition, MatchState Match)> CompetitionAsync(string sport = Sports.Football)
    {
        var competition = "tbl-" + Guid.NewGuid().ToString("N")[..8];
        var match = sport == Sports.Basketball
            ? await cluster.CreateBasketballMatchAsync("tbl", competitionId: competition)
            : await cluster.CreateMatchAsync("tbl", home: "Coast Breakers", away: "Bay Hawks of the Northern Estuary", competitionId: competition);
        return (competition, match);
    }

    [Fact]
    public async Task The_table_is_painted_by_the_server_and_reorders_live_when_a_goal_is_scored()
    {
        var (competition, match) = await CompetitionAsync();
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, $"/competitions/{competition}/table").ToString());

        var rows = page.Locator("#sf-standings tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("th")).ToContainTextAsync("Bay Hawks");
        await Expect(page.Locator("#sf-standings .sf-row-live")).ToHaveCountAsync(2);
        await Expect(page.Locator(".sf-table-live")).ToBeVisibleAsync();
        await page.ExpectLiveAsync();

        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");

        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-team", "t-home");
        await Expect(rows.Nth(0).Locator(".sf-points")).ToHaveTextAsync("3");
        await Expect(rows.Nth(1).Locator(".sf-points")).ToHaveTextAsync("0");

        await cluster.ChangeAsync(match.MatchId, s => s with { Status = MatchStatus.Final, Clock = s.Clock with { Running = false } });

        await Expect(page.Locator(".sf-table-live")).ToBeHiddenAsync();
        await Expect(page.Locator("#sf-standings .sf-row-live")).ToHaveCountAsync(0);
        await Expect(rows.Nth(0).Locator(".sf-form")).ToContainTextAsync("W");
        await page.CloseAllAsync();
    }

    [Theory]
    [MemberData(nameof(Views))]
    public async Task The_table_is_accessible_and_the_page_never_scrolls_sideways(int width, ColorScheme scheme, string lang, string sport)
    {
        var (competition, match) = await CompetitionAsync(sport);
        if (sport == Sports.Football)
        {
            await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Away, "Ferreira");
        }
        var page = await cluster.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = 800 }, ColorScheme = scheme });
        await page.GotoAsync(new Uri(cluster.Site, $"/competitions/{competition}/table?lang={lang}").ToString());
        await page.ExpectLiveAsync();
        await Expect(page.Locator("#sf-standings tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#sf-standings table")).ToHaveAttributeAsync("data-sport", sport);
        await ExpectSpelledOutAsync(page.Locator("#sf-standings thead"));

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page scrolls sideways by {overflow} px at {width} px");
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Target))})")));
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_basketball_table_reads_points_for_against_and_difference_without_a_drawn_column_when_painted_and_live()
    {
        // One page opens on the competition's football table, which the script repaints as basketball's when the
        // feed's sport for its match is corrected; the other is painted by the server as basketball's.
        var (competition, match) = await CompetitionAsync();
        var live = await cluster.NewPageAsync();
        await live.GotoAsync(new Uri(cluster.Site, $"/competitions/{competition}/table").ToString());
        await Expect(live.Locator("#sf-standings thead th")).ToHaveCountAsync(10);
        await Expect(live.Locator("#sf-standings thead abbr[title='Drawn']")).ToHaveTextAsync("D");
        await live.ExpectLiveAsync();
        await cluster.ChangeAsync(match.MatchId, s => s with { Sport = Sports.Basketball, Home = s.Home with { Score = 81 }, Away = s.Away with { Score = 78 } });
        var painted = await cluster.NewPageAsync();
        await painted.GotoAsync(new Uri(cluster.Site, $"/competitions/{competition}/table").ToString());

        foreach (var page in new[] { live, painted })
        {
            var table = page.Locator("#sf-standings table");
            await Expect(table).ToHaveAttributeAsync("data-sport", Sports.Basketball);
            await Expect(table.Locator("thead th")).ToHaveTextAsync(["#", "Team", "P", "W", "L", "PF", "PA", "+/−", "Pts", "Form"]);
            await Expect(table.Locator("thead abbr[title='Points for']")).ToHaveTextAsync("PF");
            await Expect(table.Locator("caption")).ToContainTextAsync("points for, points against, points difference");
            var rows = table.Locator("tbody tr");
            await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-team", "t-home");
            // Pos, P, W, L, PF, PA, +/−, Pts, Form.
            await Expect(rows.Nth(0).Locator("td")).ToHaveTextAsync(["1", "1", "1", "0", "81", "78", "+3", "2", ""]);
            await Expect(rows.Nth(1).Locator("td")).ToHaveTextAsync(["2", "1", "0", "1", "78", "81", "-3", "1", ""]);
        }

        await cluster.ChangeAsync(match.MatchId, s => s with { Status = MatchStatus.Final, Clock = s.Clock with { Running = false } });

        await Expect(live.Locator("#sf-standings tbody tr").Nth(0).Locator(".sf-form")).ToContainTextAsync("W");
        await Expect(live.Locator("#sf-standings tbody tr").Nth(1).Locator(".sf-form")).ToContainTextAsync("L");
        await live.CloseAllAsync();
        await painted.CloseAllAsync();
    }

    [Theory]
    [InlineData(Sports.Football)]
    [InlineData(Sports.Basketball)]
    public async Task Competition_headings_on_the_scoreboard_link_to_their_table(string sport)
    {
        var (competition, _) = await CompetitionAsync(sport);
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(cluster.Site.ToString());

        var link = page.Locator($"#comp-{competition} a");
        await Expect(link).ToHaveAttributeAsync("href", $"/competitions/{competition}/table");
        await link.ClickAsync();

        await Expect(page.Locator("#sf-standings tbody tr")).ToHaveCountAsync(2);
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_competition_without_a_table_says_so_and_a_bad_id_is_not_found()
    {
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, "/competitions/no-such-cup/table").ToString());
        await Expect(page.Locator(".sf-table-empty")).ToBeVisibleAsync();
        var bad = await page.GotoAsync(new Uri(cluster.Site, "/competitions/a%20b/table").ToString());
        Assert.Equal(404, bad!.Status);
        await page.CloseAllAsync();
    }

    /// <summary>The height docs/embedding.md tells partners to reserve for &lt;scorefeed-standings&gt; (24rem).</summary>
    private const double StandingsWidgetPx = 24 * 16;

    [Theory]
    [InlineData(320, ColorScheme.Light)]
    [InlineData(1280, ColorScheme.Dark)]
    public async Task The_standings_widget_shows_the_live_table_on_a_partner_site_in_the_height_reserved_for_it(int width, ColorScheme scheme)
    {
        var (competition, match) = await CompetitionAsync();
        var (page, widget, failed) = await PartnerWidgetAsync(competition, match, width, scheme);
        var rows = widget.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal(StandingsWidgetPx, (await widget.BoundingBoxAsync())!.Height, 0.5);

        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");

        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-team", "t-home");
        await Expect(rows.Nth(0).Locator(".sf-points")).ToHaveTextAsync("3");
        await ExpectFitsAndAccessibleAsync(widget, failed);
        await page.CloseAllAsync();
    }

    [Theory]
    [InlineData(320, ColorScheme.Light)]
    [InlineData(1280, ColorScheme.Dark)]
    public async Task The_standings_widget_shows_a_basketball_table_in_the_same_height(int width, ColorScheme scheme)
    {
        var (competition, match) = await CompetitionAsync(Sports.Basketball);
        var (page, widget, failed) = await PartnerWidgetAsync(competition, match, width, scheme);

        await Expect(widget.Locator("table")).ToHaveAttributeAsync("data-sport", Sports.Basketball);
        await Expect(widget.Locator("thead th")).ToHaveTextAsync(["#", "Team", "P", "W", "L", "PF", "PA", "+/−", "Pts", "Form"]);
        await Expect(widget.Locator("tbody tr").Nth(0).Locator(".sf-points")).ToHaveTextAsync("2");
        await ExpectSpelledOutAsync(widget.Locator("thead"));
        await ExpectFitsAndAccessibleAsync(widget, failed);
        await page.CloseAllAsync();
    }

    /// <summary>The demo partner page (another origin) with a &lt;scorefeed-standings&gt; of the competition, live; and the requests that failed.</summary>
    private async Task<(IPage Page, ILocator Widget, List<string> Failed)> PartnerWidgetAsync(string competition, MatchState match, int width, ColorScheme scheme)
    {
        var page = await cluster.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = 900 }, ColorScheme = scheme });
        var failed = new List<string>();
        page.RequestFailed += (_, r) => failed.Add(r.Url);
        await page.GotoAsync($"http://127.0.0.1:{cluster.PartnerSite.Port}/?match={match.MatchId}&competition={competition}&key={BrowserCluster.PartnerKey}");
        await page.EvaluateAsync("""
            ([competition, key]) => {
              const widget = document.createElement('scorefeed-standings');
              widget.id = 'demo-standings';
              widget.setAttribute('competition', competition);
              widget.setAttribute('key', key);
              document.body.prepend(widget);
            }
            """, new[] { competition, BrowserCluster.PartnerKey });
        var widget = page.Locator("#demo-standings");
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "live");
        await Expect(widget.Locator("tbody tr")).ToHaveCountAsync(2);
        return (page, widget, failed);
    }

    /// <summary>The widget keeps the 24rem reserved for it, has no serious accessibility violation, and loaded everything.</summary>
    private static async Task ExpectFitsAndAccessibleAsync(ILocator widget, List<string> failed)
    {
        Assert.Equal(StandingsWidgetPx, (await widget.BoundingBoxAsync())!.Height, 0.5);
        var result = await widget.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help}")));
        Assert.Empty(failed);
    }

    /// <summary>Every abbreviation in a table's header is spelled out (its <c>title</c>).</summary>
    private static async Task ExpectSpelledOutAsync(ILocator head)
    {
        var abbreviations = await head.Locator("abbr").AllAsync();
        Assert.Equal(9, abbreviations.Count);
        foreach (var abbreviation in abbreviations)
        {
            Assert.False(string.IsNullOrWhiteSpace(await abbreviation.GetAttributeAsync("title")), await abbreviation.TextContentAsync());
        }
    }
}
