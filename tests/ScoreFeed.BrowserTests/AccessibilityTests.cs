using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>axe-core on the scoreboard, a match page and the embed page, light and dark; keyboard use; 320 px screens.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserCluster cluster)
{
    public static TheoryData<string, ColorScheme> Pages => new()
    {
        { "scoreboard", ColorScheme.Light },
        { "scoreboard", ColorScheme.Dark },
        { "match", ColorScheme.Light },
        { "match", ColorScheme.Dark },
        { "embed", ColorScheme.Light },
        { "embed", ColorScheme.Dark },
        { "partner-demo", ColorScheme.Light },
    };

    /// <summary>Every page in every language but English (above), right to left included.</summary>
    public static TheoryData<string, string> PagesInLanguages => new()
    {
        { "scoreboard", "es" }, { "match", "es" }, { "embed", "es" }, { "partner-demo", "es" },
        { "scoreboard", "de" }, { "match", "de" }, { "embed", "de" }, { "partner-demo", "de" },
        { "scoreboard", "fr" }, { "match", "fr" }, { "embed", "fr" }, { "partner-demo", "fr" },
        { "scoreboard", "ar" }, { "match", "ar" }, { "embed", "ar" }, { "partner-demo", "ar" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public Task Axe_finds_no_serious_or_critical_violation(string which, ColorScheme scheme) => AxeAsync(which, scheme, null);

    [Theory]
    [MemberData(nameof(PagesInLanguages))]
    public Task Axe_finds_no_serious_or_critical_violation_in_every_language(string which, string lang) => AxeAsync(which, ColorScheme.Light, lang);

    private async Task AxeAsync(string which, ColorScheme scheme, string? lang)
    {
        var match = await cluster.CreateMatchAsync("a11y", home: "Coast Breakers", away: "Bay Hawks");
        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");
        var page = await cluster.NewPageAsync(new() { ColorScheme = scheme });
        var url = Url(which, match.MatchId);
        await page.GotoAsync(lang is null ? url : $"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}lang={lang}");
        if (which == "partner-demo")
        {
            // Only the widget is ours there: check it, not the partner's page around it.
            await Expect(page.Locator("#demo-match .sf-conn")).ToHaveAttributeAsync("data-status", "live");
        }
        else
        {
            await page.ExpectLiveAsync();
        }

        var result = which == "partner-demo" ? await page.Locator("#demo-match").RunAxe() : await page.RunAxe();

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(Describe)));
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task The_theme_toggle_works_from_the_keyboard_and_the_next_page_is_painted_in_that_theme()
    {
        var page = await cluster.NewPageAsync(new() { ColorScheme = ColorScheme.Light });
        await page.GotoAsync(cluster.Site.ToString());
        var toggle = page.Locator("#sf-theme");
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");

        await toggle.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        // Remembered in a cookie the server reads: the next page is dark from its first paint, scripts or not.
        var next = await page.Context.NewPageAsync();
        await next.RouteAsync("**/assets/app.js*", route => route.AbortAsync());
        await next.GotoAsync(cluster.Site.ToString());
        await Expect(next.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await page.CloseAllAsync();
    }

    [Theory]
    [InlineData("scoreboard")]
    [InlineData("match")]
    [InlineData("embed")]
    public async Task Pages_fit_a_320_px_screen_without_sideways_scrolling(string which)
    {
        var match = await cluster.CreateMatchAsync("narrow", home: "Castleford Albion Women's Reserves", away: "Millbrook Wanderers");
        var page = await cluster.NewPageAsync(new() { ViewportSize = new() { Width = 320, Height = 640 } });
        await page.GotoAsync(Url(which, match.MatchId));
        await page.ExpectLiveAsync();

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");

        Assert.Equal(0, overflow);
        await page.CloseAllAsync();
    }

    private string Url(string which, string matchId) => which switch
    {
        "scoreboard" => cluster.Site.ToString(),
        "match" => new Uri(cluster.Site, $"/matches/{matchId}").ToString(),
        "embed" => new Uri(cluster.Site, $"/embed/matches/{matchId}?key={BrowserCluster.PartnerKey}").ToString(),
        _ => $"{cluster.PartnerSite}?match={matchId}&key={BrowserCluster.PartnerKey}",
    };

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Impact} {violation.Id}: {violation.Help} — " +
        string.Join("; ", violation.Nodes.Take(3).Select(n => $"{n.Target} {n.Html}"));
}
