using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Redis;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// Following teams and matches without an account, in Chromium: a star on every card and on the match page, kept in
/// the browser (a cookie the server paints from), followed matches first, and a filter to show only them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FollowTests(BrowserCluster cluster)
{
    [Fact]
    public async Task A_followed_match_moves_first_and_the_next_page_is_painted_with_it()
    {
        var x = await cluster.CreateMatchAsync("followx", home: "Ashford Rovers", away: "Brampton United", competitionId: "follow-cup", homeId: "ash-1", awayId: "bra-1");
        var y = await cluster.CreateMatchAsync("followy", home: "Carlow Town", away: "Dunmore City", competitionId: "follow-cup", homeId: "car-1", awayId: "dun-1");

        var page = await cluster.NewPageAsync();
        await page.GotoAsync(cluster.Site.ToString());
        await page.ExpectLiveAsync();
        var following = page.Locator("#sf-scoreboard .sf-following");
        var competition = page.Locator("#sf-scoreboard .sf-competition[data-competition='follow-cup']");
        await Expect(following).ToBeHiddenAsync();
        var star = page.Card(x.MatchId).Locator(".sf-star");
        await Expect(star).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(star).ToHaveAccessibleNameAsync("Follow Ashford Rovers v Brampton United");

        // From the keyboard: the star is a button.
        await star.FocusAsync();
        await page.Keyboard.PressAsync("Space");

        await Expect(star).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(following).ToBeVisibleAsync();
        await Expect(following.Locator(".sf-card")).ToHaveCountAsync(1);
        await Expect(following.Card(x.MatchId)).ToBeVisibleAsync();
        await Expect(competition.Card(y.MatchId)).ToBeVisibleAsync();
        await Expect(competition.Card(x.MatchId)).ToHaveCountAsync(0);
        // Followed matches come first on the page.
        var firstSection = await page.Locator("#sf-scoreboard .sf-competition:visible").First.GetAttributeAsync("class");
        Assert.Contains("sf-following", firstSection);

        // The next page, painted by the server alone (no scripts), already has it first and starred.
        var painted = await NewPageWithCookiesOfAsync(page, javaScript: false);
        await painted.GotoAsync(cluster.Site.ToString());
        await Expect(painted.Locator("#sf-scoreboard .sf-following").Card(x.MatchId).Locator(".sf-star")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(painted.Locator("#sf-scoreboard .sf-competition[data-competition='follow-cup']").Card(y.MatchId)).ToBeVisibleAsync();
        await painted.CloseAllAsync();

        // Unfollowed: back in its competition, the empty "Following" section gone.
        await star.ClickAsync();
        await Expect(star).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(competition.Card(x.MatchId)).ToBeVisibleAsync();
        await Expect(following).ToBeHiddenAsync();
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_team_followed_on_its_match_page_brings_its_matches_first_and_the_filter_shows_only_those()
    {
        var team = $"fol-{Guid.NewGuid().ToString("N")[..6]}";
        var home = await cluster.CreateMatchAsync("teamh", home: "Eastwick Albion", away: "Fenwick Athletic", competitionId: "team-cup", homeId: team, awayId: "fen-1");
        var other = await cluster.CreateMatchAsync("teamo", home: "Glenford FC", away: "Eastwick Albion", competitionId: "team-cup", homeId: "gle-1", awayId: team);
        var unrelated = await cluster.CreateMatchAsync("teamu", home: "Hartley Town", away: "Irvine Rangers", competitionId: "team-cup", homeId: "har-1", awayId: "irv-1");

        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, $"/matches/{home.MatchId}").ToString());
        await page.ExpectLiveAsync();
        var teamStar = page.Locator($"#sf-hero .sf-star[data-follow='t:{team}']");
        await Expect(teamStar).ToHaveAccessibleNameAsync("Follow Eastwick Albion");
        await teamStar.ClickAsync();
        await Expect(teamStar).ToHaveAttributeAsync("aria-pressed", "true");

        await page.GotoAsync(cluster.Site.ToString());
        await page.ExpectLiveAsync();
        var following = page.Locator("#sf-scoreboard .sf-following");
        await Expect(following.Card(home.MatchId)).ToBeVisibleAsync();
        await Expect(following.Card(other.MatchId)).ToBeVisibleAsync();
        await Expect(page.Card(unrelated.MatchId)).ToBeVisibleAsync();
        // Its matches are followed through the team, not one by one: their own stars stay off.
        await Expect(following.Card(home.MatchId).Locator(".sf-star")).ToHaveAttributeAsync("aria-pressed", "false");

        var only = page.Locator(".sf-filter [data-filter='following']");
        await only.ClickAsync();
        await Expect(only).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Card(unrelated.MatchId)).ToBeHiddenAsync();
        await Expect(following.Card(other.MatchId)).ToBeVisibleAsync();

        // The filter is kept too: the server paints the next page filtered.
        var painted = await NewPageWithCookiesOfAsync(page, javaScript: false);
        await painted.GotoAsync(cluster.Site.ToString());
        await Expect(painted.Card(unrelated.MatchId)).ToBeHiddenAsync();
        await Expect(painted.Card(home.MatchId)).ToBeVisibleAsync();
        await painted.CloseAllAsync();

        // Unfollowing the team from its match page leaves nothing followed: the filtered scoreboard says how to follow.
        await page.GotoAsync(new Uri(cluster.Site, $"/matches/{other.MatchId}").ToString());
        await page.Locator($"#sf-hero .sf-star[data-follow='t:{team}']").ClickAsync();
        await page.GotoAsync(cluster.Site.ToString());
        await Expect(page.Locator(".sf-following-empty")).ToBeVisibleAsync();
        await Expect(page.Card(home.MatchId)).ToBeHiddenAsync();
        await page.Locator(".sf-filter [data-filter='all']").ClickAsync();
        await Expect(page.Card(home.MatchId)).ToBeVisibleAsync();
        await Expect(page.Locator(".sf-following-empty")).ToBeHiddenAsync();
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_followed_match_tells_a_goal_and_its_disallowing_in_a_toast_while_the_page_is_open()
    {
        var match = await cluster.CreateMatchAsync("toast", home: "Lanark Athletic", away: "Moffat Town", competitionId: "toast-cup", homeId: "lan-1", awayId: "mof-1");
        var other = await cluster.CreateMatchAsync("toasto", home: "Nairn County", away: "Oban Saints", competitionId: "toast-cup", homeId: "nai-1", awayId: "oba-1");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(cluster.Site.ToString());
        await page.ExpectLiveAsync();
        await page.Card(match.MatchId).Locator(".sf-star").ClickAsync();
        var toasts = page.Locator(".sf-toasts[role='status'] .sf-toast");

        var goal = await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Pollock");
        await Expect(toasts.Last).ToHaveTextAsync(new Regex(@"^Goal! Lanark Athletic 1–0 Moffat Town\. Pollock \(Lanark Athletic\) \d+'$"));

        // The operator disallows it: the score goes back and the goal's incident is removed.
        await cluster.Publisher.Updater.UpdateAsync(match.MatchId, current => new MatchChange
        {
            State = current! with { Home = current.Home with { Score = 0 }, Incidents = [] },
            Incident = goal.Incident! with { Removed = true },
        }, CancellationToken.None).Within();
        await Expect(toasts.Last).ToHaveTextAsync("Goal disallowed (Lanark Athletic). Lanark Athletic 0–0 Moffat Town");

        // A match nobody here follows scores without a toast.
        await cluster.Publisher.GoalAsync(other.MatchId, TeamSides.Away, "Quinn");
        await Expect(page.Card(other.MatchId).Locator(".sf-away .sf-score")).ToHaveTextAsync("1");
        await Expect(toasts.Filter(new() { HasText = "Oban Saints" })).ToHaveCountAsync(0);
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task Goal_alerts_are_offered_only_once_the_fan_follows_something_and_not_now_is_kept()
    {
        var match = await cluster.CreateMatchAsync("alerts", home: "Rochdale Rovers", away: "Stroud City", competitionId: "alerts-cup", homeId: "roc-1", awayId: "str-1");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(cluster.Site.ToString());
        await page.ExpectLiveAsync();
        var offer = page.Locator(".sf-alerts-prompt");
        await Expect(offer).ToHaveCountAsync(0);

        await page.Card(match.MatchId).Locator(".sf-star").ClickAsync();
        await Expect(offer).ToBeVisibleAsync();
        await Expect(offer.Locator("button.sf-alerts-on")).ToHaveTextAsync("Turn on alerts");

        await offer.Locator("button.sf-alerts-later").ClickAsync();
        await Expect(offer).ToHaveCountAsync(0);
        // Unfollow and follow again: "not now" holds.
        await page.Card(match.MatchId).Locator(".sf-star").ClickAsync();
        await page.Card(match.MatchId).Locator(".sf-star").ClickAsync();
        await Expect(page.Card(match.MatchId).Locator(".sf-star")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(offer).ToHaveCountAsync(0);
        await page.CloseAllAsync();
    }

    private async Task<IPage> NewPageWithCookiesOfAsync(IPage page, bool javaScript)
    {
        var next = await cluster.NewPageAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript });
        await next.Context.AddCookiesAsync((await page.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires, SameSite = c.SameSite,
        }));
        return next;
    }
}
