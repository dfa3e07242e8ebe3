using System.Net;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>Feed text stays text; pages carry a strict CSP; only the embed pages may be framed, by their partner.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityTests(BrowserCluster cluster) : IDisposable
{
    private const string Evil = "<img src=x onerror=alert(1)>";
    private const string EvilToo = "</script><script>alert(2)</script>";
    private const string EvilPlayer = "<b onmouseover=alert(3)>Bold</b>";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Team_names_and_players_are_shown_as_text_and_run_nothing_even_without_our_CSP()
    {
        // Bypassing the pages' CSP: it would block injected handlers, and this test is about the rendering itself.
        var page = await cluster.NewPageAsync(new() { BypassCSP = true });
        var dialogs = new List<string>();
        var strayRequests = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath == "/x")
            {
                strayRequests.Add(request.Url);
            }
        };

        // Server-rendered: a match that exists before the page loads.
        var painted = await cluster.CreateMatchAsync("xss", home: Evil, away: EvilToo, competitionId: "widget-cup");
        await cluster.Publisher.GoalAsync(painted.MatchId, TeamSides.Home, EvilPlayer);
        await page.GotoAsync(cluster.Site.ToString());
        await page.ExpectLiveAsync();
        await Expect(page.Card(painted.MatchId).Locator(".sf-home .sf-name")).ToHaveTextAsync(Evil);
        await Expect(page.Card(painted.MatchId).Locator(".sf-away .sf-name")).ToHaveTextAsync(EvilToo);

        // Rendered by the script: a match that arrives over the socket.
        var live = await cluster.CreateMatchAsync("xss-live", home: Evil, away: EvilToo, competitionId: "widget-cup");
        await Expect(page.Card(live.MatchId).Locator(".sf-home .sf-name")).ToHaveTextAsync(Evil);

        // The match page: names in the header, a player in the timeline, server-rendered and then live.
        await page.GotoAsync(new Uri(cluster.Site, $"/matches/{painted.MatchId}").ToString());
        await page.ExpectLiveAsync();
        await Expect(page.Locator("#sf-hero .sf-home .sf-name")).ToHaveTextAsync(Evil);
        await Expect(page.Locator("#sf-timeline .sf-incident-who").First).ToHaveTextAsync($"{EvilPlayer} ({Evil})");
        await cluster.Publisher.GoalAsync(painted.MatchId, TeamSides.Away, EvilPlayer);
        await Expect(page.Locator("#sf-timeline .sf-incident-who").First).ToHaveTextAsync($"{EvilPlayer} ({EvilToo})");
        Assert.Contains(Evil, await page.TitleAsync());

        // The widget and the iframe on the partner's page.
        await page.GotoAsync($"http://127.0.0.1:{cluster.PartnerSite.Port}/?match={painted.MatchId}&competition=widget-cup&key={BrowserCluster.PartnerKey}");
        await Expect(page.Locator("#demo-match .sf-home .sf-name")).ToHaveTextAsync(Evil);
        await Expect(page.FrameLocator("#demo-iframe").Locator("#sf-hero .sf-away .sf-name")).ToHaveTextAsync(EvilToo);
        await Expect(page.Locator($"#demo-scoreboard .sf-card[data-match='{live.MatchId}'] .sf-home .sf-name")).ToHaveTextAsync(Evil);

        Assert.Equal(0, await page.Locator("img, b").CountAsync());
        Assert.Empty(dialogs);
        Assert.Empty(strayRequests);
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task Pages_allow_only_our_scripts_and_the_hub_and_may_not_be_framed()
    {
        var match = await cluster.CreateMatchAsync("headers");

        foreach (var path in new[] { "/", $"/matches/{match.MatchId}" })
        {
            using var response = await _http.GetAsync(new Uri(cluster.Site, path));
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains($"connect-src 'self' {cluster.Proxy.BaseAddress.GetLeftPart(UriPartial.Authority)} ws://127.0.0.1:{cluster.Proxy.Port};", csp);
            Assert.EndsWith("frame-ancestors 'none'", csp);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public async Task Embed_pages_may_be_framed_by_their_partner_only_and_say_when_a_key_is_unknown()
    {
        var match = await cluster.CreateMatchAsync("embed");

        using var partner = await _http.GetAsync(new Uri(cluster.Site, $"/embed/matches/{match.MatchId}?key={BrowserCluster.PartnerKey}"));
        using var unknown = await _http.GetAsync(new Uri(cluster.Site, $"/embed/matches/{match.MatchId}?key=nope"));

        Assert.EndsWith($"frame-ancestors 'self' {cluster.PartnerSite.GetLeftPart(UriPartial.Authority)}", partner.Headers.GetValues("Content-Security-Policy").Single());
        Assert.False(partner.Headers.Contains("X-Frame-Options"));
        Assert.Contains("This widget is not enabled for this site.", await unknown.Content.ReadAsStringAsync());
        Assert.DoesNotContain("sf-config", await unknown.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/matches/no-such-match")]
    [InlineData("/matches/bad%20id")]
    [InlineData("/nowhere")]
    public async Task Unknown_pages_and_matches_answer_404_with_a_page(string path)
    {
        using var response = await _http.GetAsync(new Uri(cluster.Site, path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}
