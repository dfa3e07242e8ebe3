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
    public static TheoryData<int, ColorScheme, string> Views => new()
    {
        { 320, ColorScheme.Light, "en" },
        { 320, ColorScheme.Dark, "en" },
        { 1280, ColorScheme.Light, "en" },
        { 1280, ColorScheme.Dark, "en" },
        { 320, ColorScheme.Light, "ar" },
        { 1280, ColorScheme.Dark, "de" },
    };

    private async Task<(string Competition, MatchState Match)> CompetitionAsync()
    {
        var competition = "tbl-" + Guid.NewGuid().ToString("N")[..8];
        var match = await cluster.CreateMatchAsync("tbl", home: "Coast Breakers", away: "Bay Hawks of the Northern Estuary", competitionId: competition);
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
    public async Task The_table_is_accessible_and_the_page_never_scrolls_sideways(int width, ColorScheme scheme, string lang)
    {
        var (competition, match) = await CompetitionAsync();
        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Away, "Ferreira");
        var page = await cluster.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = 800 }, ColorScheme = scheme });
        await page.GotoAsync(new Uri(cluster.Site, $"/competitions/{competition}/table?lang={lang}").ToString());
        await page.ExpectLiveAsync();
        await Expect(page.Locator("#sf-standings tbody tr")).ToHaveCountAsync(2);

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page scrolls sideways by {overflow} px at {width} px");
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Target))})")));
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task Football_competition_headings_on_the_scoreboard_link_to_their_table()
    {
        var (competition, _) = await CompetitionAsync();
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
        var rows = widget.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal(StandingsWidgetPx, (await widget.BoundingBoxAsync())!.Height, 0.5);

        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");

        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-team", "t-home");
        await Expect(rows.Nth(0).Locator(".sf-points")).ToHaveTextAsync("3");
        Assert.Equal(StandingsWidgetPx, (await widget.BoundingBoxAsync())!.Height, 0.5);
        var result = await widget.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help}")));
        Assert.Empty(failed);
        await page.CloseAllAsync();
    }
}
