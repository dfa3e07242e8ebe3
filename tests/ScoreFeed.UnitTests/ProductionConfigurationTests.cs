using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScoreFeed.Deployment;
using ScoreFeed.Hub;
using ScoreFeed.Ingest;
using ScoreFeed.Ingest.Feeds;
using ScoreFeed.Web;
using StackExchange.Redis;

namespace ScoreFeed.UnitTests;

/// <summary>
/// The Production rule (docs/configuration.md): each app, registered as it really is, refuses what it needs missing
/// or loopback, naming the key; Deployment:AllowLoopback relaxes only the loopback part; Development is not checked.
/// </summary>
public sealed class ProductionConfigurationTests
{
    private static readonly Dictionary<string, string?> Hub = new()
    {
        ["ConnectionStrings:redis"] = "redis:6379,user=hub,abortConnect=false",
        ["Redis:Password"] = "from-a-secret",
        ["Hub:SiteOrigins:0"] = "https://scores.example",
        ["Partners:demo:AllowedOrigins:0"] = "https://partner.example",
    };

    private static readonly Dictionary<string, string?> Ingest = new()
    {
        ["ConnectionStrings:redis"] = "redis:6379,user=ingest,abortConnect=false",
        ["Redis:Password"] = "from-a-secret",
        ["Operators:CorsOrigins:0"] = "https://scores.example",
        ["Operators:SigningKey"] = Convert.ToBase64String(new byte[32]),
    };

    private static readonly Dictionary<string, string?> Web = new()
    {
        ["Web:PublicBaseUrl"] = "https://scores.example",
        ["Web:HubBaseUrl"] = "https://scores.example",
        ["Web:IngestBaseUrl"] = "https://scores.example",
        ["Partners:demo:AllowedOrigins:0"] = "https://partner.example",
    };

    [Theory]
    [InlineData("localhost")]
    [InlineData("LocalHost.")]
    [InlineData("app.localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void Loopback_hosts_are_recognised(string host) => Assert.True(Loopback.IsLoopbackHost(host));

    [Theory]
    [InlineData("scores.example")]
    [InlineData("localhost.example")]
    [InlineData("mylocalhost")]
    [InlineData("10.0.0.1")]
    [InlineData("128.0.0.1")]
    [InlineData("::2")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_hosts_are_not_loopback(string? host) => Assert.False(Loopback.IsLoopbackHost(host));

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("https://scores.localhost/path", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0", true)]
    [InlineData("127.0.0.1:6379", true)]
    [InlineData("localhost", true)]
    [InlineData("https://scores.example", false)]
    [InlineData("http://hub:5100", false)]
    [InlineData("redis:6379", false)]
    [InlineData("not a url", false)]
    public void Urls_origins_and_endpoints_are_loopback_by_their_host(string text, bool loopback) =>
        Assert.Equal(loopback, Loopback.IsLoopbackUrl(text));

    [Fact]
    public void Production_configuration_as_deployed_passes_for_every_app()
    {
        Assert.Empty(Errors(b => b.AddScoresHub(), Environments.Production, Hub));
        Assert.Empty(Errors(b => b.AddIngest(), Environments.Production, Ingest));
        Assert.Empty(Errors(b => b.AddScoreFeedWeb(), Environments.Production, Web));
    }

    [Theory]
    [InlineData("hub", "Hub:SiteOrigins:0", "Hub:SiteOrigins is missing; in Production set the public origin of the site (e.g. Hub__SiteOrigins__0=https://scores.example)")]
    [InlineData("hub", "Redis:Password", "ConnectionStrings:redis 'redis:6379,user=hub,abortConnect=false' carries no password; in Production set Redis:Password")]
    [InlineData("ingest", "Operators:CorsOrigins:0", "Operators:CorsOrigins is missing")]
    [InlineData("ingest", "Operators:SigningKey", "Operators:SigningKey is missing")]
    [InlineData("ingest", "Redis:Password", "ConnectionStrings:redis 'redis:6379,user=ingest,abortConnect=false' carries no password")]
    [InlineData("web", "Web:PublicBaseUrl", "Web:PublicBaseUrl is missing")]
    [InlineData("web", "Web:HubBaseUrl", "Web:HubBaseUrl is missing")]
    [InlineData("web", "Web:IngestBaseUrl", "Web:IngestBaseUrl is missing; in Production set the URL browsers reach the operator API at")]
    public void A_missing_key_stops_production_naming_it_even_with_loopback_allowed(string app, string removed, string expected)
    {
        var (add, settings) = App(app);
        settings.Remove(removed);

        Assert.Contains(Errors(add, Environments.Production, settings), e => e.StartsWith(expected, StringComparison.Ordinal));
        settings[TestDeploymentKey] = "true";
        Assert.Contains(Errors(add, Environments.Production, settings), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("hub", "Hub:SiteOrigins:1", "http://localhost:5000", "Hub:SiteOrigins:1 'http://localhost:5000' points at loopback; in Production set the public origin of the site (e.g. https://scores.example)")]
    [InlineData("hub", "Partners:demo:AllowedOrigins:0", "http://127.0.0.1:5001", "Partners:demo:AllowedOrigins:0 'http://127.0.0.1:5001' points at loopback; in Production set the partner site's origin (e.g. https://partner.example)")]
    [InlineData("ingest", "Operators:CorsOrigins:0", "http://[::1]:5000", "Operators:CorsOrigins:0 'http://[::1]:5000' points at loopback")]
    [InlineData("web", "Web:HubBaseUrl", "http://127.0.0.1:5100", "Web:HubBaseUrl 'http://127.0.0.1:5100' points at loopback")]
    [InlineData("web", "Web:PublicBaseUrl", "http://0.0.0.0:5000", "Web:PublicBaseUrl 'http://0.0.0.0:5000' points at loopback")]
    [InlineData("web", "Partners:demo:AllowedOrigins:0", "http://partner.localhost", "Partners:demo:AllowedOrigins:0 'http://partner.localhost' points at loopback")]
    public void A_loopback_value_stops_production_naming_the_key_unless_loopback_is_allowed(string app, string key, string value, string expected)
    {
        var (add, settings) = App(app);
        settings[key] = value;

        Assert.Contains(Errors(add, Environments.Production, settings), e => e.StartsWith(expected, StringComparison.Ordinal));
        settings[TestDeploymentKey] = "true";
        Assert.Empty(Errors(add, Environments.Production, settings));
    }

    [Fact]
    public void Allowing_loopback_accepts_redis_without_a_password_only_on_loopback()
    {
        var settings = new Dictionary<string, string?>(Hub) { [TestDeploymentKey] = "true" };
        settings.Remove("Redis:Password");

        settings["ConnectionStrings:redis"] = "127.0.0.1:6379";
        Assert.Empty(Errors(b => b.AddScoresHub(), Environments.Production, settings));
        settings["ConnectionStrings:redis"] = "127.0.0.1:6379,redis:6379";
        Assert.Contains(Errors(b => b.AddScoresHub(), Environments.Production, settings), e => e.Contains("carries no password", StringComparison.Ordinal));
        settings["ConnectionStrings:redis"] = "redis:6379,user=hub,password=in-the-string";
        Assert.Empty(Errors(b => b.AddScoresHub(), Environments.Production, settings));
    }

    [Fact]
    public void An_external_issuer_replaces_the_signing_key()
    {
        var settings = new Dictionary<string, string?>(Ingest) { ["Operators:Authority"] = "https://login.example/tenant/v2.0" };
        settings.Remove("Operators:SigningKey");

        Assert.Empty(Errors(b => b.AddIngest(), Environments.Production, settings));
    }

    [Fact]
    public void The_web_app_may_read_the_hubs_from_an_internal_loopback_url()
    {
        var settings = new Dictionary<string, string?>(Web) { ["Web:HubInternalUrl"] = "http://127.0.0.1:5100" };

        Assert.Empty(Errors(b => b.AddScoreFeedWeb(), Environments.Production, settings));
        var options = new WebOptions { HubBaseUrl = new("https://scores.example"), HubInternalUrl = new("http://hub:5100") };
        Assert.Equal("http://hub:5100/", options.HubApiBaseUrl.AbsoluteUri);
        Assert.Equal("https://scores.example/hubs/scores", options.HubUrl);
        Assert.Equal("https://scores.example/", new WebOptions { HubBaseUrl = new("https://scores.example") }.HubApiBaseUrl.AbsoluteUri);
    }

    [Theory]
    [InlineData("hub")]
    [InlineData("ingest")]
    [InlineData("web")]
    public void Development_is_not_checked(string app)
    {
        var (add, _) = App(app);
        var local = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = "127.0.0.1:6379",
            ["Web:PublicBaseUrl"] = "http://127.0.0.1:5000",
            ["Web:HubBaseUrl"] = "http://127.0.0.1:5100",
            ["Web:IngestBaseUrl"] = "http://127.0.0.1:5200",
            ["Hub:SiteOrigins:0"] = "http://127.0.0.1:5000",
            ["Partners:demo:AllowedOrigins:0"] = "http://127.0.0.1:5001",
        };

        Assert.Empty(Errors(add, Environments.Development, local));
        Assert.NotEmpty(Errors(add, Environments.Production, local));
    }

    [Fact]
    public void Redis_user_and_password_are_added_to_the_connection_string()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("ConnectionStrings:redis", "redis:6379,user=ingest,abortConnect=false"),
            new("Redis:Password", "s3cret"),
        ]).Build();

        var options = RedisRegistration.ReadRedisConfiguration(configuration, "test");

        Assert.Equal("ingest", options.User);
        Assert.Equal("s3cret", options.Password);
        configuration["Redis:User"] = "other";
        Assert.Equal("other", RedisRegistration.WithCredentials(ConfigurationOptions.Parse("redis:6379"), configuration).User);
    }

    [Fact]
    public void A_short_poll_interval_alone_also_shortens_the_live_poll_interval()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Provider(("PollInterval", "00:00:01")).LivePollInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), Provider().LivePollInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), Provider(("PollInterval", "00:00:05"), ("LivePollInterval", "00:00:03")).LivePollInterval);

        var error = Assert.Throws<OptionsValidationException>(() => Provider(("PollInterval", "00:00:01"), ("LivePollInterval", "00:00:05")));
        Assert.Contains("Ingest:Providers:FootballData:LivePollInterval", error.Message);
        Assert.Contains("PollInterval", error.Message);
    }

    [Fact]
    public void Standings_competitions_are_named_as_the_vendor_names_them_or_start_up_stops_with_the_reason()
    {
        Assert.Equal(["PL", "BL1"], Provider(("Standings:0", "PL"), ("Standings:1", "BL1")).Standings);

        var error = Assert.Throws<OptionsValidationException>(() => Provider(("Standings:0", "PL"), ("Standings:1", "../PL")));
        Assert.Contains("Ingest:Providers:FootballData:Standings", error.Message);
        Assert.Contains("'../PL' is not a football-data.org competition code", error.Message);

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ApiFootballOptions.Section}:Standings:0"] = "39:2026",
            [$"{ApiFootballOptions.Section}:Standings:1"] = "39",
        }).Build());
        services.AddValidatedOptions<ApiFootballOptions>(ApiFootballOptions.Section);
        using var provider = services.BuildServiceProvider();
        var apiFootball = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApiFootballOptions>>().Value);
        Assert.Contains("'39' is not an API-Football league and season as {league}:{season}", apiFootball.Message);
    }

    private const string TestDeploymentKey = "Deployment:AllowLoopback";

    private static FootballDataOptions Provider(params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{FootballDataOptions.Section}:{s.Key}", s.Value))).Build());
        services.AddValidatedOptions<FootballDataOptions>(FootballDataOptions.Section);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FootballDataOptions>>().Value;
    }

    private static (Action<IHostApplicationBuilder> Add, Dictionary<string, string?> Settings) App(string app) => app switch
    {
        "hub" => (b => b.AddScoresHub(), new(Hub)),
        "ingest" => (b => b.AddIngest(), new(Ingest)),
        _ => (b => b.AddScoreFeedWeb(), new(Web)),
    };

    /// <summary>The app registered as it really is, in <paramref name="environment"/>; the start-up errors of the Production rule.</summary>
    private static string[] Errors(Action<IHostApplicationBuilder> addApp, string environment, IDictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, ApplicationName = "test" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        addApp(builder);
        using var services = builder.Services.BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<DeploymentOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
    }
}
