using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using ScoreFeed.BrowserTests.Infrastructure;

namespace ScoreFeed.BrowserTests;

/// <summary>
/// Goal alerts in Chromium: the site's service worker registers at /sw.js (scope: the whole site, allowed by the CSP),
/// and shows a notification for a push. The push is delivered by the DevTools protocol
/// (<c>ServiceWorker.deliverPushMessage</c>), as a push service would after decrypting nothing: the payload is the
/// sender's JSON (the end-to-end tests prove what the sender encrypts and sends); a click on it opens the match.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AlertsTests(BrowserCluster cluster)
{
    [Fact]
    public async Task The_service_worker_shows_a_notification_for_a_delivered_push()
    {
        var context = await cluster.Browser.NewContextAsync();
        context.SetDefaultTimeout(15_000);
        var origin = cluster.Site.GetLeftPart(UriPartial.Authority);
        await context.GrantPermissionsAsync(["notifications"], new() { Origin = origin });
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        var registrations = new ConcurrentQueue<(string Id, string Scope)>();
        cdp.Event("ServiceWorker.workerRegistrationUpdated").OnEvent += (_, e) =>
        {
            foreach (var r in e!.Value.GetProperty("registrations").EnumerateArray())
            {
                registrations.Enqueue((r.GetProperty("registrationId").GetString()!, r.GetProperty("scopeURL").GetString()!));
            }
        };
        await cdp.SendAsync("ServiceWorker.enable");

        await page.GotoAsync(cluster.Site.ToString());
        var scope = await page.EvaluateAsync<string>("""
            async () => {
              const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
              await navigator.serviceWorker.ready;
              return registration.scope;
            }
            """);
        Assert.Equal(origin + "/", scope);
        await Wait.UntilAsync(() => registrations.Any(r => r.Scope == origin + "/"), TimeSpan.FromSeconds(15), "the registration's id from DevTools");
        var registrationId = registrations.First(r => r.Scope == origin + "/").Id;

        var payload = JsonSerializer.Serialize(new
        {
            kind = "goal", matchId = "m-alert", title = "Goal! Home Town 1–0 Away City", body = "Okafor 23'",
            url = "/matches/m-alert", tag = "m-alert:goal-g1", epoch = "e1", seq = 2,
        });
        JsonElement shown = default;
        await Wait.UntilAsync(async () =>
        {
            // Delivered again until shown: a push that reaches a worker still starting up can be lost (seen once in a
            // full run); the tag makes a repeat replace the notification, never add one.
            await cdp.SendAsync("ServiceWorker.deliverPushMessage", new() { ["origin"] = origin, ["registrationId"] = registrationId, ["data"] = payload });
            await Task.Delay(250);
            shown = await page.EvaluateAsync<JsonElement>("""
                async () => (await (await navigator.serviceWorker.ready).getNotifications())
                  .map(n => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url }))
                """);
            return shown.GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(15), "the notification");
        var notification = Assert.Single(shown.EnumerateArray());
        Assert.Equal("Goal! Home Town 1–0 Away City", notification.GetProperty("title").GetString());
        Assert.Equal("Okafor 23'", notification.GetProperty("body").GetString());
        Assert.Equal("m-alert:goal-g1", notification.GetProperty("tag").GetString());
        Assert.Equal("/matches/m-alert", notification.GetProperty("url").GetString());

        // The fan clicks it: the worker's notificationclick (run with the notification shown; DevTools cannot click
        // one) closes it and takes the open tab to the match.
        await ClickNotificationAsync(origin + "/sw.js");
        await page.WaitForURLAsync(origin + "/matches/m-alert");
        Assert.Equal(0, await page.EvaluateAsync<int>("async () => (await (await navigator.serviceWorker.ready).getNotifications()).length"));

        // The worker is served at a stable URL, revalidated every time.
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(cluster.Site, "/sw.js"));
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Contains("worker-src 'self'", (await http.GetAsync(cluster.Site)).Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        await context.CloseAsync();
        }

    /// <summary>
    /// Runs the worker's notificationclick for the notification it shows, in the worker (Playwright for .NET has no
    /// handle on service workers: the browser's DevTools session attaches to the worker's target and evaluates there).
    /// </summary>
    private async Task ClickNotificationAsync(string workerUrl)
    {
        var browser = await cluster.Browser.NewBrowserCDPSessionAsync();
        var targets = await browser.SendAsync("Target.getTargets");
        var target = targets!.Value.GetProperty("targetInfos").EnumerateArray()
            .First(t => t.GetProperty("type").GetString() == "service_worker" && t.GetProperty("url").GetString() == workerUrl);
        var answers = new ConcurrentQueue<string>();
        browser.Event("Target.receivedMessageFromTarget").OnEvent += (_, e) => answers.Enqueue(e!.Value.GetProperty("message").GetString()!);
        var attached = await browser.SendAsync("Target.attachToTarget", new() { ["targetId"] = target.GetProperty("targetId").GetString()!, ["flatten"] = false });
        var message = JsonSerializer.Serialize(new
        {
            id = 1,
            method = "Runtime.evaluate",
            @params = new
            {
                awaitPromise = true,
                expression = """
                    (async () => {
                      const [notification] = await self.registration.getNotifications();
                      self.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
                      return notification.data.url;
                    })()
                    """,
            },
        });
        await browser.SendAsync("Target.sendMessageToTarget", new() { ["sessionId"] = attached!.Value.GetProperty("sessionId").GetString()!, ["message"] = message });
        await Wait.UntilAsync(() => answers.Any(a => a.Contains("\"id\":1", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the worker's answer");
        Assert.Contains("/matches/m-alert", answers.First(a => a.Contains("\"id\":1", StringComparison.Ordinal)), StringComparison.Ordinal);
        await browser.DetachAsync();
    }
}
