using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>The fan scoreboard at <c>/</c> in Chromium: server-rendered first paint, then live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScoreboardTests(BrowserCluster cluster)
{
    [Fact]
    public async Task The_scoreboard_shows_scores_from_the_server_on_first_paint_then_moves_live()
    {
        var match = await cluster.CreateMatchAsync("board", home: "Harbour City", away: "Kingsport Athletic");
        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");

        // Scripts off: what the server painted is all there is, and it already holds the score.
        var painted = await cluster.NewPageAsync(new() { JavaScriptEnabled = false });
        await painted.GotoAsync(cluster.Site.ToString());
        var paintedCard = painted.Card(match.MatchId);
        await Expect(paintedCard.Locator(".sf-home .sf-name")).ToHaveTextAsync("Harbour City");
        await Expect(paintedCard.Locator(".sf-home .sf-score")).ToHaveTextAsync("1");
        await Expect(paintedCard.Locator(".sf-away .sf-score")).ToHaveTextAsync("0");
        await Expect(paintedCard.Locator(".sf-chip")).ToHaveTextAsync("Live");
        await Expect(paintedCard.Locator(".sf-clock")).ToHaveTextAsync(new Regex(@"^\d+:\d\d$"));
        await painted.CloseAllAsync();

        var page = await cluster.NewPageAsync();
        await page.GotoAsync(cluster.Site.ToString());
        await page.ExpectLiveAsync();
        var card = page.Card(match.MatchId);
        await Expect(card.Locator(".sf-home .sf-score")).ToHaveTextAsync("1");

        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Away, "Berg");

        var away = card.Locator(".sf-away .sf-score");
        await Expect(away).ToHaveTextAsync("1");
        await Expect(away).ToHaveClassAsync(new Regex(@"\bsf-flash\b"));
        await Expect(page.Locator("#sf-announcer")).ToHaveTextAsync("Goal for Kingsport Athletic. Harbour City 1, Kingsport Athletic 1.");
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_match_that_starts_after_the_page_loaded_appears_in_its_competition()
    {
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(cluster.Site.ToString());
        await page.ExpectLiveAsync();

        var match = await cluster.CreateMatchAsync("late", home: "Millbrook Wanderers", away: "Castleford Albion", competitionId: "late-cup");

        var section = page.Locator(".sf-competition[data-competition='late-cup']");
        await Expect(section.Locator("h2")).ToHaveTextAsync("Late Cup");
        await Expect(page.Card(match.MatchId).Locator(".sf-away .sf-name")).ToHaveTextAsync("Castleford Albion");
        await page.CloseAllAsync();
    }
}
