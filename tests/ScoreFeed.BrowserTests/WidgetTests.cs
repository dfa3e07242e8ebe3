using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// The widget and the iframe on the demo partner page, served from another origin (another port), with the
/// partner's own hostile CSS and a strict CSP.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetTests(BrowserCluster cluster)
{
    private const string NotEnabled = "This widget is not enabled for this site.";

    private string PartnerPage(string matchId, string key = BrowserCluster.PartnerKey, string host = "127.0.0.1") =>
        $"http://{host}:{cluster.PartnerSite.Port}/?match={matchId}&competition=widget-cup&key={key}";

    [Fact]
    public async Task The_widget_and_the_iframe_show_a_live_match_on_a_partner_site_of_another_origin()
    {
        var match = await cluster.CreateMatchAsync("widget", home: "Summit Owls", away: "Prairie Storm", competitionId: "widget-cup");
        var page = await cluster.NewPageAsync();
        var failed = new List<string>();
        page.RequestFailed += (_, r) => failed.Add(r.Url);
        await page.GotoAsync(PartnerPage(match.MatchId));

        var widget = page.Locator("#demo-match");
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "live");
        await Expect(widget.Locator(".sf-home .sf-name")).ToHaveTextAsync("Summit Owls");
        // The partner's CSS hides every .sf-score and .sf-chip on its page: none of it reaches into the widget.
        await Expect(widget.Locator(".sf-home .sf-score")).ToBeVisibleAsync();
        await Expect(widget.Locator(".sf-home .sf-score")).ToHaveTextAsync("0");
        var iframe = page.FrameLocator("#demo-iframe");
        await Expect(iframe.Locator("#sf-conn")).ToHaveAttributeAsync("data-status", "live");
        var scoreboard = page.Locator("#demo-scoreboard");
        await Expect(scoreboard.Locator(".sf-widget-title")).ToHaveTextAsync("Widget Cup");

        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");

        await Expect(widget.Locator(".sf-home .sf-score")).ToHaveTextAsync("1");
        await Expect(widget.Locator(".sf-timeline .sf-incident-who")).ToHaveTextAsync("Okafor (Summit Owls)");
        await Expect(iframe.Locator(".sf-home .sf-score")).ToHaveTextAsync("1");
        await Expect(scoreboard.Locator($".sf-card[data-match='{match.MatchId}'] .sf-home .sf-score")).ToHaveTextAsync("1");
        // The widget and the iframe both watch the match.
        await Expect(widget.Locator(".sf-watching")).ToHaveTextAsync("2 watching");
        // Everything came from our origins: no request failed, none went elsewhere.
        Assert.Empty(failed);
        await page.CloseAllAsync();
    }

    /// <summary>The height docs/embedding.md tells partners to reserve (21.75rem; the demo partner page does).</summary>
    private const double ReservedPx = 21.75 * 16;

    [Theory]
    [InlineData(320, "en")]
    [InlineData(1280, "ar")]
    public async Task The_widget_takes_exactly_the_space_reserved_for_it_so_the_partners_page_does_not_move(int width, string lang)
    {
        var match = await cluster.CreateMatchAsync($"steady-{lang}", home: "Wolverhampton Wanderers Reserves", away: "Brighton and Hove Albion Academy", competitionId: "widget-cup");
        var page = await cluster.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        await page.AddInitScriptAsync("""
            window.sfShifts = 0;
            new PerformanceObserver((list) => list.getEntries().forEach((e) => { if (!e.hadRecentInput) window.sfShifts += e.value; }))
              .observe({ type: 'layout-shift', buffered: true });
            """);
        await page.GotoAsync($"{PartnerPage(match.MatchId)}&lang={lang}");
        var widget = page.Locator("#demo-match");
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "live");
        Assert.Equal(ReservedPx, await HeightAsync(widget), 0.5);

        // Loading the page moved (almost) nothing: the space was reserved before the script came.
        var shift = await page.EvaluateAsync<double>("() => window.sfShifts");
        Assert.True(shift <= 0.02, $"the page's layout shift while loading was {shift:0.000} (at most 0.02)");

        // No incident, then one, two, three and a fourth (the widget shows the latest three), long names included:
        // the widget keeps its height and what follows it on the partner's page stays where it was.
        var below = page.Locator("#demo-iframe");
        var place = (await below.BoundingBoxAsync())!.Y;
        for (var goals = 1; goals <= 4; goals++)
        {
            await cluster.Publisher.GoalAsync(match.MatchId, goals % 2 == 0 ? TeamSides.Away : TeamSides.Home, "Oluwaseun Abernathy-Kristiansen");
            await Expect(widget.Locator(".sf-incident")).ToHaveCountAsync(Math.Min(goals, 3));
            Assert.Equal(ReservedPx, await HeightAsync(widget), 0.5);
            Assert.Equal(place, (await below.BoundingBoxAsync())!.Y, 0.5);
        }

        // Refused, it keeps its place too.
        await page.GotoAsync(PartnerPage(match.MatchId, key: "not-a-partner"));
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "refused");
        Assert.Equal(ReservedPx, await HeightAsync(widget), 0.5);
        await page.CloseAllAsync();
    }

    private static async Task<double> HeightAsync(ILocator element) => (await element.BoundingBoxAsync())!.Height;

    [Fact]
    public async Task The_widget_refuses_a_wrong_key_with_a_clear_reason()
    {
        var match = await cluster.CreateMatchAsync("wrong-key", competitionId: "widget-cup");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(PartnerPage(match.MatchId, key: "not-a-partner"));

        var widget = page.Locator("#demo-match");
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "refused");
        await Expect(widget.Locator(".sf-conn")).ToHaveTextAsync(NotEnabled);
        await Expect(widget.Locator(".sf-hero")).ToBeHiddenAsync();
        await Expect(page.FrameLocator("#demo-iframe").Locator(".sf-notice")).ToHaveTextAsync(NotEnabled);
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task The_widget_refuses_a_page_of_an_origin_the_partner_did_not_allow()
    {
        var match = await cluster.CreateMatchAsync("wrong-origin", competitionId: "widget-cup");
        var page = await cluster.NewPageAsync();
        // Same page, other origin: localhost is not 127.0.0.1, and only the latter is the partner's.
        await page.GotoAsync(PartnerPage(match.MatchId, host: "localhost"));

        var widget = page.Locator("#demo-match");
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "refused");
        await Expect(widget.Locator(".sf-conn")).ToHaveTextAsync(NotEnabled);
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task The_widget_code_is_one_small_script_the_partner_can_load_from_any_origin()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster.Site, "/widget.js"));
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("cross-origin", response.Headers.GetValues("Cross-Origin-Resource-Policy").Single());
        Assert.NotNull(response.Headers.ETag);
        // The SignalR client included: under 20 KB of our own code plus the SignalR client's ~14 KB.
        Assert.InRange(body.Length, 10_000, 40 * 1024);
    }
}
