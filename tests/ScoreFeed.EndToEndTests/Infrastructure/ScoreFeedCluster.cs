namespace ScoreFeed.EndToEndTests.Infrastructure;

/// <summary>
/// The whole system on 127.0.0.1: a real redis-server, two hub processes (A and B) that each follow the updates
/// channel, an ingest process running the simulator, and an in-process ingest for exact updates.
/// </summary>
public sealed class ScoreFeedCluster : IAsyncLifetime
{
    public const int HistoryLength = 300;
    public const int MaxTopicsPerConnection = 20;
    public const int MaxMessageSize = 16 * 1024;

    internal RedisServer Redis { get; private set; } = null!;
    internal AppProcess HubA { get; private set; } = null!;
    internal AppProcess HubB { get; private set; } = null!;
    internal AppProcess Ingest { get; private set; } = null!;
    internal InProcessIngest Publisher { get; private set; } = null!;

    internal Dictionary<string, string> Settings => new()
    {
        ["ConnectionStrings:redis"] = Redis.ConnectionString,
        ["Store:HistoryLength"] = HistoryLength.ToString(),
        ["Hub:MaxTopicsPerConnection"] = MaxTopicsPerConnection.ToString(),
        ["Hub:MaxMessageSize"] = MaxMessageSize.ToString(),
    };

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        var hubs = new[] { AppProcess.StartAsync("ScoreFeed.Hub", Settings), AppProcess.StartAsync("ScoreFeed.Hub", Settings) };
        var ingestSettings = new Dictionary<string, string>(Settings)
        {
            ["Ingest:Simulator:Matches"] = "8",
            ["Ingest:Simulator:UpdatesPerSecond"] = "80",
            ["Ingest:Simulator:TimeScale"] = "5",
            ["Ingest:Simulator:StartInPlay"] = "1",
            ["Ingest:Simulator:Seed"] = "7",
        };
        Ingest = await AppProcess.StartAsync("ScoreFeed.Ingest", ingestSettings);
        HubA = await hubs[0];
        HubB = await hubs[1];
        Publisher = await InProcessIngest.StartAsync(Settings);
    }

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Ingest.DisposeAsync();
        await HubA.DisposeAsync();
        await HubB.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ScoreFeedCluster>
{
    public const string Name = "cluster";
}
