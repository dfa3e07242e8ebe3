using System.Globalization;
using System.Text.RegularExpressions;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>The match page in Chromium: its clock, its timeline, and a connection lost and found again.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class MatchPageTests(BrowserCluster cluster)
{
    [Fact]
    public async Task The_match_clock_runs_on_the_page_without_updates()
    {
        var match = await cluster.CreateMatchAsync("clock");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString());
        var clock = page.Locator("#sf-hero .sf-clock");
        var first = PageExtensions.ClockSeconds(await clock.TextContentAsync() ?? "");

        // No update is published: the page moves the clock itself, one second per second.
        await Expect(clock).Not.ToHaveTextAsync(await clock.TextContentAsync() ?? "", new() { Timeout = 5_000 });
        await Expect(clock).Not.ToHaveTextAsync(await clock.TextContentAsync() ?? "", new() { Timeout = 5_000 });
        var later = PageExtensions.ClockSeconds(await clock.TextContentAsync() ?? "");

        Assert.InRange(first, 600, 660);
        Assert.InRange(later, first + 2, first + 10);
        await Expect(page.Locator("#sf-hero .sf-period")).ToHaveTextAsync("1st half");
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task The_timeline_shows_incidents_newest_first_and_amends_them_in_place()
    {
        var match = await cluster.CreateMatchAsync("timeline", home: "Riverside United", away: "Eastvale Rovers");
        var goal = await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString());
        await page.ExpectLiveAsync();
        var items = page.Locator("#sf-timeline .sf-incident");
        await Expect(items).ToHaveCountAsync(1);
        await Expect(items.First.Locator(".sf-incident-who")).ToHaveTextAsync("Okafor (Riverside United)");

        var card = new Incident { Id = "yc-1", Type = IncidentTypes.YellowCard, Period = 1, Seconds = 700, Team = TeamSides.Away, Player = "Silva" };
        await cluster.ChangeAsync(match.MatchId, s => s, card);
        await Expect(items).ToHaveCountAsync(2);
        await Expect(items.First).ToHaveAttributeAsync("data-type", "yellow-card");
        await Expect(items.First.Locator(".sf-incident-what")).ToHaveTextAsync("Yellow card");

        // An operator corrects the scorer: the same incident id, amended where it stands.
        await cluster.ChangeAsync(match.MatchId, s => s, goal.Incident! with { Player = "Mensah" });
        await Expect(items.Nth(1).Locator(".sf-incident-who")).ToHaveTextAsync("Mensah (Riverside United)");
        await Expect(items).ToHaveCountAsync(2);
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_dropped_connection_comes_back_on_the_other_hub_and_resumes_with_no_missed_goal()
    {
        var match = await cluster.CreateMatchAsync("resume", home: "Westmoor Town", away: "Harbour City");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString());
        await page.ExpectLiveAsync();
        var home = page.Locator("#sf-hero .sf-home .sf-score");
        await Expect(home).ToHaveTextAsync("0");
        var recoveriesBefore = await RecoveriesAsync(cluster.HubB);

        try
        {
            // The network goes: every connection through the proxy is cut, and new ones are refused.
            cluster.Proxy.Drop();
            await Expect(page.Locator("#sf-conn")).ToHaveAttributeAsync("data-status", new Regex("^(reconnecting|offline)$"));

            // A goal while the fan is away.
            await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");
            await Expect(home).ToHaveTextAsync("0");

            // The network comes back, now to the other hub: the page resumes from its position.
            cluster.Proxy.Restore(cluster.HubB.BaseAddress.Port);
            await page.ExpectLiveAsync();
            await Expect(home).ToHaveTextAsync("1", new() { Timeout = 30_000 });
            await Expect(page.Locator("#sf-timeline .sf-incident[data-type='goal']")).ToHaveCountAsync(1);
            Assert.True(await RecoveriesAsync(cluster.HubB) > recoveriesBefore, "hub B replayed the missed goal from history (not a full snapshot)");

            // And it is live again.
            await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Away, "Berg");
            await Expect(page.Locator("#sf-hero .sf-away .sf-score")).ToHaveTextAsync("1");
            await Expect(page.Locator("#sf-timeline .sf-incident[data-type='goal']")).ToHaveCountAsync(2);
        }
        finally
        {
            cluster.Proxy.Restore(cluster.HubA.BaseAddress.Port);
            await page.CloseAllAsync();
        }
    }

    [Fact]
    public async Task The_match_page_says_how_many_watch_it()
    {
        var match = await cluster.CreateMatchAsync("audience");
        var url = new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString();
        var first = await cluster.NewPageAsync();
        var second = await cluster.NewPageAsync();
        await first.GotoAsync(url);
        await second.GotoAsync(url);

        await Expect(first.Locator("#sf-watching")).ToHaveTextAsync("2 watching");
        await second.CloseAllAsync();
        await Expect(first.Locator("#sf-watching")).ToHaveTextAsync("1 watching");
        await first.CloseAllAsync();
    }

    /// <summary>Matches a hub resumed from history (<c>scorefeed_hub_recoveries_total</c> on its /metrics).</summary>
    private static async Task<double> RecoveriesAsync(AppProcess hub)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var text = await http.GetStringAsync(new Uri(hub.BaseAddress, "/metrics"));
        var match = RecoveriesSeries().Match(text);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^scorefeed_hub_recoveries_total(?:\{[^}]*\})? (\S+)", RegexOptions.Multiline)]
    private static partial Regex RecoveriesSeries();
}
