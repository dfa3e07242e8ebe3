using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScoreFeed.ApiDocs;
using ScoreFeed.Hub.Access;
using ScoreFeed.Hub.Apis;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Ingest;
using ScoreFeed.Ingest.Apis;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Partners;
using ScoreFeed.Redis;
using ScoreFeed.Testing;

namespace ScoreFeed.UnitTests.ApiDocs;

/// <summary>
/// The endpoints the apps map are exactly the operations <see cref="ApiOperations"/> lists (the end-to-end tests hold
/// the served OpenAPI documents to the same list), and the reference page is a Development-only extra.
/// </summary>
public sealed class ApiEndpointsTests
{
    [Fact]
    public async Task Read_api_maps_exactly_the_listed_operations()
    {
        await using var app = Bare(typeof(MatchStore), typeof(PartnerDirectory), typeof(EmbedTokens), typeof(ScoreFeed.Hub.Usage.PartnerUsage));
        app.MapMatchesApi();
        app.MapStandingsApi();
        app.MapPartnersApi();

        Assert.Equal(Keys(ApiOperations.Read), Mapped(app));
    }

    [Fact]
    public async Task Operator_api_maps_exactly_the_listed_operations()
    {
        await using var app = Bare(typeof(MatchStore), typeof(OperatorAccounts), typeof(OperatorTokens), typeof(SignInLimiter),
            typeof(IngestMetrics), typeof(CorrectionService));
        app.MapAuthApi();
        app.MapCorrectionsApi();

        Assert.Equal(Keys(ApiOperations.Operator), Mapped(app));
    }

    [Theory]
    [InlineData("Development", HttpStatusCode.OK)]
    [InlineData("Production", HttpStatusCode.NotFound)]
    public async Task The_document_is_served_everywhere_and_the_reference_page_in_development_only(string environment, HttpStatusCode page)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddApiDocs("test API", "for the test");
        await using var app = builder.Build();
        app.MapApiDocs();
        await app.StartAsync().Within();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(10) };

        var document = await http.GetAsync(ApiDocsRegistration.DocumentPath).Within();
        var reference = await http.GetAsync(ApiDocsRegistration.ReferencePath).Within();

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal("application/json", document.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"title\": \"test API\"", await document.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(page, reference.StatusCode);
        if (page == HttpStatusCode.OK)
        {
            // The page reads this app's document, with a script the app serves itself (nothing from a CDN).
            Assert.Contains($"\"url\":\"{ApiDocsRegistration.DocumentPath.TrimStart('/')}\"", await reference.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{ApiDocsRegistration.ReferencePath}/scalar.js").Within()).StatusCode);
        }
        await app.StopAsync().Within();
    }

    /// <summary>
    /// An app with the services the handlers take registered but never made: mapping only needs to know they are
    /// services (else a parameter would be read from the body).
    /// </summary>
    private static WebApplication Bare(params Type[] services)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddOptions<ScoresHubOptions>();
        builder.Services.AddSingleton(TimeProvider.System);
        foreach (var service in services)
        {
            builder.Services.AddSingleton(service, _ => throw new InvalidOperationException($"{service.Name} is not made in this test"));
        }
        return builder.Build();
    }

    private static string[] Keys(IEnumerable<ApiOperations.Operation> operations) =>
        [.. operations.Select(o => o.Key).Order(StringComparer.Ordinal)];

    private static string[] Mapped(IEndpointRouteBuilder app) =>
        [.. app.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Order(StringComparer.Ordinal)];
}
