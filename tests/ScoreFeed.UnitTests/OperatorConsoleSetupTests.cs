using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Web;

namespace ScoreFeed.UnitTests;

/// <summary>What the operator console needs of the servers: ingest's CORS policy and the web app's ingest URL.</summary>
public sealed class OperatorConsoleSetupTests
{
    [Fact]
    public void The_console_policy_allows_its_origins_with_bearer_tokens_and_no_cookies()
    {
        var policy = OperatorsRegistration.ConsolePolicy(["HTTP://127.0.0.1:5000/", "https://ops.example:443", "not an origin"]);

        Assert.Equal(["http://127.0.0.1:5000", "https://ops.example"], policy.Origins);
        Assert.False(policy.AllowAnyOrigin);
        Assert.False(policy.SupportsCredentials);
        Assert.Equal([HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete], policy.Methods);
        Assert.Equal(["Authorization", "Content-Type"], policy.Headers);
        Assert.Equal(["Retry-After"], policy.ExposedHeaders);
    }

    [Fact]
    public void The_web_app_has_no_ingest_url_in_code_and_refuses_a_bad_ingest_url()
    {
        // The local one is in appsettings.Development.json; Production must set it (ProductionConfigurationTests).
        Assert.Null(new WebOptions().IngestBaseUrl);

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(
            [
                new("Web:IngestBaseUrl", "ftp://127.0.0.1:5200"),
                new("Web:HubBaseUrl", "http://127.0.0.1:5100"),
                new("Web:PublicBaseUrl", "http://127.0.0.1:5000"),
            ]).Build());
        services.AddValidatedOptions<WebOptions>(WebOptions.Section);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WebOptions>>().Value);

        Assert.Contains("Web:IngestBaseUrl", error.Message);
    }
}
