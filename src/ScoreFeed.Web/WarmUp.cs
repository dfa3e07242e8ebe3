using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScoreFeed.Web;

/// <summary>
/// Renders the scoreboard once, through the app's own HTTP endpoint, before the app answers ready: otherwise the first
/// fan after a start pays for the JIT, Razor's first render and the first connection to the hubs' read API (measured:
/// first score painted 1.1–1.8 s after the request, ~0.1 s for later ones). Ready once that request completed, or
/// after <see cref="Timeout"/> whatever happened (a page that cannot read the API still renders, and loads live).
/// </summary>
internal sealed class WarmUp(IServer server, IHostApplicationLifetime lifetime, ILogger<WarmUp> logger) : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private volatile bool _done;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done ? HealthCheckResult.Healthy("Warmed up") : HealthCheckResult.Unhealthy("Warming up: rendering the first page"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = new TaskCompletionSource();
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal));
            if (address is null)
            {
                WebLog.WarmUpSkipped(logger, "no plain-HTTP endpoint to call");
                return;
            }
            var watch = Stopwatch.StartNew();
            using var http = new HttpClient { BaseAddress = Local(address), Timeout = Timeout };
            using var response = await http.GetAsync("/", stoppingToken).ConfigureAwait(false);
            WebLog.WarmedUp(logger, (int)response.StatusCode, watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            WebLog.WarmUpSkipped(logger, e.Message);
        }
        finally
        {
            _done = true;
        }
    }

    /// <summary>The endpoint as this machine reaches it: a wildcard host (0.0.0.0, [::], +, *) becomes 127.0.0.1.</summary>
    internal static Uri Local(string address)
    {
        var uri = new Uri(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri) { Host = host, Path = "/" }.Uri;
    }
}

internal static class WarmUpRegistration
{
    /// <summary>The warm-up request and its readiness check (<see cref="WarmUp"/>).</summary>
    public static IServiceCollection AddWarmUp(this IServiceCollection services)
    {
        services.AddSingleton<WarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<WarmUp>());
        services.AddHealthChecks().AddCheck<WarmUp>("warm-up");
        return services;
    }
}
