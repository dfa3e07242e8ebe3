using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// The whole ScoreFeed system on one machine: Redis, the ingest worker, two hubs and the web app, on fixed
// loopback ports so that the URLs in README.md hold. No containers: Redis runs as a plain
// redis-server process (scripts/setup.sh installs it when it is missing).
var builder = DistributedApplication.CreateBuilder(args);

const string RedisHost = "127.0.0.1";
const int RedisPort = 6379;
var redisConnection = $"{RedisHost}:{RedisPort}";

// Aspire has no built-in readiness for an executable: "running" only means the process exists.
// This check answers Healthy once redis-server replies to PING, so WaitFor(redis) means "Redis accepts commands".
builder.Services.AddHealthChecks().AddAsyncCheck("redis-ping", async cancellationToken =>
{
    try
    {
        using var client = new TcpClient();
        await client.ConnectAsync(RedisHost, RedisPort, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("redis-server did not answer PING with PONG");
    }
    catch (SocketException ex)
    {
        return HealthCheckResult.Unhealthy($"redis-server not reachable at {redisConnection}", ex);
    }
});

// Nothing is persisted: this Redis is for local runs only (state is rebuilt by the simulator feed).
var redis = builder.AddExecutable("redis", "redis-server", ".",
        "--port", RedisPort.ToString(CultureInfo.InvariantCulture),
        "--bind", RedisHost, "--save", "", "--appendonly", "no")
    .WithHealthCheck("redis-ping");

// Hubs are stateless and need only Redis, so they do not wait for ingest.
AddApp<Projects.ScoreFeed_Ingest>("ingest", 5200);
var hub1 = AddApp<Projects.ScoreFeed_Hub>("hub-1", 5100);
AddApp<Projects.ScoreFeed_Hub>("hub-2", 5101);

// The fan site on 5000, and on 5001 (another origin) the demo partner page that embeds the widget.
// Pages and the widget connect to hub 1 (Web:HubBaseUrl: a balancer's URL in production); the operator console
// (/operator) calls ingest's operator API from the browser (Web:IngestBaseUrl; ingest allows the site's origin).
AddApp<Projects.ScoreFeed_Web>("web", 5000)
    .WithHttpEndpoint(name: "partner-demo", port: 5001, targetPort: 5001, isProxied: false)
    .WithEndpoint("partner-demo", endpoint => endpoint.TargetHost = "127.0.0.1")
    .WithEnvironment("Web__HubBaseUrl", "http://127.0.0.1:5100")
    .WithEnvironment("Web__PublicBaseUrl", "http://127.0.0.1:5000")
    .WithEnvironment("Web__IngestBaseUrl", "http://127.0.0.1:5200")
    .WithEnvironment("Web__PartnerDemoPort", "5001")
    .WaitFor(hub1);

builder.Build().Run();

// Each app listens on exactly http://127.0.0.1:{port} (Aspire passes it as ASPNETCORE_URLS):
// no launch profile (both hubs would take its port), no Aspire proxy in front (isProxied: false),
// and TargetHost 127.0.0.1 rather than Aspire's default "localhost", which would also bind [::1].
IResourceBuilder<ProjectResource> AddApp<TProject>(string name, int port)
    where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(name, launchProfileName: null)
        .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
        .WithEndpoint("http", endpoint => endpoint.TargetHost = "127.0.0.1")
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
        .WithEnvironment("ConnectionStrings__redis", redisConnection)
        .WithHttpHealthCheck("/health/ready")
        .WaitFor(redis);
