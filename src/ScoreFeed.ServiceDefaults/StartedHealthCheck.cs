using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Ready only once the app has started: Kestrel serves requests on its first endpoint while it still binds the others
/// (an https endpoint loads its certificate first), so without this a probe on one port could call the app ready
/// before another port listens.
/// </summary>
internal sealed class StartedHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy("Every endpoint listens")
            : HealthCheckResult.Unhealthy("Starting: not every endpoint listens yet"));
}
