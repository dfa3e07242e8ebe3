using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.EndToEndTests.Push;

[CollectionDefinition(Name)]
public sealed class PushCollection : ICollectionFixture<PushSystem>
{
    public const string Name = "push";
}

/// <summary>
/// Goal alerts end to end, on 127.0.0.1: a real redis-server, ingest's publishing path in-process (exact goals, cards,
/// operator corrections), TWO web app processes with push enabled (two senders: the lease picks one, the claims keep
/// every alert single), and the stand-in push service every subscription points at.
/// </summary>
public sealed class PushSystem : IAsyncLifetime
{
    internal RedisServer Redis { get; private set; } = null!;
    internal InProcessIngest Ingest { get; private set; } = null!;
    internal FakePushService PushService { get; private set; } = null!;
    internal AppProcess WebA { get; private set; } = null!;
    internal AppProcess WebB { get; private set; } = null!;
    internal ConnectionMultiplexer Connection { get; private set; } = null!;
    internal RedisKeys Keys { get; } = new("sf");
    internal HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(15) };
    internal string PublicKey { get; private set; } = "";
    internal string PrivateKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        PushService = await FakePushService.StartAsync();
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var p = key.ExportParameters(true);
            PublicKey = WebEncoders.Base64UrlEncode([0x04, .. p.Q.X!, .. p.Q.Y!]);
            PrivateKey = WebEncoders.Base64UrlEncode(p.D!);
            var settings = WebSettings(Redis.ConnectionString, PublicKey, PrivateKey);
            var webs = new[] { AppProcess.StartAsync("ScoreFeed.Web", settings), AppProcess.StartAsync("ScoreFeed.Web", settings) };
            WebA = await webs[0];
            WebB = await webs[1];
        }
        PushService.ExpectedPublicKey = PublicKey;
        Ingest = await InProcessIngest.StartAsync(new Dictionary<string, string> { ["ConnectionStrings:redis"] = Redis.ConnectionString });
        Connection = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        // Both senders follow the updates channel, and one holds the lease.
        await Wait.UntilAsync(async () =>
            (long)(await Connection.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", "sf:updates"))[1] >= 2
            && await Connection.GetDatabase().KeyExistsAsync(Keys.PushSenderLease), TimeSpan.FromSeconds(20), "both web apps to follow the updates channel and one to hold the sender lease");
    }

    /// <summary>A web app with push on, in Production as deployed (loopback allowed for the test, http endpoints too).</summary>
    internal static Dictionary<string, string> WebSettings(string redis, string publicKey, string privateKey) =>
        new(FakePushService.WebAppSettings(redis, publicKey, privateKey))
        {
            ["Push:RetryDelay"] = "00:00:00.050",
            ["Push:LeaseTtl"] = "00:00:03",
            ["Push:LeaseRenewInterval"] = "00:00:00.500",
        };

    /// <summary>A live match between two teams no other test uses; returns its state.</summary>
    internal async Task<MatchState> CreateMatchAsync(string prefix)
    {
        var id = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var state = new MatchState
        {
            MatchId = id,
            CompetitionId = "push-cup",
            Home = new TeamScore { Id = $"th-{id}", Name = "Home Town" },
            Away = new TeamScore { Id = $"ta-{id}", Name = "Away City" },
            Status = MatchStatus.Live,
            Period = 1,
            Clock = new MatchClock { Running = true, Seconds = 600, At = now },
            StartsAt = now - 600_000,
            Incidents = [],
        };
        var result = await Ingest.Updater.UpdateAsync(id, _ => new MatchChange { State = state }, CancellationToken.None).Within();
        return state with { Epoch = result!.Epoch, Seq = result.Seq };
    }

    internal Task<MatchUpdate> GoalAsync(string matchId, string team = TeamSides.Home) => Ingest.GoalAsync(matchId, team, "Okafor");

    internal async Task<MatchUpdate> RedCardAsync(string matchId, string team = TeamSides.Away)
    {
        var result = await Ingest.Updater.UpdateAsync(matchId, current =>
        {
            var incident = new Incident { Id = "r" + Guid.NewGuid().ToString("N")[..6], Type = IncidentTypes.RedCard, Period = current!.Period, Seconds = current.Clock.Seconds + 60, Team = team, Player = "Silva" };
            return new MatchChange { State = current with { Incidents = [.. current.Incidents ?? [], incident] }, Incident = incident };
        }, CancellationToken.None).Within();
        return result!.Update!;
    }

    /// <summary>An operator disallows the goal (ingest's correction: score back, incident removed).</summary>
    internal async Task DisallowAsync(string matchId, MatchUpdate goal)
    {
        var outcome = await Ingest.Service<CorrectionService>().CorrectAsync(matchId, new CorrectionRequest
        {
            Home = goal.State.Home.Score - (goal.Incident!.Team == TeamSides.Home ? 1 : 0),
            Incident = new IncidentCorrection { Id = goal.Incident.Id, Removed = true },
            Reason = "goal disallowed (VAR: offside)",
        }, "chief", CancellationToken.None).Within();
        Assert.Equal(CorrectionStatus.Applied, outcome.Status);
    }

    internal async Task<MatchUpdate> FinalWhistleAsync(string matchId)
    {
        var result = await Ingest.Updater.UpdateAsync(matchId, current => new MatchChange
        {
            State = current! with { Status = MatchStatus.Final, Period = 2, Clock = current.Clock with { Running = false } },
        }, CancellationToken.None).Within();
        return result!.Update!;
    }

    /// <summary>PUT /api/v1/push/subscription on <paramref name="web"/> (web A by default); asserts 204.</summary>
    internal async Task SubscribeAsync(FakePushService.Device device, string[] follow, AppProcess? web = null, string? lang = null)
    {
        using var response = await Http.PutAsJsonAsync(new Uri((web ?? WebA).BaseAddress, "/api/v1/push/subscription"), new { subscription = device.Json, follow, lang });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.NoContent, $"PUT subscription: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    internal Task<bool> StoredAsync(FakePushService.Device device) =>
        Connection.GetDatabase().KeyExistsAsync(Keys.PushSubscription(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(device.Endpoint)))[..32]));

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Connection.DisposeAsync();
        await Ingest.DisposeAsync();
        await WebA.DisposeAsync();
        await WebB.DisposeAsync();
        await PushService.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
