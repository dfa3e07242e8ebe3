using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace ScoreFeed.UnitTests;

public sealed class StartedHealthCheckTests
{
    [Fact]
    public async Task The_app_is_not_ready_until_it_has_started()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var check = new StartedHealthCheck(lifetime);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("started", check, null, null) };

        var starting = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Unhealthy, starting.Status);
        Assert.Contains("not every endpoint", starting.Description, StringComparison.Ordinal);

        lifetime.NotifyStarted();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);
    }
}
