using System.Globalization;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// The pages in the reader's language: the URL's <c>?lang=</c>, then the remembered choice, then
/// <c>Accept-Language</c>; painted by the server and kept by the script; Arabic right to left with nothing sideways
/// at 320 px; the widget in its partner page's language.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LanguageTests(BrowserCluster cluster)
{
    [Fact]
    public async Task A_language_chosen_in_the_url_is_painted_kept_by_the_script_and_remembered()
    {
        var match = await cluster.CreateMatchAsync("lang", home: "Rhyl Athletic", away: "Selby Town", competitionId: "lang-cup");

        var painted = await cluster.NewPageAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        // The hubs' read API keeps a list a second: load until the new match is in it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await painted.GotoAsync(new Uri(cluster.Site, "/?lang=es").ToString());
        }
        while (await painted.Card(match.MatchId).CountAsync() == 0 && DateTime.UtcNow < deadline);
        await Expect(painted.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(painted.Locator("h1")).ToHaveTextAsync("Hoy");
        await Expect(painted.Card(match.MatchId).Locator(".sf-chip")).ToHaveTextAsync("En directo");
        await painted.CloseAllAsync();

        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, "/?lang=es").ToString());
        await page.ExpectLiveAsync();
        await Expect(page.Locator("#sf-conn")).ToHaveTextAsync("En directo");
        await Expect(page.Card(match.MatchId).Locator(".sf-star")).ToHaveAccessibleNameAsync("Seguir a Rhyl Athletic - Selby Town");
        // The choice holds without the parameter (the sf-lang cookie), on another page too.
        await page.GotoAsync(new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString());
        await page.ExpectLiveAsync();
        await Expect(page.Locator("#timeline-title")).ToHaveTextAsync("Cronología");
        await Expect(page.Locator("#sf-hero .sf-period")).ToHaveTextAsync("1.ª parte");
        // The switcher names each language in itself and keeps the page.
        await page.Locator(".sf-langs summary").ClickAsync();
        await page.Locator(".sf-langs a[hreflang='fr']").ClickAsync();
        await Expect(page.Locator("#timeline-title")).ToHaveTextAsync("Déroulé");
        Assert.EndsWith($"/matches/{match.MatchId}?lang=fr", page.Url);
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task Without_a_choice_the_browsers_language_is_used()
    {
        var page = await cluster.NewPageAsync(new BrowserNewContextOptions { Locale = "de-AT", JavaScriptEnabled = false });
        await page.GotoAsync(cluster.Site.ToString());
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Heute");
        await page.CloseAllAsync();

        var unknown = await cluster.NewPageAsync(new BrowserNewContextOptions { Locale = "ja-JP", JavaScriptEnabled = false });
        await unknown.GotoAsync(cluster.Site.ToString());
        await Expect(unknown.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await unknown.CloseAllAsync();
    }

    [Theory]
    [InlineData("/?lang=ar")]
    [InlineData("/matches/{0}?lang=ar")]
    public async Task Arabic_reads_right_to_left_with_nothing_sideways_at_320px(string path)
    {
        var match = await cluster.CreateMatchAsync("rtl", home: "Tadcaster Albion", away: "Ulverston Rangers", competitionId: "rtl-cup");
        var page = await cluster.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 320, Height = 640 } });
        await page.GotoAsync(new Uri(cluster.Site, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, match.MatchId)).ToString());
        await page.ExpectLiveAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.Locator("#sf-conn")).ToHaveTextAsync("مباشر");
        var widths = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{path}: {widths[0]} px wide in a {widths[1]} px viewport");
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task The_widget_speaks_its_partner_pages_language_and_the_iframe_its_urls()
    {
        var match = await cluster.CreateMatchAsync("wlang", home: "Wexford Youths", away: "Yeovil Town", competitionId: "wlang-cup");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{cluster.PartnerSite.Port}/?match={match.MatchId}&competition=wlang-cup&key={BrowserCluster.PartnerKey}&lang=fr");

        await Expect(page.Locator("#demo-match .sf-chip")).ToHaveTextAsync("En direct");
        await Expect(page.Locator("#demo-match .sf-conn")).ToHaveTextAsync("En direct");
        await Expect(page.FrameLocator("#demo-iframe").Locator(".sf-chip")).ToHaveTextAsync("En direct");
        await page.CloseAllAsync();
    }

    [Theory]
    [InlineData("de", "Benutzername", "Korrektur angewendet: Das Spiel steht bei Seq {0}.", "Korrektur", "Tore Gast: 0 → 1", "1 Spiel")]
    [InlineData("ar", "اسم المستخدم", "طُبّق التصحيح: المباراة عند التسلسل {0}.", "تصحيح", "أهداف الضيف: 0 ← 1", "مباراة واحدة")]
    public async Task The_operator_console_speaks_the_operators_language(string lang, string user, string applied, string action, string changes, string count)
    {
        var match = await cluster.CreateMatchAsync($"op-{lang}", home: "Coast Breakers", away: "Bay Hawks");
        var console = await OperatorConsole.SignInAsync(cluster, new() { ViewportSize = new() { Width = 800, Height = 900 } }, $"/operator?lang={lang}");
        await Expect(console.Locator("label[for='op-user']")).ToHaveTextAsync(user);
        await console.Locator("#op-search").FillAsync(match.MatchId);
        await Expect(console.Locator("#op-count")).ToHaveTextAsync(count);
        await console.OpenMatchAsync(match.MatchId, match.Seq);

        await console.Locator("#op-away").FillAsync("1");
        await console.Locator("#op-reason").FillAsync("equaliser");
        await console.Locator("#op-reason").PressAsync("Enter");

        await Expect(console.Locator("#op-result")).ToHaveTextAsync(string.Format(CultureInfo.InvariantCulture, applied, match.Seq + 1));
        await Expect(console.Locator(".op-entry-head strong")).ToHaveTextAsync(action);
        await Expect(console.Locator(".op-entry-changes")).ToHaveTextAsync(changes);
        await Expect(console.Locator("html")).ToHaveAttributeAsync("dir", lang == "ar" ? "rtl" : "ltr");
        var result = await console.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
        Assert.Equal(0, await console.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await console.CloseAllAsync();
    }
}
