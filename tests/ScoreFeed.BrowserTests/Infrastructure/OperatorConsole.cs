using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests.Infrastructure;

/// <summary>The operator console as an operator drives it: from the keyboard where it can.</summary>
internal static class OperatorConsole
{
    /// <summary>Opens <paramref name="path"/> (the console) in a fresh context and signs in as <c>operator</c> (Enter submits).</summary>
    public static async Task<IPage> SignInAsync(BrowserCluster cluster, BrowserNewContextOptions? options = null, string path = "/operator")
    {
        var page = await cluster.NewPageAsync(options ?? new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync(new Uri(cluster.Site, path).ToString());
        await page.Locator("#op-user").FillAsync("operator");
        await page.Locator("#op-password").FillAsync(BrowserCluster.OperatorPassword);
        await page.Locator("#op-password").PressAsync("Enter");
        await Expect(page.Locator("#op-console")).ToBeVisibleAsync();
        await Expect(page.Locator("#op-who")).ToHaveTextAsync("operator");
        return page;
    }

    /// <summary>Finds a match with the search box and opens it (Enter opens the first match listed).</summary>
    public static async Task OpenMatchAsync(this IPage page, string matchId, long seq)
    {
        await page.Locator("#op-search").FillAsync(matchId);
        await Expect(page.Locator("#op-matches button")).ToHaveCountAsync(1);
        await page.Locator("#op-search").PressAsync("Enter");
        await Expect(page.Locator("#op-state-seq")).ToHaveTextAsync(seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
