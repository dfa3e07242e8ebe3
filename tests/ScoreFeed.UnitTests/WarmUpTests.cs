using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using ScoreFeed.Web;

namespace ScoreFeed.UnitTests;

public sealed class WarmUpTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://[::]:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://+:80", "http://127.0.0.1/")]
    [InlineData("http://*:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://localhost:5000", "http://localhost:5000/")]
    public void Calls_the_endpoint_as_this_machine_reaches_it(string address, string expected) =>
        Assert.Equal(expected, WarmUp.Local(address).AbsoluteUri);

    [Fact]
    public async Task Not_ready_until_the_first_page_has_rendered()
    {
        // The app's own endpoint, played by a small Kestrel server that answers "/" when the test lets it.
        var release = new TaskCompletionSource();
        var requests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var page = builder.Build();
        page.MapGet("/", async () =>
        {
            Interlocked.Increment(ref requests);
            await release.Task;
            return "scoreboard";
        });
        await page.StartAsync();
        var address = page.Urls.Single();

        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var warmUp = new WarmUp(new AddressesOnly(address), lifetime, NullLogger<WarmUp>.Instance);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("warm-up", warmUp, null, null) };
        await warmUp.StartAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, (await warmUp.CheckHealthAsync(context)).Status);
        lifetime.NotifyStarted();
        await WaitAsync(() => Volatile.Read(ref requests) == 1, "the warm-up request");
        Assert.Equal(HealthStatus.Unhealthy, (await warmUp.CheckHealthAsync(context)).Status);

        release.SetResult();
        await WaitAsync(() => warmUp.CheckHealthAsync(context).Result.Status == HealthStatus.Healthy, "ready after the page rendered");
        Assert.Equal(1, requests);
        await warmUp.StopAsync(CancellationToken.None);
        await page.StopAsync();
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private sealed class AddressesOnly : IServer
    {
        public AddressesOnly(string address)
        {
            var addresses = new ServerAddressesFeature();
            addresses.Addresses.Add(address);
            Features.Set<IServerAddressesFeature>(addresses);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
