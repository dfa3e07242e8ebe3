using System.Net;

namespace ScoreFeed.EndToEndTests;

/// <summary>Bad configuration stops start-up with a message naming the key; an unreachable Redis does not.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("ScoreFeed.Ingest", "ConnectionStrings:redis", "", "ConnectionStrings:redis")]
    [InlineData("ScoreFeed.Hub", "ConnectionStrings:redis", "127.0.0.1:6379,bogusOption=1", "ConnectionStrings:redis")]
    [InlineData("ScoreFeed.Hub", "Hub:MaxTopicsPerConnection", "0", "Hub:MaxTopicsPerConnection")]
    [InlineData("ScoreFeed.Hub", "Store:HistoryLength", "-5", "Store:HistoryLength")]
    [InlineData("ScoreFeed.Ingest", "Ingest:Simulator:UpdatesPerSecond", "0", "Ingest:Simulator:UpdatesPerSecond")]
    [InlineData("ScoreFeed.Ingest", "Store:KeyPrefix", "has spaces", "Store:KeyPrefix")]
    [InlineData("ScoreFeed.Hub", "Hub:SiteOrigins:0", "ftp://site.test", "Hub:SiteOrigins")]
    [InlineData("ScoreFeed.Hub", "Partners:p1:AllowedOrigins:0", "https://news.test/sport", "Partners:p1:AllowedOrigins")]
    [InlineData("ScoreFeed.Hub", "Partners:p1:MaxConnections", "0", "Partners:p1:MaxConnections")]
    [InlineData("ScoreFeed.Ingest", "Ingest:Providers:FootballData:Enabled", "true", "Ingest:Providers:FootballData:BaseUrl")]
    [InlineData("ScoreFeed.Ingest", "SCOREFEED_OPERATOR_PASSWORD", "from-the-environment", "SCOREFEED_OPERATOR_PASSWORD is set, but it signs in 'operator' only in Development")]
    public async Task Bad_configuration_stops_start_up_naming_the_key(string project, string key, string value, string named)
    {
        var settings = new Dictionary<string, string> { ["ConnectionStrings:redis"] = "127.0.0.1:1", [key] = value };

        await using var app = await AppProcess.StartAsync(project, settings, waitUntilReady: false);
        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, app.Output);
    }

    [Theory]
    // Missing keys stop start-up in Production even with loopback allowed (as every test app runs).
    [InlineData("ScoreFeed.Hub", "true", "Hub:SiteOrigins is missing")]
    [InlineData("ScoreFeed.Ingest", "true", "Operators:CorsOrigins is missing")]
    // Without the opt-out, the local values are refused, naming the key as configured.
    [InlineData("ScoreFeed.Hub", "false", "Hub:SiteOrigins:0 'http://127.0.0.1:5000' points at loopback")]
    public async Task In_production_an_app_without_what_it_needs_refuses_to_start_naming_the_key(string project, string allowLoopback, string named)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:redis"] = "127.0.0.1:1",
            [TestDeployment.AllowLoopbackKey] = allowLoopback,
        };
        if (allowLoopback == "false")
        {
            settings["Hub:SiteOrigins:0"] = "http://127.0.0.1:5000";
        }

        // Exactly these settings (AppProcess.StartAsync would add the ones the test apps need), in Production.
        await using var app = await AppProcess.StartExactlyAsync(project, settings, waitUntilReady: false);
        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, app.Output);
        if (allowLoopback == "false")
        {
            Assert.Contains("ConnectionStrings:redis '127.0.0.1:1' carries no password", app.Output);
        }
    }

    [Fact]
    public async Task A_hub_starts_without_redis_reports_not_ready_and_becomes_ready_when_redis_comes()
    {
        var port = Ports.Free();
        await using var hub = await AppProcess.StartAsync("ScoreFeed.Hub",
            new Dictionary<string, string> { ["ConnectionStrings:redis"] = $"127.0.0.1:{port},connectRetry=1" }, waitUntilReady: false);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        await Wait.UntilAsync(async () => await Status(http, hub, "/health/live") == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the hub to be live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await Status(http, hub, "/health/ready"));

        await using var redis = await RedisServer.StartOnPortAsync(port);
        await Wait.UntilAsync(async () => await Status(http, hub, "/health/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the hub to connect to Redis");
    }

    private static async Task<HttpStatusCode?> Status(HttpClient http, AppProcess app, string path)
    {
        try
        {
            return (await http.GetAsync(new Uri(app.BaseAddress, path))).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
