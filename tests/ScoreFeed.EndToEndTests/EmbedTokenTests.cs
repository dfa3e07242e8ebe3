using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using ScoreFeed.Testing;
using HubClient = ScoreFeed.EndToEndTests.AccessTests.Client;

namespace ScoreFeed.EndToEndTests;

/// <summary>
/// Signed embed tokens against a real hub and redis-server: a partner that requires them admits nobody without one;
/// forged, expired and foreign tokens are refused saying why; the token endpoint issues them for the API secret only;
/// a token's topics bound what its connection may join; a connection whose token runs out is closed unless renewed;
/// a token connection without an Origin is the partner's reader and counts against its limit.
/// </summary>
public sealed class EmbedTokenTests(EmbedTokenTests.Cluster cluster) : IClassFixture<EmbedTokenTests.Cluster>
{
    private const string Partner = "signed";
    private const string Origin = "https://signed.partner.test";
    private const string OldSecret = "the-old-secret-of-signed-partner-000";
    internal const string NewSecret = "the-new-secret-of-signed-partner-111";
    internal const string ApiSecret = "the-api-secret-of-signed-partner-222";
    private const int Limit = 3;

    private static string Token(TimeSpan lifetime, string secret = NewSecret, string[]? topics = null, DateTimeOffset? now = null) =>
        EmbedTokenMinter.Mint(Partner, secret, lifetime, topics, now);

    [Fact]
    public async Task Without_a_valid_token_the_partner_key_admits_nobody_and_the_refusal_says_why()
    {
        await using var none = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin);
        await using var forged = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin, Token(TimeSpan.FromMinutes(5), secret: "a-forger-who-guessed-wrong-012345678"));
        await using var expired = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin, Token(TimeSpan.FromMinutes(5), now: DateTimeOffset.UtcNow.AddHours(-1)));
        await using var foreign = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin, EmbedTokenMinter.Mint("other", NewSecret, TimeSpan.FromMinutes(5)));
        await using var retired = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin, Token(TimeSpan.FromMinutes(5), secret: OldSecret));
        await using var current = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin, Token(TimeSpan.FromMinutes(5)));

        Assert.Contains(ConnectionRefusal.Prefix + ConnectionRefusal.TokenRequired, await none.RefusalAsync());
        Assert.Contains("signature", await forged.RefusalAsync());
        Assert.Contains("expired", await expired.RefusalAsync());
        Assert.Contains("another partner", await foreign.RefusalAsync());
        // Rotation: the old secret still signs valid tokens while it is listed (it is, second).
        Assert.Null(await retired.RefusalAsync());
        Assert.Null(await current.RefusalAsync());
    }

    [Fact]
    public async Task The_token_endpoint_issues_for_the_api_secret_only_and_its_tokens_bound_the_topics()
    {
        var match = await cluster.Publisher.CreateMatchAsync("tok-a");
        var other = await cluster.Publisher.CreateMatchAsync("tok-b");
        using var http = new HttpClient();
        var url = new Uri(cluster.Hub.BaseAddress, $"/api/v1/partners/{Partner}/tokens");
        async Task<HttpResponseMessage> AskAsync(string secret, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            return await http.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await AskAsync("not-the-secret", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AskAsync(ApiSecret, new { lifetimeSeconds = 86_400 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AskAsync(ApiSecret, new { topics = new[] { "everything" } })).StatusCode);
        // A body without a length (chunked) is read only up to the limit, then refused.
        using (var huge = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StreamContent(new MemoryStream(new byte[1024 * 1024])) })
        {
            huge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiSecret);
            huge.Headers.TransferEncodingChunked = true;
            huge.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(huge)).StatusCode);
        }
        using var answer = await AskAsync(ApiSecret, new { topics = new[] { Topic.ForMatch(match.MatchId).Name }, lifetimeSeconds = 600 });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var issued = (await answer.Content.ReadFromJsonAsync<EmbedTokenResponse>())!;
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(issued.ExpiresAt), DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));

        await using var widget = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin, issued.Token);
        var result = await widget.Connection.InvokeAsync<SubscribeResult>("Subscribe",
            new SubscribeRequest { Topics = [Topic.ForMatch(match.MatchId).Name, Topic.ForMatch(other.MatchId).Name, Topic.LiveName] }).Within();

        Assert.Equal([match.MatchId], result.Matches.Select(m => m.MatchId));
        Assert.Equal([Topic.ForMatch(other.MatchId).Name, Topic.LiveName], result.Rejected.Select(r => r.Topic));
        Assert.All(result.Rejected, r => Assert.Contains("embed token", r.Reason));
    }

    [Fact]
    public async Task A_connection_whose_token_runs_out_is_closed_unless_the_widget_renews_it()
    {
        await using var renewed = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin, Token(TimeSpan.FromSeconds(3)));
        await using var left = await HubClient.ConnectAsync(cluster.Hub, Partner, Origin, Token(TimeSpan.FromSeconds(3)));
        Assert.Null(await renewed.RefusalAsync());
        Assert.Null(await left.RefusalAsync());

        // A forged renewal is refused and changes nothing; a good one moves the expiry.
        var refused = await Assert.ThrowsAsync<HubException>(() => renewed.Connection.InvokeAsync<long>("Renew", Token(TimeSpan.FromMinutes(5), secret: "a-forger-who-guessed-wrong-012345678")).Within());
        Assert.Contains("signature", refused.Message);
        var expires = await renewed.Connection.InvokeAsync<long>("Renew", Token(TimeSpan.FromMinutes(5))).Within();
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(expires), DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));

        await left.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        // The renewed one is still there and still works.
        Assert.False(renewed.Closed.IsCompleted);
        Assert.Null(await renewed.RefusalAsync());
    }

    [Fact]
    public async Task A_token_connection_without_an_origin_is_the_partners_reader_and_counts_against_its_limit()
    {
        var held = new List<HubClient>();
        try
        {
            for (var i = 0; i < Limit; i++)
            {
                held.Add(await HubClient.ConnectAsync(cluster.Hub, Partner, origin: null, Token(TimeSpan.FromMinutes(5))));
                Assert.Null(await held[^1].RefusalAsync());
            }
            await Wait.UntilAsync(async () =>
            {
                await using var extra = await HubClient.ConnectAsync(cluster.Hub, Partner, origin: null, Token(TimeSpan.FromMinutes(5)));
                return (await extra.RefusalAsync())?.Contains(ConnectionRefusal.OverLimit) == true;
            }, TimeSpan.FromSeconds(20), "the partner's limit to count the token connections");
        }
        finally
        {
            foreach (var client in held)
            {
                await client.DisposeAsync();
            }
        }
    }

    public sealed class Cluster : IAsyncLifetime
    {
        internal RedisServer Redis { get; private set; } = null!;
        internal AppProcess Hub { get; private set; } = null!;
        internal InProcessIngest Publisher { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Redis = await RedisServer.StartAsync();
            Hub = await AppProcess.StartAsync("ScoreFeed.Hub", new Dictionary<string, string>
            {
                ["ConnectionStrings:redis"] = Redis.ConnectionString,
                ["Hub:PresenceInterval"] = "00:00:00.200",
                ["Hub:EmbedTokenClockSkew"] = "00:00:00",
                [$"Partners:{Partner}:AllowedOrigins:0"] = Origin,
                [$"Partners:{Partner}:MaxConnections"] = Limit.ToString(),
                [$"Partners:{Partner}:RequireToken"] = "true",
                [$"Partners:{Partner}:TokenSecrets:0"] = NewSecret,
                [$"Partners:{Partner}:TokenSecrets:1"] = OldSecret,
                [$"Partners:{Partner}:ApiSecret"] = ApiSecret,
                // Tokens optional; only UsageTests connect with it, so its usage is theirs alone.
                [$"Partners:{UsageTests.Partner}:AllowedOrigins:0"] = UsageTests.Origin,
                [$"Partners:{UsageTests.Partner}:TokenSecrets:0"] = NewSecret,
                [$"Partners:{UsageTests.Partner}:ApiSecret"] = ApiSecret,
            });
            Publisher = await InProcessIngest.StartAsync(new Dictionary<string, string> { ["ConnectionStrings:redis"] = Redis.ConnectionString });
        }

        public async Task DisposeAsync()
        {
            await Publisher.DisposeAsync();
            await Hub.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }
}
