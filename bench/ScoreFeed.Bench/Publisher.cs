using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using ScoreFeed.Contract;
using StackExchange.Redis;

namespace ScoreFeed.Bench;

/// <summary>
/// Feeds a baseline at a fixed rate with ScoreFeed-shaped updates (same JSON, same size), round-robin over
/// <c>matches</c> matches; match i goes to topic "live" (big match) or "match:m{i}" (many matches).
/// </summary>
internal static class Publisher
{
    public static async Task RunAsync(string kind, string redis, double rate, int matches, bool perMatchTopics, CancellationToken cancellationToken)
    {
        Func<string, MatchUpdate, Task> send;
        if (kind == "signalr")
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddPlainSignalR(redis);
            var host = builder.Build();
            await host.StartAsync(cancellationToken);
            var hub = host.Services.GetRequiredService<IHubContext<PlainHub>>();
            send = (topic, update) => hub.Clients.Group(topic).SendAsync(ClientMethods.Update, update, cancellationToken);
        }
        else
        {
            var mux = await ConnectionMultiplexer.ConnectAsync(redis);
            var subscriber = mux.GetSubscriber();
            send = (topic, update) => subscriber.PublishAsync(RedisChannel.Literal("raw:" + topic),
                JsonSerializer.SerializeToUtf8Bytes(update, ScoreFeedJsonContext.Default.MatchUpdate));
        }

        var states = Enumerable.Range(0, matches).Select(i => Sample(i)).ToArray();
        var watch = Stopwatch.StartNew();
        long issued = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var due = (long)(watch.Elapsed.TotalSeconds * rate) - issued;
            for (; due > 0; due--)
            {
                var i = (int)(issued++ % matches);
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var s = states[i] = states[i] with { Seq = states[i].Seq + 1, Clock = states[i].Clock with { Seconds = states[i].Clock.Seconds + 1, At = now }, UpdatedAt = now };
                var update = new MatchUpdate
                {
                    MatchId = s.MatchId, CompetitionId = s.CompetitionId, Epoch = s.Epoch, Seq = s.Seq, Ts = now, Source = UpdateSources.Feed, State = s,
                };
                await send(perMatchTopics ? "match:" + s.MatchId : Topic.LiveName, update);
            }
        }
    }

    private static MatchState Sample(int i) => new()
    {
        MatchId = $"m{i}",
        CompetitionId = "bench-cup",
        Sport = Sports.Football,
        Home = new TeamScore { Id = "bench-cup-1", Name = "Kingsport Athletic", Score = 1 },
        Away = new TeamScore { Id = "bench-cup-2", Name = "Northbridge FC", Score = 0 },
        Status = MatchStatus.Live,
        Period = 1,
        Clock = new MatchClock { Running = true, Seconds = 0, At = 0 },
        StartsAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Epoch = "0123456789abcdef",
    };
}
