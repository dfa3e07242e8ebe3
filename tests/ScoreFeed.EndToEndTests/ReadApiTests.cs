using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.EndToEndTests;

/// <summary>The read API, health endpoints and metrics every app serves.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReadApiTests(ScoreFeedCluster cluster) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private Uri Hub(string path) => new(cluster.HubA.BaseAddress, path);

    [Fact]
    public async Task Matches_list_filters_by_status_and_competition()
    {
        var all = await _http.GetFromJsonAsync(Hub("/api/v1/matches"), ScoreFeedJsonContext.Default.MatchList);
        var live = await _http.GetFromJsonAsync(Hub("/api/v1/matches?status=live"), ScoreFeedJsonContext.Default.MatchList);
        var premier = await _http.GetFromJsonAsync(Hub("/api/v1/matches?competition=sim-premier"), ScoreFeedJsonContext.Default.MatchList);

        Assert.Contains(all!.Matches, m => m.CompetitionId == "sim-hoops" && m.Sport == Sports.Basketball);
        Assert.All(all.Matches, m => Assert.True(m.Seq > 0 && m.Epoch.Length > 0 && m.Incidents is not null));
        Assert.NotEmpty(live!.Matches);
        Assert.All(live.Matches, m => Assert.Equal(MatchStatus.Live, m.Status));
        Assert.NotEmpty(premier!.Matches);
        Assert.All(premier.Matches, m => Assert.Equal("sim-premier", m.CompetitionId));
        Assert.Equal(all.Matches.OrderBy(m => m.StartsAt).Select(m => m.StartsAt), all.Matches.Select(m => m.StartsAt));
    }

    [Fact]
    public async Task One_match_by_id_and_clear_errors_for_bad_or_unknown_ids()
    {
        var matchId = "api-" + Guid.NewGuid().ToString("N")[..8];
        var created = await cluster.Publisher.CreateMatchAsync(matchId, competitionId: "api-cup");

        var match = await _http.GetFromJsonAsync(Hub($"/api/v1/matches/{matchId}"), ScoreFeedJsonContext.Default.MatchState);
        var unknown = await _http.GetAsync(Hub("/api/v1/matches/no-such-match"));
        var invalid = await _http.GetAsync(Hub("/api/v1/matches/bad%20id"));
        var badStatus = await _http.GetAsync(Hub("/api/v1/matches?status=halftime"));
        var badCompetition = await _http.GetAsync(Hub("/api/v1/matches?competition=a%2Fb"));

        Assert.Equal(created.Epoch, match!.Epoch);
        Assert.Equal("Home Town", match.Home.Name);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("status", await badStatus.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badCompetition.StatusCode);
        Assert.Contains("competition", await badCompetition.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wire_json_uses_the_contract_field_names()
    {
        var matchId = "wire-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Publisher.CreateMatchAsync(matchId);
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(Hub($"/api/v1/matches/{matchId}")));
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "matchId", "competitionId", "sport", "home", "away", "status", "period", "clock", "startsAt", "epoch", "seq", "updatedAt", "incidents" }, names);
        Assert.Equal(["id", "name", "score"], doc.RootElement.GetProperty("home").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["running", "seconds", "at"], doc.RootElement.GetProperty("clock").EnumerateObject().Select(p => p.Name));
        Assert.Equal("live", doc.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_endpoints_answer_on_every_app()
    {
        foreach (var app in new[] { cluster.HubA, cluster.HubB, cluster.Ingest })
        {
            Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(app.BaseAddress, "/health/live"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(app.BaseAddress, "/health/ready"))).StatusCode);
        }
    }

    [Fact]
    public async Task Metrics_count_connections_subscriptions_deliveries_recoveries_and_publishes()
    {
        await using var client = await TestClient.ConnectAsync(cluster.HubB.HubUrl);
        await client.SubscribeAsync([Topic.LiveName]);
        await Wait.UntilAsync(() => client.Tracker.Applied > 20, TimeSpan.FromSeconds(30), "updates");
        var positions = client.Positions();
        await using var second = await TestClient.ConnectAsync(cluster.HubB.HubUrl);
        await second.SubscribeAsync([Topic.LiveName], positions);

        string hubMetrics = "", ingestMetrics = "";
        await Wait.UntilAsync(async () =>
        {
            // The Prometheus exporter caches a scrape briefly: poll until the new series show up.
            hubMetrics = await _http.GetStringAsync(new Uri(cluster.HubB.BaseAddress, "/metrics"));
            ingestMetrics = await _http.GetStringAsync(new Uri(cluster.Ingest.BaseAddress, "/metrics"));
            return hubMetrics.Contains("scorefeed_hub_updates_delivered", StringComparison.Ordinal)
                && hubMetrics.Contains("scorefeed_hub_recoveries", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "hub metrics");

        Assert.Contains("scorefeed_hub_connections", hubMetrics);
        Assert.Contains("scorefeed_hub_subscriptions", hubMetrics);
        Assert.Contains("scorefeed_hub_snapshots", hubMetrics);
        Assert.True(Prometheus.Sum(hubMetrics, "scorefeed_hub_connections") >= 2);
        Assert.True(Prometheus.Sum(hubMetrics, "scorefeed_hub_updates_delivered_total") > 20);
        Assert.Contains("scorefeed_ingest_updates_published_total", ingestMetrics);
        Assert.True(Prometheus.Sum(ingestMetrics, "scorefeed_ingest_updates_published_total") > 20);
    }

    public void Dispose() => _http.Dispose();
}
