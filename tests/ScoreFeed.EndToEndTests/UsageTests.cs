using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Testing;
using HubClient = ScoreFeed.EndToEndTests.AccessTests.Client;

namespace ScoreFeed.EndToEndTests;

/// <summary>
/// Usage metering against a known load on a real hub: 3 connections of the partner's pages, 2 refused (a forged token,
/// a page of another origin), one that is not the partner's (the key without an Origin), 5 updates to the match the 3
/// follow; the usage endpoint (JSON and CSV) and the Prometheus counters report exactly that.
/// </summary>
public sealed class UsageTests(EmbedTokenTests.Cluster cluster) : IClassFixture<EmbedTokenTests.Cluster>
{
    internal const string Partner = "metered";
    internal const string Origin = "https://metered.partner.test";
    private const int Readers = 3;
    private const int Updates = 5;

    [Fact]
    public async Task The_usage_endpoint_and_the_metrics_count_what_the_partner_used()
    {
        var match = await cluster.Publisher.CreateMatchAsync("metered-1");
        var readers = new List<HubClient>();
        try
        {
            for (var i = 0; i < Readers; i++)
            {
                var reader = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin);
                var result = await reader.Connection.InvokeAsync<SubscribeResult>("Subscribe", new SubscribeRequest { Topics = [Topic.ForMatch(match.MatchId).Name] }).Within();
                Assert.Empty(result.Rejected);
                readers.Add(reader);
            }
            var received = 0;
            readers.ForEach(r => r.Connection.On<MatchUpdate>(ClientMethods.Update, _ => Interlocked.Increment(ref received)));
            await using (var forged = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin, EmbedTokenMinter.Mint(Partner, "a-forger-who-guessed-wrong-012345678", TimeSpan.FromMinutes(5))))
            await using (var elsewhere = await HubClient.ConnectAsync(cluster.Hub, Partner, "https://elsewhere.test"))
            {
                Assert.Contains(ConnectionRefusal.TokenInvalid, await forged.RefusalAsync());
                Assert.Contains(ConnectionRefusal.OriginNotAllowed, await elsewhere.RefusalAsync());
            }
            // Not the partner's: a client with the key and no Origin (uncounted), and one of another key.
            await using (var script = await HubClient.ConnectAsync(cluster.Hub, Partner))
            {
                Assert.Null(await script.RefusalAsync());
            }

            for (var i = 0; i < Updates; i++)
            {
                await cluster.Publisher.GoalAsync(match.MatchId, TeamSides.Home, $"Scorer {i}");
            }
            await Wait.UntilAsync(() => Volatile.Read(ref received) == Readers * Updates, TimeSpan.FromSeconds(20), "every reader's updates");

            // Flushed every 2 s: wait until the day's totals hold the load.
            JsonElement day = default;
            await Wait.UntilAsync(async () =>
            {
                day = await UsageAsync("json");
                return Total(day, "updates") == Readers * Updates;
            }, TimeSpan.FromSeconds(20), "the usage of the updates");
            Assert.Equal(Readers, Total(day, "opened"));
            Assert.Equal(1, Total(day, "refused", ConnectionRefusal.TokenInvalid));
            Assert.Equal(1, Total(day, "refused", ConnectionRefusal.OriginNotAllowed));
            Assert.Equal(0, Total(day, "refused", ConnectionRefusal.OverLimit));
            var bytes = Total(day, "bytes");
            // Every reader got the same JSON frames: the bytes are three times one copy of them, each a real update.
            Assert.Equal(0, bytes % Readers);
            Assert.InRange(bytes / (Readers * Updates), 200, 4_000);
            Assert.True(day.GetProperty("minutes").EnumerateArray().Max(m => m.GetProperty("peak").GetInt64()) >= Readers);

            var csv = (await RawAsync("csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("minute,opened,refused_origin_not_allowed,refused_over_limit,refused_token_required,refused_token_invalid,peak,updates,bytes", csv[0]);
            Assert.Equal(Readers * Updates, csv.Skip(1).Sum(line => long.Parse(line.Split(',')[7])));

            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(new Uri(cluster.Hub.BaseAddress, "/metrics"));
            Assert.Equal(Readers * Updates, Prometheus.Sum(metrics, "scorefeed_hub_partner_updates_total", $"partner=\"{Partner}\""));
            Assert.Equal(Readers, Prometheus.Sum(metrics, "scorefeed_hub_partner_connections_total", $"partner=\"{Partner}\"", "outcome=\"opened\""));
            Assert.Equal(bytes, Prometheus.Sum(metrics, "scorefeed_hub_partner_bytes_total", $"partner=\"{Partner}\""));
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Usage_is_the_partners_alone_to_read()
    {
        using var http = new HttpClient();
        var url = new Uri(cluster.Hub.BaseAddress, $"/api/v1/partners/{Partner}/usage");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(url)).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, url);
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(http, $"{url}?day=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(http, $"{url}?format=xml")).StatusCode);
        using var empty = await SendAsync(http, $"{url}?day=2020-01-01");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Empty(JsonDocument.Parse(await empty.Content.ReadAsStringAsync()).RootElement.GetProperty("minutes").EnumerateArray());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EmbedTokenTests.ApiSecret);
        return http.SendAsync(request);
    }

    private async Task<string> RawAsync(string format)
    {
        using var http = new HttpClient();
        using var response = await SendAsync(http, $"{new Uri(cluster.Hub.BaseAddress, $"/api/v1/partners/{Partner}/usage")}?format={format}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<JsonElement> UsageAsync(string format) => JsonDocument.Parse(await RawAsync(format)).RootElement.Clone();

    private static long Total(JsonElement day, string what, string? reason = null) => day.GetProperty("minutes").EnumerateArray()
        .Sum(m => reason is null ? m.GetProperty(what).GetInt64() : m.GetProperty(what).GetProperty(reason).GetInt64());
}
