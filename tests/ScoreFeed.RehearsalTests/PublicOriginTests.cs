using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ScoreFeed.RehearsalTests;

/// <summary>What fans, partners, operators and a foreign site see of the rehearsal, in Chromium, through nginx only.</summary>
[Collection(RehearsalCollection.Name)]
public sealed class PublicOriginTests(Rehearsal rehearsal, ITestOutputHelper output) : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--host-resolver-rules=MAP {Rehearsal.PublicName} 127.0.0.1, MAP {Rehearsal.PartnerName} 127.0.0.1, MAP {Rehearsal.EvilName} 127.0.0.1",
                "--ignore-certificate-errors",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        var context = await _browser.NewContextAsync(new() { JavaScriptEnabled = javaScript, IgnoreHTTPSErrors = true });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>A live match of the simulator, from the read API through nginx.</summary>
    private async Task<(string MatchId, long Seq, int Home)> LiveMatchAsync(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var live = (await rehearsal.MatchesAsync(http)).FirstOrDefault(m => m.GetProperty("status").GetString() is "live" or "halftime" && m.GetProperty("sport").GetString() == "football");
            if (live.ValueKind == JsonValueKind.Object)
            {
                return (live.GetProperty("matchId").GetString()!, live.GetProperty("seq").GetInt64(), live.GetProperty("home").GetProperty("score").GetInt32());
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "no live football match within 60 s");
            await Task.Delay(1000);
        }
    }

    private Task<string> TokenAsync(HttpClient http) => rehearsal.TokenAsync(http);

    [Fact]
    public async Task A_fan_gets_the_server_rendered_scoreboard_then_live_updates_without_reloading()
    {
        using var http = rehearsal.CreateHttpClient();
        var (matchId, seq, home) = await LiveMatchAsync(http);

        var painted = await NewPageAsync(javaScript: false);
        var response = await painted.GotoAsync(rehearsal.PublicBaseUrl.ToString());
        Assert.Equal(200, response!.Status);
        await Expect(painted.Locator($".sf-card[data-match='{matchId}']")).ToHaveCountAsync(1);
        var cards = await painted.Locator(".sf-card").CountAsync();

        var fan = await NewPageAsync();
        await fan.GotoAsync(rehearsal.PublicBaseUrl.ToString());
        await Expect(fan.Locator("#sf-conn")).ToHaveAttributeAsync("data-status", "live");
        await fan.EvaluateAsync("() => { window.sfNotReloaded = true; }");

        // A change through the operator API (nginx → ingest), shown on the fan's page without a reload.
        var token = await TokenAsync(http);
        var score = home + 5;
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/matches/{Uri.EscapeDataString(matchId)}/corrections")
        {
            Content = JsonContent.Create(new { home = score, reason = "rehearsal: live update" }),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var corrected = await http.SendAsync(request);
        Assert.True(corrected.IsSuccessStatusCode, await corrected.Content.ReadAsStringAsync());
        await Expect(fan.Locator($".sf-card[data-match='{matchId}'] .sf-home .sf-score")).ToHaveTextAsync(score.ToString());
        Assert.True(await fan.EvaluateAsync<bool>("() => window.sfNotReloaded === true"));
        output.WriteLine($"server-rendered scoreboard: {cards} cards (JavaScript off); live page: {matchId} home score {home} → {score} shown {watch.Elapsed.TotalSeconds:F2} s after the correction was posted, no reload");
        await ReleaseAsync(http, token, matchId);
    }

    [Fact]
    public async Task A_partner_page_gets_the_widget_and_the_iframe_with_live_data()
    {
        var page = await NewPageAsync();
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(rehearsal.PartnerBaseUrl.ToString());
        var widget = page.Locator("#demo-match");
        await Expect(widget.Locator(".sf-conn")).ToHaveAttributeAsync("data-status", "live");
        await Expect(widget.Locator(".sf-home .sf-score")).ToBeVisibleAsync();
        var iframe = page.FrameLocator("#demo-iframe");
        await Expect(iframe.Locator("#sf-conn")).ToHaveAttributeAsync("data-status", "live");
        output.WriteLine($"https://{Rehearsal.PartnerName}/: widget and iframe live {watch.Elapsed.TotalSeconds:F2} s after navigation; widget score {await widget.Locator(".sf-home .sf-score").TextContentAsync()}");
    }

    [Fact]
    public async Task An_operator_signs_in_on_the_console_corrects_a_score_and_a_fan_page_shows_it()
    {
        using var http = rehearsal.CreateHttpClient();
        var (matchId, _, home) = await LiveMatchAsync(http);
        var fan = await NewPageAsync();
        await fan.GotoAsync(new Uri(rehearsal.PublicBaseUrl, $"/matches/{matchId}").ToString());
        await Expect(fan.Locator("#sf-conn")).ToHaveAttributeAsync("data-status", "live");

        var console = await NewPageAsync();
        await console.SetViewportSizeAsync(1280, 900);
        await console.GotoAsync(new Uri(rehearsal.PublicBaseUrl, "/operator").ToString());
        await console.Locator("#op-user").FillAsync("rehearsal");
        await console.Locator("#op-password").FillAsync(rehearsal.OperatorPassword);
        await console.Locator("#op-password").PressAsync("Enter");
        await Expect(console.Locator("#op-who")).ToHaveTextAsync("rehearsal");
        await console.Locator("#op-search").FillAsync(matchId);
        await Expect(console.Locator("#op-matches button")).ToHaveCountAsync(1);
        await console.Locator("#op-search").PressAsync("Enter");
        await Expect(console.Locator("#op-state-seq")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        var score = home + 7;
        var watch = Stopwatch.StartNew();
        await console.Locator("#op-home").FillAsync(score.ToString());
        await console.Locator("#op-reason").FillAsync("rehearsal: operator console through nginx");
        await console.Locator("#op-reason").PressAsync("Enter");
        // The simulator plays this match: when it moved between filling the form and submitting, the console answers
        // with its conflict box (409, nothing applied) and the operator re-applies on the new seq, as it offers. (That
        // was the "answer never came" of earlier full runs: the result line is not where a conflict shows.)
        var reapplied = 0;
        while (!((await console.Locator("#op-result").TextContentAsync()) ?? "").Contains("Correction applied", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"no 'Correction applied' within 20 s ({reapplied} re-applied after a conflict)");
            var reapply = console.Locator("#op-conflict:not([hidden]) button.op-primary");
            if (await reapply.CountAsync() > 0)
            {
                await reapply.ClickAsync();
                reapplied++;
            }
            await Task.Delay(100);
        }
        await Expect(fan.Locator("#sf-hero .sf-home .sf-score")).ToHaveTextAsync(score.ToString());
        output.WriteLine($"operator 'rehearsal' corrected {matchId} to home {score} on https://{Rehearsal.PublicName}/operator ({reapplied} re-applied after a conflict); the fan's match page showed it {watch.Elapsed.TotalSeconds:F2} s after submitting");
        await ReleaseAsync(http, await TokenAsync(http), matchId);
    }

    [Fact]
    public async Task The_public_origin_serves_no_metrics_and_no_health_endpoints()
    {
        using var http = rehearsal.CreateHttpClient();
        foreach (var path in new[] { "metrics", "health/ready", "health/live" })
        {
            using var response = await http.GetAsync(path);
            output.WriteLine($"https://{Rehearsal.PublicName}/{path}: {(int)response.StatusCode}");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }
        // Each app still serves them on its own port, for Prometheus and the probes.
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.True((await direct.GetAsync($"http://127.0.0.1:{Rehearsal.HubPorts[0]}/metrics")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_page_on_an_origin_that_is_not_allowed_is_refused_by_the_hubs()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(rehearsal.EvilBaseUrl.ToString());
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-done", "true");
        var noKey = await page.Locator("#no-key").GetAttributeAsync("data-outcome");
        var demoKey = await page.Locator("#demo-key").GetAttributeAsync("data-outcome");
        output.WriteLine($"https://{Rehearsal.EvilName}/ connecting to wss://{Rehearsal.PublicName}/hubs/scores: {await page.Locator("#no-key").InnerTextAsync()}; {await page.Locator("#demo-key").InnerTextAsync()}");
        Assert.Equal("refused", noKey);
        Assert.Equal("refused", demoKey);
    }

    /// <summary>Gives the corrected fields back to the simulator.</summary>
    private static async Task ReleaseAsync(HttpClient http, string token, string matchId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/matches/{Uri.EscapeDataString(matchId)}/pins");
        request.Headers.Authorization = new("Bearer", token);
        using var _ = await http.SendAsync(request);
    }
}
