using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.EndToEndTests;

/// <summary>
/// Who may connect (partner keys, browser origins, partner limits counted over two hubs) and the audience of a
/// match counted over two hubs: real redis-server, two real hub processes, connections as browsers make them.
/// </summary>
public sealed class AccessTests(AccessTests.Cluster cluster) : IClassFixture<AccessTests.Cluster>
{
    private const string Site = "http://site.test:8080";
    private const string PartnerSite = "https://news.partner.test";
    private const string PartnerKey = "partner-1";
    private const int PartnerLimit = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Our_pages_and_clients_without_an_origin_connect_without_a_key()
    {
        await using var page = await Client.ConnectAsync(cluster.HubA, origin: Site);
        await using var app = await Client.ConnectAsync(cluster.HubB);

        Assert.Null(await page.RefusalAsync());
        Assert.Null(await app.RefusalAsync());
        var result = await page.Connection.InvokeAsync<SubscribeResult>("Subscribe", new SubscribeRequest { Topics = [Topic.LiveName] }).Within();
        Assert.Empty(result.Rejected);
    }

    [Theory]
    [InlineData(null, "https://elsewhere.test", ConnectionRefusal.OriginNotAllowed)]
    [InlineData("no-such-partner", PartnerSite, ConnectionRefusal.UnknownKey)]
    [InlineData(PartnerKey, "https://elsewhere.test", ConnectionRefusal.OriginNotAllowed)]
    [InlineData(PartnerKey, "null", ConnectionRefusal.OriginNotAllowed)]
    public async Task Unknown_keys_and_origins_are_refused_with_a_reason_the_widget_shows(string? key, string origin, string code)
    {
        await using var client = await Client.ConnectAsync(cluster.HubA, key, origin);

        var refusal = await client.RefusalAsync();

        Assert.NotNull(refusal);
        Assert.Contains(ConnectionRefusal.Prefix + code, refusal);
        Assert.Contains("This widget is not enabled for this site.", refusal);
    }

    [Fact]
    public async Task A_partner_key_works_from_its_own_origins_and_from_our_embed_pages()
    {
        await using var widget = await Client.ConnectAsync(cluster.HubA, PartnerKey, PartnerSite);
        await using var iframe = await Client.ConnectAsync(cluster.HubB, PartnerKey, Site);

        Assert.Null(await widget.RefusalAsync());
        Assert.Null(await iframe.RefusalAsync());
    }

    [Fact]
    public async Task Clients_with_a_partner_key_and_no_origin_do_not_spend_the_partners_quota()
    {
        // A script with a scraped key and no Origin cannot be the partner's page: it connects as any app does, and the
        // partner's readers are not locked out however many of them there are.
        var held = new List<Client>();
        try
        {
            for (var i = 0; i < PartnerLimit + 2; i++)
            {
                held.Add(await Client.ConnectAsync(cluster.HubB, PartnerKey));
            }
            Assert.All(await Task.WhenAll(held.Select(c => c.RefusalAsync())), Assert.Null);
            await using var reader = await Client.ConnectAsync(cluster.HubB, PartnerKey, PartnerSite);
            Assert.Null(await reader.RefusalAsync());
        }
        finally
        {
            foreach (var client in held)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_partner_over_its_limit_is_refused_counting_both_hubs_and_admitted_again_once_one_leaves()
    {
        var held = new List<Client>();
        try
        {
            held.Add(await Client.ConnectAsync(cluster.HubA, PartnerKey, PartnerSite));
            held.Add(await Client.ConnectAsync(cluster.HubA, PartnerKey, PartnerSite));
            held.Add(await Client.ConnectAsync(cluster.HubB, PartnerKey, PartnerSite));
            Assert.All(await Task.WhenAll(held.Select(c => c.RefusalAsync())), Assert.Null);

            // Hub B learns of hub A's two connections at the next presence exchange: then a fourth is refused there.
            string? refusal = null;
            await Wait.UntilAsync(async () =>
            {
                await using var extra = await Client.ConnectAsync(cluster.HubB, PartnerKey, PartnerSite);
                refusal = await extra.RefusalAsync();
                return refusal is not null;
            }, Patience, "a connection over the partner's limit to be refused on hub B");
            Assert.Contains(ConnectionRefusal.Prefix + ConnectionRefusal.OverLimit, refusal);

            await held[0].DisposeAsync();
            held.RemoveAt(0);
            await Wait.UntilAsync(async () =>
            {
                var again = await Client.ConnectAsync(cluster.HubB, PartnerKey, PartnerSite);
                if (await again.RefusalAsync() is null)
                {
                    held.Add(again);
                    return true;
                }
                await again.DisposeAsync();
                return false;
            }, Patience, "a connection to be admitted once one of the partner's left");
        }
        finally
        {
            foreach (var client in held)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Watchers_of_a_match_on_both_hubs_are_told_the_audience_and_its_changes()
    {
        var matchId = "aud-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Publisher.CreateMatchAsync(matchId);
        var topic = Topic.ForMatch(matchId).Name;
        await using var a1 = await Client.ConnectAsync(cluster.HubA);
        await using var a2 = await Client.ConnectAsync(cluster.HubA);
        await using var b1 = await Client.ConnectAsync(cluster.HubB);
        await using var onlyLive = await Client.ConnectAsync(cluster.HubB);
        foreach (var client in new[] { a1, a2, b1 })
        {
            await client.Connection.InvokeAsync<SubscribeResult>("Subscribe", new SubscribeRequest { Topics = [topic] }).Within();
        }
        await onlyLive.Connection.InvokeAsync<SubscribeResult>("Subscribe", new SubscribeRequest { Topics = [Topic.LiveName] }).Within();

        await Wait.UntilAsync(() => new[] { a1, a2, b1 }.All(c => c.Watching(matchId) == 3), Patience, "every watcher to be told 3 watch");
        await a2.DisposeAsync();
        await Wait.UntilAsync(() => a1.Watching(matchId) == 2 && b1.Watching(matchId) == 2, Patience, "the others to be told 2 watch");
        await b1.Connection.InvokeAsync("Unsubscribe", new[] { topic }).Within();
        await Wait.UntilAsync(() => a1.Watching(matchId) == 1, Patience, "the last one to be told 1 watches");

        Assert.Null(onlyLive.Watching(matchId));
    }

    [Theory]
    [InlineData(Site, true)]
    [InlineData(PartnerSite, true)]
    [InlineData("https://elsewhere.test", false)]
    public async Task The_read_API_answers_browsers_of_our_site_and_of_partners_only(string origin, bool allowed)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster.HubA.BaseAddress, "/api/v1/matches?status=live"));
        request.Headers.Add("Origin", origin);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"), "no cookie is read: none may be sent");
    }

    /// <summary>A hub connection as a browser page makes it: WebSockets, no negotiation, its Origin and key.</summary>
    internal sealed class Client : IAsyncDisposable
    {
        private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<string, int> _watching = new(StringComparer.Ordinal);

        private Client(HubConnection connection)
        {
            Connection = connection;
            connection.Closed += e =>
            {
                _closed.TrySetResult(e);
                return Task.CompletedTask;
            };
            connection.On<AudienceMessage>(ClientMethods.Audience, m =>
            {
                lock (_watching)
                {
                    _watching[m.MatchId] = m.Watching;
                }
            });
        }

        public HubConnection Connection { get; }

        /// <summary>Completes (with the close error, if any) when the hub or the network ends the connection.</summary>
        public Task<Exception?> Closed => _closed.Task;

        public int? Watching(string matchId)
        {
            lock (_watching)
            {
                return _watching.TryGetValue(matchId, out var n) ? n : null;
            }
        }

        public static async Task<Client> ConnectAsync(AppProcess hub, string? key = null, string? origin = null, string? token = null)
        {
            var url = key is null ? hub.HubUrl
                : new Uri(hub.HubUrl + "?key=" + Uri.EscapeDataString(key) + (token is null ? "" : "&token=" + Uri.EscapeDataString(token)));
            var connection = new HubConnectionBuilder()
                .WithUrl(url, o =>
                {
                    o.SkipNegotiation = true;
                    o.Transports = HttpTransportType.WebSockets;
                    if (origin is not null)
                    {
                        o.Headers["Origin"] = origin;
                    }
                })
                .AddJsonProtocol(o =>
                {
                    o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ScoreFeedJsonContext.Default);
                    o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
                })
                .Build();
            var client = new Client(connection);
            await connection.StartAsync().Within();
            return client;
        }

        /// <summary>The close error if the hub refused the connection; null if it stays open (checked with a ping).</summary>
        public async Task<string?> RefusalAsync()
        {
            // A refused connection is closed right after the handshake; an accepted one answers an invocation.
            var ping = Connection.InvokeAsync<SubscribeResult>("Subscribe", new SubscribeRequest { Topics = [Topic.LiveName] });
            var first = await Task.WhenAny(ping, _closed.Task).Within();
            if (first == ping && ping.IsCompletedSuccessfully)
            {
                return null;
            }
            var error = await _closed.Task.Within();
            return error?.Message ?? "closed without an error";
        }

        public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
    }

    /// <summary>redis-server, two hubs with a partner and our site's origin configured, and ingest's publishing path.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        internal RedisServer Redis { get; private set; } = null!;
        internal AppProcess HubA { get; private set; } = null!;
        internal AppProcess HubB { get; private set; } = null!;
        internal InProcessIngest Publisher { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Redis = await RedisServer.StartAsync();
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings:redis"] = Redis.ConnectionString,
                ["Hub:SiteOrigins:0"] = Site,
                ["Hub:PresenceInterval"] = "00:00:00.200",
                [$"Partners:{PartnerKey}:AllowedOrigins:0"] = PartnerSite,
                [$"Partners:{PartnerKey}:MaxConnections"] = PartnerLimit.ToString(),
            };
            var hubs = new[] { AppProcess.StartAsync("ScoreFeed.Hub", settings), AppProcess.StartAsync("ScoreFeed.Hub", settings) };
            HubA = await hubs[0];
            HubB = await hubs[1];
            Publisher = await InProcessIngest.StartAsync(new Dictionary<string, string> { ["ConnectionStrings:redis"] = Redis.ConnectionString });
        }

        public async Task DisposeAsync()
        {
            await Publisher.DisposeAsync();
            await HubA.DisposeAsync();
            await HubB.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }
}
