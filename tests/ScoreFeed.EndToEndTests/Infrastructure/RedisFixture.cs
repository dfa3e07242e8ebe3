using Microsoft.Extensions.Options;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.EndToEndTests.Infrastructure;

/// <summary>A redis-server of its own for a test class, with helpers to build stores on separate connections.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private readonly List<IConnectionMultiplexer> _connections = [];

    internal RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    /// <summary>A store on a NEW connection (so two stores are two independent clients of Redis).</summary>
    internal async Task<(MatchStore Store, IConnectionMultiplexer Redis, RedisKeys Keys)> NewStoreAsync(StoreOptions options)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(Server.ConnectionString);
        lock (_connections)
        {
            _connections.Add(redis);
        }
        var keys = new RedisKeys(options.KeyPrefix);
        return (new MatchStore(redis, keys, Options.Create(options)), redis, keys);
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _connections)
        {
            await c.DisposeAsync();
        }
        await Server.DisposeAsync();
    }
}
