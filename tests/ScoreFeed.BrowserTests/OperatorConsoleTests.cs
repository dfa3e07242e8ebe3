using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;
using ScoreFeed.Contract;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// The operator console (/operator) against a real ingest with the operator API: sign in, correct a score that fans
/// in another browser context see at once, a stale form's conflict, the audit and undo, pins beside the feed's values.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OperatorConsoleTests(BrowserCluster cluster)
{
    [Fact]
    public async Task An_operator_corrects_a_score_and_a_fan_page_in_another_context_shows_it_without_reloading()
    {
        var match = await cluster.CreateMatchAsync("console", home: "Northgate Rovers", away: "Southend Lions");
        var fan = await cluster.NewPageAsync();
        await fan.GotoAsync(new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString());
        await fan.ExpectLiveAsync();
        var home = fan.Locator("#sf-hero .sf-home .sf-score");
        await Expect(home).ToHaveTextAsync("0");
        await fan.EvaluateAsync("() => { window.sfNotReloaded = true; }");

        var console = await OperatorConsole.SignInAsync(cluster);
        await console.OpenMatchAsync(match.MatchId, match.Seq);
        await console.Locator("#op-home").FillAsync("2");
        await console.Locator("#op-reason").FillAsync("second goal missed by the feed");
        await console.Locator("#op-reason").PressAsync("Enter");

        await Expect(console.Locator("#op-result")).ToContainTextAsync($"Correction applied: the match is at seq {match.Seq + 1}");
        await Expect(home).ToHaveTextAsync("2");
        Assert.True(await fan.EvaluateAsync<bool>("() => window.sfNotReloaded === true"), "the fan page was not reloaded");
        await Expect(console.Locator("#op-state-score")).ToHaveTextAsync("Northgate Rovers 2–0 Southend Lions");

        // The pin, with what the feed says beside it, and the audit: who, why, before → after.
        var pin = console.Locator(".op-pin[data-field='home']");
        await Expect(pin.Locator(".op-pin-value")).ToHaveTextAsync("pinned: 2");
        await Expect(pin.Locator(".op-pin-feed")).ToHaveTextAsync("feed says: 0");
        var entry = console.Locator(".op-entry[data-action='correction']");
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry.Locator(".op-entry-head")).ToContainTextAsync("Correction by operator");
        await Expect(entry.Locator(".op-entry-reason")).ToHaveTextAsync("Reason: second goal missed by the feed");
        await Expect(entry.Locator(".op-entry-changes")).ToHaveTextAsync("home score: 0 → 2");

        // Releasing the pin gives the field back to the feed, for fans too.
        await pin.Locator("button").ClickAsync();
        await Expect(console.Locator("#op-result")).ToContainTextAsync("Released home score");
        await Expect(home).ToHaveTextAsync("0");
        await Expect(console.Locator(".op-pin")).ToHaveCountAsync(0);

        // Signing out forgets the token: a reload shows the sign-in form.
        await console.Locator("#op-signout").ClickAsync();
        await Expect(console.Locator("#op-signin")).ToBeVisibleAsync();
        Assert.Equal(0, await console.EvaluateAsync<int>("() => sessionStorage.length"));
        await console.ReloadAsync();
        await Expect(console.Locator("#op-signin")).ToBeVisibleAsync();
        Assert.Empty(await console.Context.CookiesAsync());
        await fan.CloseAllAsync();
        await console.CloseAllAsync();
    }

    [Fact]
    public async Task An_operator_corrects_a_tennis_game_and_the_server_and_fans_see_it()
    {
        var match = await cluster.CreateTennisMatchAsync("console-tennis");
        var fan = await cluster.NewPageAsync();
        await fan.GotoAsync(new Uri(cluster.Site, $"/matches/{match.MatchId}").ToString());
        await fan.ExpectLiveAsync();
        var homeRow = fan.Locator(".sf-lines tbody tr[data-side='home']");
        await Expect(homeRow.Locator("td")).ToHaveTextAsync(["7", "4", "30"]);

        var console = await OperatorConsole.SignInAsync(cluster);
        await console.OpenMatchAsync(match.MatchId, match.Seq);
        // Tennis's own fields, filled from the match: points as counts, the current set's games, the server.
        await Expect(console.Locator("#op-tennis")).ToBeVisibleAsync();
        await Expect(console.Locator("#op-points-home")).ToHaveValueAsync("2");
        await Expect(console.Locator("#op-games-away")).ToHaveValueAsync("3");
        await Expect(console.Locator("#op-server")).ToHaveValueAsync("away");
        await console.Locator("#op-points-home").FillAsync("4");
        await console.Locator("#op-games-away").FillAsync("4");
        await console.Locator("#op-server").SelectOptionAsync("home");
        await console.Locator("#op-reason").FillAsync("umpire's call");
        await console.Locator("#op-reason").PressAsync("Enter");

        await Expect(console.Locator("#op-result")).ToContainTextAsync($"Correction applied: the match is at seq {match.Seq + 1}");
        await Expect(homeRow.Locator("td")).ToHaveTextAsync(["7", "4", "AD"]);
        await Expect(fan.Locator(".sf-lines tbody tr[data-side='away'] td")).ToHaveTextAsync(["64", "4", "40"]);
        await Expect(homeRow.Locator(".sf-serve")).ToHaveCountAsync(1);
        await Expect(console.Locator(".op-pin[data-field='server'] .op-pin-value")).ToHaveTextAsync("pinned: home");
        await Expect(console.Locator(".op-pin[data-field='points'] .op-pin-value")).ToHaveTextAsync("pinned: 4–3");

        // A football match has no tennis fields.
        var football = await cluster.CreateMatchAsync("console-football");
        await console.OpenMatchAsync(football.MatchId, football.Seq);
        await Expect(console.Locator("#op-tennis")).ToBeHiddenAsync();
        await fan.CloseAllAsync();
        await console.CloseAllAsync();
    }

    [Fact]
    public async Task A_stale_form_shows_the_conflict_the_operator_re_applies_and_undoes_it_from_the_audit()
    {
        var match = await cluster.CreateMatchAsync("conflict", home: "Eastfield United", away: "Westbay Athletic");
        var console = await OperatorConsole.SignInAsync(cluster);
        await console.OpenMatchAsync(match.MatchId, match.Seq);
        await console.Locator("#op-away").FillAsync("3");
        await console.Locator("#op-reason").FillAsync("away hat-trick");

        // Meanwhile the feed changes the match: the page shows it live, the form keeps what the operator decided on.
        var fed = await cluster.ChangeAsync(match.MatchId, s => s with { Period = 2 });
        await Expect(console.Locator("#op-state-seq")).ToHaveTextAsync(fed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(console.Locator("#op-base")).ToContainTextAsync($"seq {match.Seq}");
        await console.Locator("#op-reason").PressAsync("Enter");

        var conflict = console.Locator("#op-conflict");
        await Expect(conflict).ToBeVisibleAsync();
        await Expect(conflict).ToContainTextAsync("Someone else changed this match");
        await Expect(conflict).ToContainTextAsync($"from seq {match.Seq} to seq {fed}");
        await Expect(console.Locator("#op-state-score")).ToHaveTextAsync("Eastfield United 0–0 Westbay Athletic");

        // Re-applied on the current state (focus is on the button: Enter presses it).
        await Expect(conflict.GetByRole(AriaRole.Button, new() { Name = $"Re-apply my correction on seq {fed}" })).ToBeFocusedAsync();
        await console.Keyboard.PressAsync("Enter");
        await Expect(console.Locator("#op-result")).ToContainTextAsync("Correction applied");
        await Expect(console.Locator("#op-state-score")).ToHaveTextAsync("Eastfield United 0–3 Westbay Athletic");
        await Expect(conflict).ToBeHiddenAsync();

        // Undo from the audit, with a reason.
        var entry = console.Locator(".op-entry[data-action='correction']");
        await Expect(entry.Locator(".op-entry-changes")).ToHaveTextAsync("away score: 0 → 3");
        await entry.Locator(".op-undo").ClickAsync();
        await Expect(entry.Locator(".op-undo-form input")).ToBeFocusedAsync();
        await console.Keyboard.TypeAsync("hat-trick was a mistake");
        await console.Keyboard.PressAsync("Enter");
        await Expect(console.Locator("#op-result")).ToContainTextAsync("Undone");
        await Expect(console.Locator("#op-state-score")).ToHaveTextAsync("Eastfield United 0–0 Westbay Athletic");
        var undo = console.Locator(".op-entry[data-action='undo']");
        await Expect(undo).ToHaveCountAsync(1);
        await Expect(undo.Locator(".op-entry-reason")).ToHaveTextAsync("Reason: hat-trick was a mistake");
        await Expect(undo.Locator(".op-entry-changes")).ToHaveTextAsync("away score: 3 → 0");
        await console.CloseAllAsync();
    }

    [Fact]
    public async Task Without_a_valid_token_the_console_sends_the_operator_back_to_sign_in()
    {
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Site, "/operator").ToString());
        await page.Locator("#op-user").FillAsync("operator");
        await page.Locator("#op-password").FillAsync("not the password");
        await page.Locator("#op-password").PressAsync("Enter");
        await Expect(page.Locator("#op-signin-message")).ToHaveTextAsync(new Regex("."));
        await Expect(page.Locator("#op-console")).ToBeHiddenAsync();
        await page.CloseAllAsync();

        // A token the server does not accept (expired, revoked, forged): the first call answers 401.
        var match = await cluster.CreateMatchAsync("expired");
        var console = await OperatorConsole.SignInAsync(cluster);
        await console.EvaluateAsync("""
            () => {
              const session = JSON.parse(sessionStorage.getItem('sf-operator-session'));
              session.token = session.token.slice(0, -4) + 'AAAA';
              sessionStorage.setItem('sf-operator-session', JSON.stringify(session));
            }
            """);
        await console.ReloadAsync();
        await Expect(console.Locator("#op-console")).ToBeVisibleAsync();
        await console.Locator("#op-search").FillAsync(match.MatchId);
        await console.Locator("#op-search").PressAsync("Enter");
        await Expect(console.Locator("#op-signin")).ToBeVisibleAsync();
        await Expect(console.Locator("#op-signin-message")).ToHaveTextAsync("Your session has ended. Please sign in again.");
        await console.CloseAllAsync();
    }

    [Fact]
    public async Task Only_the_console_may_connect_to_ingest_and_it_is_neither_cached_nor_indexed()
    {
        var page = await cluster.NewPageAsync();
        var ingest = cluster.Ingest.BaseAddress.GetLeftPart(UriPartial.Authority);

        var console = await page.GotoAsync(new Uri(cluster.Site, "/operator").ToString());
        var consoleHeaders = await console!.AllHeadersAsync();
        var fan = await page.GotoAsync(cluster.Site.ToString());
        var fanHeaders = await fan!.AllHeadersAsync();

        Assert.Matches($"connect-src [^;]*{Regex.Escape(ingest)}[ ;]", consoleHeaders["content-security-policy"]);
        Assert.Equal("no-store", consoleHeaders["cache-control"]);
        Assert.DoesNotContain(ingest, fanHeaders["content-security-policy"]);
        await page.GoBackAsync();
        await Expect(page.Locator("meta[name='robots']")).ToHaveAttributeAsync("content", "noindex, nofollow");
        await page.CloseAllAsync();
    }

    [Theory]
    [InlineData(1280, ColorScheme.Light)]
    [InlineData(1280, ColorScheme.Dark)]
    [InlineData(800, ColorScheme.Light)]
    public async Task Axe_finds_no_serious_or_critical_violation_and_the_console_fits_the_screen(int width, ColorScheme scheme)
    {
        var match = await cluster.CreateMatchAsync("a11y-op", home: "Coast Breakers", away: "Bay Hawks");
        await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, "Okafor");
        var console = await OperatorConsole.SignInAsync(cluster, new() { ViewportSize = new() { Width = width, Height = 900 }, ColorScheme = scheme });
        await console.OpenMatchAsync(match.MatchId, match.Seq + 1);
        await console.Locator("#op-away").FillAsync("1");
        await console.Locator("#op-reason").FillAsync("equaliser");
        await console.Locator("#op-reason").PressAsync("Enter");
        await Expect(console.Locator(".op-entry")).ToHaveCountAsync(1);
        await Expect(console.Locator(".op-pin")).ToHaveCountAsync(1);

        var result = await console.RunAxe();

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => $"{n.Target} {n.Html}"))}")));
        Assert.Equal(0, await console.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await console.CloseAllAsync();
    }
}
