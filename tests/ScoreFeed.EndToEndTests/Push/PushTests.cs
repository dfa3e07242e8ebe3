using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ScoreFeed.Contract;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Push;

/// <summary>
/// Goal alerts as a fan's device receives them: through the stand-in push service, which verifies each VAPID token
/// and decrypts each body with the device's keys. Two web processes run the sender side by side throughout.
/// </summary>
[Collection(PushCollection.Name)]
public sealed class PushTests(PushSystem system, ITestOutputHelper output) : IDisposable
{
    /// <summary>What the web apps logged (warnings and up), for a failure's sake.</summary>
    public void Dispose()
    {
        output.WriteLine("rejections: " + string.Join("; ", Service.Rejections.TakeLast(5)));
        foreach (var web in new[] { system.WebA, system.WebB })
        {
            output.WriteLine($"--- web :{web.BaseAddress.Port} ---");
            output.WriteLine(string.Join('\n', web.Output.Split('\n').TakeLast(30)));
        }
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private FakePushService Service => system.PushService;

    [Fact]
    public async Task A_fan_following_a_team_gets_goal_red_card_goal_disallowed_and_full_time_once_each_in_order()
    {
        var match = await system.CreateMatchAsync("push-order");
        var teamFan = Service.NewDevice("team-fan-" + match.MatchId);
        var matchFan = Service.NewDevice("match-fan-" + match.MatchId);
        var otherFan = Service.NewDevice("other-fan-" + match.MatchId);
        var germanFan = Service.NewDevice("german-fan-" + match.MatchId);
        await system.SubscribeAsync(teamFan, [$"t:{match.Home.Id}"]);
        await system.SubscribeAsync(germanFan, [$"t:{match.Away.Id}"], lang: "de-AT");
        await system.SubscribeAsync(matchFan, [$"m:{match.MatchId}"], web: system.WebB);
        await system.SubscribeAsync(otherFan, ["t:somebody-else", "m:another-match"]);

        var goal = await system.GoalAsync(match.MatchId);
        await system.RedCardAsync(match.MatchId);
        await system.DisallowAsync(match.MatchId, goal);
        var second = await system.GoalAsync(match.MatchId, TeamSides.Away);
        await system.FinalWhistleAsync(match.MatchId);
        // The same events seen again (a store that re-issues the match, a feed repeating itself) alert nobody again.
        await system.Ingest.TickAsync(match.MatchId);

        string[] expected = ["goal", "red-card", "goal-disallowed", "goal", "full-time"];
        foreach (var fan in new[] { teamFan, matchFan, germanFan })
        {
            await Wait.UntilAsync(() => Service.For(fan.Name).Count >= expected.Length, Patience, $"{fan.Name}'s five alerts");
        }
        // Give a duplicate time to show up behind them: a later alert of another match reaches a control device first.
        await DrainAsync();
        foreach (var fan in new[] { teamFan, matchFan })
        {
            var got = Service.For(fan.Name);
            output.WriteLine($"{fan.Name}: {string.Join(" | ", got.Select(p => $"{p.Kind} seq {p.Seq}: {p.Title} — {p.Payload.GetProperty("body").GetString()}"))}");
            Assert.Equal(expected, got.Select(p => p.Kind));
            Assert.True(got.Select(p => p.Seq).SequenceEqual(got.Select(p => p.Seq).Order()), "alerts in the match's order");
            Assert.All(got, p => Assert.Equal(match.MatchId, p.MatchId));
            Assert.All(got, p => Assert.Equal($"/matches/{match.MatchId}", p.Payload.GetProperty("url").GetString()));
            Assert.Equal("Goal! Home Town 1–0 Away City", got[0].Title);
            Assert.Equal(got[0].Payload.GetProperty("tag").GetString(), got[2].Payload.GetProperty("tag").GetString()); // replaces the goal's notification
            Assert.Equal(second.Seq, got[3].Seq);
            Assert.Equal("high", got[0].Urgency);
            Assert.Equal("60", got[0].Ttl);
        }
        // The fan who subscribed from a German page reads the same alerts, in the same order, in German.
        var german = Service.For(germanFan.Name);
        Assert.Equal(expected, german.Select(p => p.Kind));
        Assert.Equal(["Tor! Home Town 1–0 Away City", "Rote Karte – Away City", "Tor aberkannt – Home Town", "Tor! Home Town 0–1 Away City", "Abpfiff"], german.Select(p => p.Title));
        Assert.Empty(Service.For(otherFan.Name));
        Assert.Empty(Service.Rejections);
    }

    [Fact]
    public async Task A_subscription_whose_push_service_answers_410_is_removed()
    {
        var match = await system.CreateMatchAsync("push-gone");
        var gone = Service.NewDevice("gone-" + match.MatchId);
        gone.Gone = true;
        await system.SubscribeAsync(gone, [$"m:{match.MatchId}"]);
        Assert.True(await system.StoredAsync(gone));

        await system.GoalAsync(match.MatchId);

        await Wait.UntilAsync(async () => !await system.StoredAsync(gone), Patience, "the subscription to be removed after 410");
        Assert.False(await system.Connection.GetDatabase().SetContainsAsync(system.Keys.PushMatch(match.MatchId), PushId(gone)));
    }

    [Fact]
    public async Task Pushes_answered_with_500_and_429_are_retried_and_delivered_exactly_once()
    {
        var match = await system.CreateMatchAsync("push-retry");
        var flaky = Service.NewDevice("flaky-" + match.MatchId);
        flaky.NextFailures.Enqueue(new FakePushService.Failure(500, null));
        flaky.NextFailures.Enqueue(new FakePushService.Failure(429, 1));
        flaky.NextFailures.Enqueue(new FakePushService.Failure(503, null));
        await system.SubscribeAsync(flaky, [$"t:{match.Away.Id}"]);

        await system.GoalAsync(match.MatchId, TeamSides.Away);
        await system.RedCardAsync(match.MatchId);

        await Wait.UntilAsync(() => Service.For(flaky.Name).Count >= 2, Patience, "both alerts after the retries");
        await DrainAsync();
        Assert.Empty(flaky.NextFailures);
        Assert.Equal(["goal", "red-card"], Service.For(flaky.Name).Select(p => p.Kind));
    }

    [Fact]
    public async Task Two_senders_side_by_side_send_each_alert_once_in_order()
    {
        var holder = (string?)await system.Connection.GetDatabase().StringGetAsync(system.Keys.PushSenderLease);
        Assert.NotNull(holder);
        var match = await system.CreateMatchAsync("push-two");
        var fan = Service.NewDevice("fan-" + match.MatchId);
        await system.SubscribeAsync(fan, [$"m:{match.MatchId}"]);
        for (var i = 0; i < 10; i++)
        {
            await system.GoalAsync(match.MatchId, i % 2 == 0 ? TeamSides.Home : TeamSides.Away);
        }
        await Wait.UntilAsync(() => Service.For(fan.Name).Count >= 10, Patience, "ten goal alerts");
        await DrainAsync();
        var got = Service.For(fan.Name);
        Assert.Equal(10, got.Count);
        Assert.Equal(10, got.Select(p => p.Seq).Distinct().Count());
        Assert.True(got.Select(p => p.Seq).SequenceEqual(got.Select(p => p.Seq).Order()));
    }

    [Fact]
    public async Task After_DELETE_a_fan_receives_no_more_alerts()
    {
        var match = await system.CreateMatchAsync("push-delete");
        var fan = Service.NewDevice("leaving-" + match.MatchId);
        await system.SubscribeAsync(fan, [$"m:{match.MatchId}", $"t:{match.Home.Id}"]);
        await system.GoalAsync(match.MatchId);
        await Wait.UntilAsync(() => Service.For(fan.Name).Count >= 1, Patience, "the first alert");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, new Uri(system.WebB.BaseAddress, "/api/v1/push/subscription"))
        {
            Content = JsonContent.Create(new { endpoint = fan.Endpoint }),
        };
        using var response = await system.Http.SendAsync(delete);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await system.StoredAsync(fan));

        await system.GoalAsync(match.MatchId);
        await DrainAsync();
        Assert.Single(Service.For(fan.Name));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{ "follow": ["t:a"] }""", "subscription" },
        { """{ "subscription": { "endpoint": "ftp://push.example/x", "keys": { "p256dh": "BAAA", "auth": "AAAA" } }, "follow": ["t:a"] }""", "subscription.endpoint" },
        { """{ "subscription": { "endpoint": "https://push.example/x", "keys": { "p256dh": "BAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA" } }, "follow": ["t:a"] }""", "subscription.keys.p256dh" },
        { $$"""{ "subscription": { "endpoint": "https://push.example/x", "keys": { "p256dh": "{{ValidP256dh}}", "auth": "AAAA" } }, "follow": ["t:a"] }""", "subscription.keys.auth" },
        { $$"""{ "subscription": { "endpoint": "https://push.example/x", "keys": { "p256dh": "{{ValidP256dh}}", "auth": "AAAAAAAAAAAAAAAAAAAAAA" } }, "follow": ["team:a"] }""", "follow[0]" },
        { $$"""{ "subscription": { "endpoint": "https://push.example/x", "keys": { "p256dh": "{{ValidP256dh}}", "auth": "AAAAAAAAAAAAAAAAAAAAAA" } }, "follow": ["t:bad id"] }""", "follow[0]" },
        { $$"""{ "subscription": { "endpoint": "https://push.example/x", "keys": { "p256dh": "{{ValidP256dh}}", "auth": "AAAAAAAAAAAAAAAAAAAAAA" } }, "follow": [] }""", "follow" },
        { $$"""{ "subscription": { "endpoint": "https://push.example/x", "keys": { "p256dh": "{{ValidP256dh}}", "auth": "AAAAAAAAAAAAAAAAAAAAAA" } }, "follow": [{{string.Join(',', Enumerable.Range(0, 51).Select(i => $"\"t:x{i}\""))}}] }""", "follow" },
        { """{ "subscription": { "endpoint": "https://push.example/x" }, "follow": ["t:a"], "extra": 1 }""", "extra" },
        { """{ "subscription": """, "not valid JSON" },
    };

    private static string ValidP256dh { get; } = FakeKey();

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_subscription_is_refused_with_a_400_naming_the_field(string body, string field)
    {
        using var response = await PutAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine(text);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains(field, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_refuses_cross_site_requests_non_json_and_large_bodies_and_serves_the_key()
    {
        using (var crossSite = await PutAsync("{}", origin: "https://evil.example"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        }
        using (var form = await PutAsync("subscription=x", contentType: "application/x-www-form-urlencoded"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        }
        using (var large = await PutAsync("{\"follow\": [\"" + new string('a', 9000) + "\"]}"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        }
        using (var sameSite = await PutAsync("{}", origin: system.WebA.BaseAddress.GetLeftPart(UriPartial.Authority)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, sameSite.StatusCode); // past the origin check, to validation
        }
        var key = await system.Http.GetFromJsonAsync<JsonElement>(new Uri(system.WebA.BaseAddress, "/api/v1/push/key"));
        Assert.Equal(system.PublicKey, key.GetProperty("publicKey").GetString());
    }

    private async Task<HttpResponseMessage> PutAsync(string body, string? origin = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(system.WebA.BaseAddress, "/api/v1/push/subscription"))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return await system.Http.SendAsync(request);
    }

    /// <summary>
    /// Waits until everything sent before now has been delivered: a goal of a fresh match reaches a control device.
    /// The sender works per match in parallel, so this is a bound in time, not a proof; the dedupe keys are the proof.
    /// </summary>
    private async Task DrainAsync()
    {
        var match = await system.CreateMatchAsync("push-drain");
        var control = Service.NewDevice("control-" + match.MatchId);
        await system.SubscribeAsync(control, [$"m:{match.MatchId}"]);
        await system.GoalAsync(match.MatchId);
        await system.Ingest.TickAsync(match.MatchId);
        await Wait.UntilAsync(() => Service.For(control.Name).Count >= 1, Patience, "the control device's alert");
        await Task.Delay(300); // and a little time for a straggler of another match's queue
    }

    private static string PushId(FakePushService.Device device) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(device.Endpoint)))[..32];

    private static string FakeKey()
    {
        using var key = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var q = key.ExportParameters(false).Q;
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([0x04, .. q.X!, .. q.Y!]);
    }
}
