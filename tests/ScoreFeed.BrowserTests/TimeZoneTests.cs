using System.Globalization;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// Kick-off times in the viewer's time zone, with its name, and "today" as the viewer's day, in Chromium set to a zone
/// other than the server's (UTC): the script shows local times at once and tells the server the zone in a cookie, so
/// every later first paint is in that zone; a first visit's first paint says UTC rather than show a wrong time.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TimeZoneTests(BrowserCluster cluster)
{
    private const string Kolkata = "Asia/Kolkata"; // UTC+5:30 all year
    private const string Kiritimati = "Pacific/Kiritimati"; // UTC+14: its day is mostly not UTC's

    [Fact]
    public async Task Kick_off_shows_in_the_viewers_zone_and_a_second_visit_is_painted_in_it()
    {
        var startsAt = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(2).AddHours(13).AddMinutes(15), TimeSpan.Zero);
        var match = await cluster.CreateMatchAsync("tz", home: "Jarrow Town", away: "Kelso United", startsAt: startsAt);
        var url = new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Kolkata);
        var local = TimeZoneInfo.ConvertTime(startsAt, zone);
        var expected = local.ToString("ddd HH:mm", CultureInfo.InvariantCulture) + " GMT+5:30";

        // First visit, no script: the server does not know the zone yet and says UTC.
        var first = await cluster.NewPageAsync(new BrowserNewContextOptions { TimezoneId = Kolkata, JavaScriptEnabled = false });
        await first.GotoAsync(url);
        await Expect(first.Locator("#sf-hero .sf-clock")).ToHaveTextAsync(startsAt.ToString("ddd HH:mm", CultureInfo.InvariantCulture) + " UTC");
        await Expect(first.Locator("#sf-zone")).ToHaveTextAsync("Times in UTC.");
        await first.CloseAllAsync();

        // With the script: the viewer's time and zone.
        var page = await cluster.NewPageAsync(new BrowserNewContextOptions { TimezoneId = Kolkata });
        await page.GotoAsync(url);
        await Expect(page.Locator("#sf-hero .sf-clock")).ToHaveTextAsync(expected);
        // The browser's own name for the zone (Chromium says Asia/Calcutta, the older name of the same zone).
        var named = await page.EvaluateAsync<string>("Intl.DateTimeFormat().resolvedOptions().timeZone");
        Assert.Contains(named, new[] { Kolkata, "Asia/Calcutta" });
        await Expect(page.Locator("#sf-zone")).ToHaveTextAsync($"Times in {named} (GMT+5:30).");
        var cookies = await page.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "sf-tz" && c.Value == named);

        // The next first paint (no script at all) is already in that zone.
        var painted = await cluster.NewPageAsync(new BrowserNewContextOptions { TimezoneId = Kolkata, JavaScriptEnabled = false });
        await painted.Context.AddCookiesAsync(cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
        await painted.GotoAsync(url);
        await Expect(painted.Locator("#sf-hero .sf-clock")).ToHaveTextAsync(expected);
        await Expect(painted.Locator("#sf-zone")).ToHaveTextAsync($"Times in {named} (GMT+5:30).");
        await painted.CloseAllAsync();
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task Today_on_the_scoreboard_is_the_viewers_day()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Kiritimati);
        var localToday = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;
        DateTimeOffset At(DateTime localTime) => new(localTime, zone.GetUtcOffset(localTime));
        var today = await cluster.CreateMatchAsync("tztoday", startsAt: At(localToday.AddHours(23).AddMinutes(50)), competitionId: "zone-cup");
        var tomorrow = await cluster.CreateMatchAsync("tztomorrow", startsAt: At(localToday.AddDays(1).AddMinutes(10)), competitionId: "zone-cup");
        var yesterday = await cluster.CreateMatchAsync("tzyesterday", startsAt: At(localToday.AddMinutes(-10)), competitionId: "zone-cup");

        var page = await cluster.NewPageAsync(new BrowserNewContextOptions { TimezoneId = Kiritimati });
        await page.GotoAsync(cluster.Site.ToString());
        await page.ExpectLiveAsync();
        // Whatever the server painted for UTC on this first visit, the script keeps the viewer's day only...
        await Expect(page.Card(today.MatchId)).ToBeVisibleAsync();
        await Expect(page.Card(tomorrow.MatchId)).ToHaveCountAsync(0);
        await Expect(page.Card(yesterday.MatchId)).ToHaveCountAsync(0);

        // ...and from the next visit on the server paints the same.
        var cookies = await page.Context.CookiesAsync();
        var painted = await cluster.NewPageAsync(new BrowserNewContextOptions { TimezoneId = Kiritimati, JavaScriptEnabled = false });
        await painted.Context.AddCookiesAsync(cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
        await painted.GotoAsync(cluster.Site.ToString());
        await Expect(painted.Card(today.MatchId).Locator(".sf-clock")).ToHaveTextAsync("23:50 GMT+14");
        await Expect(painted.Card(tomorrow.MatchId)).ToHaveCountAsync(0);
        await Expect(painted.Card(yesterday.MatchId)).ToHaveCountAsync(0);
        await painted.CloseAllAsync();
        await page.CloseAllAsync();
    }
}
