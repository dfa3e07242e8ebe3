using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests.Infrastructure;

internal static partial class PageExtensions
{
    /// <summary>A match's card on a scoreboard (also inside a widget's open shadow root: Playwright's CSS pierces it).</summary>
    public static ILocator Card(this IPage page, string matchId) => page.Locator($".sf-card[data-match='{matchId}']");

    /// <summary>A match's card inside a part of the page.</summary>
    public static ILocator Card(this ILocator within, string matchId) => within.Locator($".sf-card[data-match='{matchId}']");

    /// <summary>Waits until the page's connection reads live.</summary>
    public static Task ExpectLiveAsync(this IPage page) =>
        Expect(page.Locator("#sf-conn")).ToHaveAttributeAsync("data-status", "live", new() { Timeout = 15_000 });

    /// <summary>Closes the page's context (its connections too).</summary>
    public static Task CloseAllAsync(this IPage page) => page.Context.CloseAsync();

    /// <summary>The seconds a clock shows ("67:05" → 4025).</summary>
    public static int ClockSeconds(string text)
    {
        var match = ClockPattern().Match(text);
        Assert.True(match.Success, $"'{text}' is not a clock");
        return int.Parse(match.Groups[1].Value) * 60 + int.Parse(match.Groups[2].Value);
    }

    [GeneratedRegex(@"^(\d+):(\d\d)$")]
    private static partial Regex ClockPattern();
}
