using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using ScoreFeed.Testing;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// The partners' usage page: with its key and API secret a partner sees the day's totals, a chart of updates per
/// minute and the minutes' table, or downloads the CSV; a wrong secret gets a clear refusal and nothing else.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UsagePageTests(BrowserCluster cluster)
{
    [Fact]
    public async Task A_partner_sees_its_usage_with_its_secret_and_nobody_else_does()
    {
        // Some usage: one of the signed partner's widgets, live for a goal.
        var match = await cluster.CreateMatchAsync("usage", competitionId: "usage-cup");
        var partnerPage = await cluster.NewPageAsync();
        await partnerPage.GotoAsync($"http://127.0.0.1:{cluster.PartnerSite.Port}/?match={match.MatchId}&competition=usage-cup&key={BrowserCluster.PartnerKey}");
        await EmbedTokenTests.AddWidgetAsync(partnerPage, match.MatchId,
            EmbedTokenMinter.Mint(BrowserCluster.SignedKey, BrowserCluster.SignedSecrets[0], TimeSpan.FromMinutes(10)), tokenUrl: null);
        await Expect(partnerPage.Locator("#signed-match .sf-conn")).ToHaveAttributeAsync("data-status", "live");
        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");
        await Expect(partnerPage.Locator("#signed-match .sf-home .sf-score")).ToHaveTextAsync("1");

        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, "/partners/usage").ToString());
        await page.Locator("#usage-key").FillAsync(BrowserCluster.SignedKey);
        await page.Locator("#usage-secret").FillAsync("not the secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show usage" }).ClickAsync();
        await Expect(page.Locator("#usage-problem")).ToHaveTextAsync("That key and secret do not match a partner with an API secret.");
        await Expect(page.Locator("#usage-minutes")).ToHaveCountAsync(0);

        // The hubs write usage every 2 s: ask until the goal's delivery is in.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await page.Locator("#usage-key").FillAsync(BrowserCluster.SignedKey);
            await page.Locator("#usage-secret").FillAsync(BrowserCluster.SignedApiSecret);
            await page.GetByRole(AriaRole.Button, new() { Name = "Show usage" }).ClickAsync();
            await Expect(page.Locator("#usage-day-title")).ToBeVisibleAsync();
        }
        while (await page.Locator("#usage-minutes tbody tr").CountAsync() == 0 && DateTime.UtcNow < deadline);
        await Expect(page.Locator("#usage-totals")).ToContainTextAsync("opened");
        Assert.True(await page.Locator("#usage-chart rect").CountAsync() >= 1);
        Assert.True(await page.Locator("#usage-minutes tbody tr").CountAsync() >= 1);
        var result = await page.RunAxe();
        Assert.DoesNotContain(result.Violations, v => v.Impact is "serious" or "critical");

        await page.Locator("#usage-secret").FillAsync(BrowserCluster.SignedApiSecret);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("minute,opened,", csv, StringComparison.Ordinal);
        await page.CloseAllAsync();
        await partnerPage.CloseAllAsync();
    }
}
