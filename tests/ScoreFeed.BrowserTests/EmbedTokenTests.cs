using System.Text.Json;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using ScoreFeed.Testing;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// The widget with a signed embed token in Chromium, on the demo partner page, for a partner that requires tokens:
/// its tokens live 6 s; the widget fetches fresh ones from the partner's token URL (answered here as the partner's
/// server would, signed with the newer of two secrets: a rotation) and renews them on the hub, so the live stream
/// runs on past every expiry without a reconnect; a forged token gets the refusal shown.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EmbedTokenTests(BrowserCluster cluster)
{
    private const string Widget = "#signed-match";

    private static string Token(int seconds, int secret = 0) =>
        EmbedTokenMinter.Mint(BrowserCluster.SignedKey, BrowserCluster.SignedSecrets[secret], TimeSpan.FromSeconds(seconds));

    /// <summary>Adds a widget of the signed partner to the demo page, recording every connection state it shows.</summary>
    internal static Task AddWidgetAsync(IPage page, string matchId, string token, string? tokenUrl) =>
        page.EvaluateAsync("""
            ([matchId, key, token, tokenUrl]) => {
              const widget = document.createElement('scorefeed-match');
              widget.id = 'signed-match';
              widget.setAttribute('match', matchId);
              widget.setAttribute('key', key);
              widget.setAttribute('token', token);
              if (tokenUrl) widget.setAttribute('token-url', tokenUrl);
              document.querySelector('article').prepend(widget);
              window.sfStates = [];
              const watch = () => {
                const conn = widget.shadowRoot && widget.shadowRoot.querySelector('.sf-conn');
                if (!conn) return setTimeout(watch, 20);
                new MutationObserver(() => window.sfStates.push(conn.dataset.status)).observe(conn, { attributes: true, attributeFilter: ['data-status'] });
              };
              watch();
            }
            """, new object?[] { matchId, BrowserCluster.SignedKey, token, tokenUrl });

    [Fact]
    public async Task The_widget_renews_its_token_before_each_expiry_and_the_live_stream_never_drops()
    {
        var match = await cluster.CreateMatchAsync("signed", home: "Token Town", away: "Renewal Rovers", competitionId: "signed-cup");
        var page = await cluster.NewPageAsync();
        var issued = 0;
        // The partner's server: a fresh token, signed with its newer secret, for its own page's request.
        await page.RouteAsync("**/scorefeed-token", async route =>
        {
            Interlocked.Increment(ref issued);
            await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = JsonSerializer.Serialize(new { token = Token(6) }) });
        });
        await page.GotoAsync($"http://127.0.0.1:{cluster.PartnerSite.Port}/?match={match.MatchId}&competition=signed-cup&key={BrowserCluster.PartnerKey}");
        // The first token, signed with the older secret, still listed.
        await AddWidgetAsync(page, match.MatchId, Token(6, secret: 1), "/scorefeed-token");
        var widget = page.Locator(Widget);
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "live");

        // Past the first token's expiry, and the next one's: each was renewed in time.
        await Task.Delay(TimeSpan.FromSeconds(13));
        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");
        await Expect(widget.Locator(".sf-home .sf-score")).ToHaveTextAsync("1");
        Assert.True(issued >= 2, $"the widget fetched {issued} fresh tokens in 13 s of 6 s tokens");
        var states = await page.EvaluateAsync<string[]>("() => window.sfStates");
        Assert.DoesNotContain("reconnecting", states);
        Assert.DoesNotContain("refused", states);
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "live");
        await page.CloseAllAsync();
    }

    [Fact]
    public async Task A_forged_token_or_none_is_refused_and_the_widget_says_so()
    {
        var match = await cluster.CreateMatchAsync("forged", competitionId: "signed-cup");
        var page = await cluster.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{cluster.PartnerSite.Port}/?match={match.MatchId}&competition=signed-cup&key={BrowserCluster.PartnerKey}");
        await AddWidgetAsync(page, match.MatchId, EmbedTokenMinter.Mint(BrowserCluster.SignedKey, "a-forger-who-guessed-wrong-0123456789", TimeSpan.FromMinutes(5)), null);

        var widget = page.Locator(Widget);
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "refused");
        await Expect(widget.Locator(".sf-conn")).ToHaveTextAsync("This widget is not enabled for this site.");
        Assert.Equal(21.75 * 16, (await widget.BoundingBoxAsync())!.Height, 0.5);
        await page.CloseAllAsync();
    }
}
