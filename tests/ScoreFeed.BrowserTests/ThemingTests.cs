using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// The widget's theming API on the demo partner page: --scorefeed-* properties reach into the shadow tree, parts are
/// styleable, text stays AA whatever colours are set, the compact layout keeps its own height, and the page's theme
/// editor applies each control and writes the CSS to paste.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ThemingTests(BrowserCluster cluster)
{
    private async Task<IPage> PartnerPageAsync(string matchId)
    {
        var page = await cluster.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1200 } });
        await page.GotoAsync($"http://127.0.0.1:{cluster.PartnerSite.Port}/?match={matchId}&competition=theme-cup&key={BrowserCluster.PartnerKey}");
        await Expect(page.Locator("#demo-match .sf-conn")).ToHaveAttributeAsync("data-status", "live");
        return page;
    }

    private static Task<string[]> StylesAsync(IPage page, string selector, params string[] properties) =>
        page.EvaluateAsync<string[]>(
            "([selector, properties]) => { const e = document.querySelector('#demo-match').shadowRoot.querySelector(selector); const s = getComputedStyle(e); return properties.map(p => s.getPropertyValue(p).trim()); }",
            new object[] { selector, properties });

    [Fact]
    public async Task The_editor_themes_the_widget_and_writes_the_css_to_paste_and_text_stays_readable()
    {
        var match = await cluster.CreateMatchAsync("theme", home: "Harbour Town", away: "Quay Rovers", competitionId: "theme-cup");
        var page = await PartnerPageAsync(match.MatchId);
        var css = page.Locator("#theme-css");
        await Expect(css).ToContainTextAsync("min-height: 21.75rem");

        // A dark background (the cards stay light unless told) and a yellow live badge: both would fail AA as set.
        await page.Locator("#use-background").CheckAsync();
        await page.Locator("#theme-background").FillAsync("#1e293b");
        await page.Locator("#use-live").CheckAsync();
        await page.Locator("#theme-live").FillAsync("#fde047");
        await page.Locator("#theme-font").SelectOptionAsync("Georgia, 'Times New Roman', serif");
        await page.Locator("#theme-radius").SelectOptionAsync("0");

        await Expect(css).ToContainTextAsync("--scorefeed-background: #1e293b;");
        await Expect(css).ToContainTextAsync("--scorefeed-live: #fde047;");
        await Expect(css).ToContainTextAsync("--scorefeed-radius: 0;");
        // Within a second (the widget checks its colours once a second): the partner's values, and readable text.
        await Wait.UntilAsync(async () => await StylesAsync(page, ".sf-widget", "background-color", "color") is ["rgb(30, 41, 59)", "rgb(255, 255, 255)"],
            TimeSpan.FromSeconds(5), "the partner's background, with white text");
        var widget = await StylesAsync(page, ".sf-widget", "color", "border-top-left-radius", "font-family");
        Assert.Equal("rgb(30, 41, 59)", (await StylesAsync(page, ".sf-hero", "background-color"))[0]);
        Assert.Equal("0px", widget[1]);
        Assert.StartsWith("Georgia", widget[2], StringComparison.Ordinal);
        await Wait.UntilAsync(async () => (await StylesAsync(page, ".sf-chip", "color"))[0] == "rgb(0, 0, 0)", TimeSpan.FromSeconds(5), "black text on the yellow badge");
        Assert.Equal("rgb(253, 224, 71)", (await StylesAsync(page, ".sf-chip", "background-color"))[0]);
        var result = await page.Locator("#demo-match").RunAxe();
        Assert.DoesNotContain(result.Violations, v => v.Id == "color-contrast");

        // The compact layout: no timeline, its own height, which the snippet reserves.
        await page.Locator("#theme-layout").SelectOptionAsync("compact");
        await Expect(page.Locator("#demo-match")).ToHaveAttributeAsync("layout", "compact");
        await Expect(css).ToContainTextAsync("min-height: 12.5rem");
        Assert.Equal(12.5 * 16, (await page.Locator("#demo-match").BoundingBoxAsync())!.Height, 0.5);
        await Expect(page.Locator("#demo-match .sf-timeline")).ToBeHiddenAsync();

        // Back to ScoreFeed's theme: nothing of the partner's left, nothing overridden.
        await page.GetByRole(AriaRole.Button, new() { Name = "Back to ScoreFeed's theme" }).ClickAsync();
        await Expect(css).Not.ToContainTextAsync("--scorefeed");
        await Wait.UntilAsync(async () => (await StylesAsync(page, ".sf-widget", "color"))[0] == "rgb(15, 23, 42)", TimeSpan.FromSeconds(5), "ScoreFeed's own text colour");
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task Parts_are_styleable_from_the_partners_page()
    {
        var match = await cluster.CreateMatchAsync("parts", competitionId: "theme-cup");
        var page = await PartnerPageAsync(match.MatchId);
        // Constructed from the page (as a partner's stylesheet would be): a CSSOM rule, allowed by the page's CSP.
        await page.EvaluateAsync("""
            () => {
              const sheet = new CSSStyleSheet();
              sheet.replaceSync('scorefeed-match::part(score) { color: rgb(1, 2, 3); } scorefeed-match::part(header) { letter-spacing: 3px; }');
              document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
            }
            """);
        Assert.Equal("rgb(1, 2, 3)", (await StylesAsync(page, ".sf-score", "color"))[0]);
        Assert.Equal("3px", (await StylesAsync(page, ".sf-hero-top", "letter-spacing"))[0]);
        // …and the partner's selectors still do not reach anything that is not a part.
        Assert.NotEqual("rgb(1, 2, 3)", (await StylesAsync(page, ".sf-name", "color"))[0]);
        await page.CloseAllAsync();
    }
}
