using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Access;
using ScoreFeed.Partners;

namespace ScoreFeed.UnitTests;

public sealed class AccessPolicyTests
{
    private static readonly AccessPolicy Policy = new(
        Options.Create(new HubAccessOptions { SiteOrigins = ["https://scores.example", "http://127.0.0.1:5000"] }),
        new PartnerDirectory(new Dictionary<string, PartnerOptions>
        {
            ["news"] = new() { AllowedOrigins = ["https://news.example", "https://www.news.example:8443/"], MaxConnections = 10 },
        }));

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(null, "", null)]
    [InlineData(null, "https://scores.example", null)]
    [InlineData(null, "HTTPS://SCORES.EXAMPLE:443", null)]
    [InlineData(null, "http://127.0.0.1:5000", null)]
    [InlineData(null, "https://news.example", ConnectionRefusal.OriginNotAllowed)]
    [InlineData(null, "null", ConnectionRefusal.OriginNotAllowed)]
    [InlineData("news", "https://news.example", null)]
    [InlineData("news", "https://www.news.example:8443", null)]
    [InlineData("news", "https://scores.example", null)]
    [InlineData("news", null, null)]
    [InlineData("news", "", null)]
    [InlineData("other", null, ConnectionRefusal.UnknownKey)]
    [InlineData("news", "https://evil.example", ConnectionRefusal.OriginNotAllowed)]
    [InlineData("news", "http://news.example", ConnectionRefusal.OriginNotAllowed)]
    [InlineData("news", "null", ConnectionRefusal.OriginNotAllowed)]
    [InlineData("NEWS", "https://news.example", ConnectionRefusal.UnknownKey)]
    [InlineData("other", "https://news.example", ConnectionRefusal.UnknownKey)]
    public void Connections_are_admitted_or_refused_by_key_and_origin(string? key, string? origin, string? refusal)
    {
        var decision = Policy.Decide(key, origin);

        Assert.Equal(refusal, decision.RefusalCode);
        // Counted against the partner only when it can be the partner's page: a browser (an Origin) with its key.
        Assert.Equal(refusal is null && key is not null && !string.IsNullOrEmpty(origin), decision.Partner is not null);
        if (refusal is not null)
        {
            Assert.StartsWith(AccessPolicy.NotEnabled, decision.RefusalText);
        }
    }

    [Theory]
    [InlineData("https://News.Example", "https://news.example")]
    [InlineData("https://news.example:443/", "https://news.example")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData(" http://localhost:5001 ", "http://localhost:5001")]
    [InlineData("https://news.example/sport", null)]
    [InlineData("https://news.example?x=1", null)]
    [InlineData("ftp://news.example", null)]
    [InlineData("news.example", null)]
    [InlineData("null", null)]
    [InlineData("", null)]
    public void Origins_are_compared_normalized_and_anything_but_an_http_origin_is_not_one(string text, string? normalized)
    {
        Assert.Equal(normalized is not null, Origins.TryNormalize(text, out var origin));
        Assert.Equal(normalized, origin);
    }

    [Fact]
    public void Partner_configuration_errors_name_the_key()
    {
        var services = new ServiceCollection();
        PartnerDirectory.Register(services);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Partners:good:AllowedOrigins:0"] = "https://good.example",
            ["Partners:bad key:AllowedOrigins:0"] = "https://bad.example/path",
            ["Partners:bad key:MaxConnections"] = "0",
        }).Build();
        services.AddSingleton<IConfiguration>(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<Dictionary<string, PartnerOptions>>>().Value);

        Assert.Contains("Partners:bad key: partner keys match", error.Message);
        Assert.Contains("Partners:bad key:AllowedOrigins: 'https://bad.example/path' is not a browser origin", error.Message);
        Assert.Contains("Partners:bad key:MaxConnections", error.Message);
        Assert.DoesNotContain("Partners:good", error.Message);
    }
}
