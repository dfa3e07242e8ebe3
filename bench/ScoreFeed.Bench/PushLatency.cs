using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using ScoreFeed.Contract;
using ScoreFeed.Realtime;
using StackExchange.Redis;

namespace ScoreFeed.Bench;

/// <summary>
/// Goal alerts' latency: from an update's commit (its envelope's <c>ts</c>, stamped when it is published) to the
/// stand-in push service holding the decrypted alert, through the real web app (Release, push on, VAPID, aes128gcm,
/// Polly, the per-match queues). <paramref name="goals"/> goals over <paramref name="matches"/> matches at
/// <paramref name="rate"/> per second, each match followed by <paramref name="fans"/> devices: goals × fans pushes.
/// </summary>
internal static class PushLatency
{
    public static async Task<int> RunAsync(int goals, int matches, int fans, double rate)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = await FakePushService.StartAsync();
        string publicKey, privateKey;
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var p = key.ExportParameters(true);
            (publicKey, privateKey) = (WebEncoders.Base64UrlEncode([0x04, .. p.Q.X!, .. p.Q.Y!]), WebEncoders.Base64UrlEncode(p.D!));
        }
        service.ExpectedPublicKey = publicKey;
        await using var web = await AppProcess.StartAsync("ScoreFeed.Web", FakePushService.WebAppSettings(redis.ConnectionString, publicKey, privateKey));
        await using var mux = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await Wait.UntilAsync(() => mux.GetDatabase().KeyExistsAsync("sf:push:lease"), TimeSpan.FromSeconds(20), "the sender lease");

        using var http = new HttpClient();
        var ids = Enumerable.Range(0, matches).Select(i => $"bench-{i}").ToArray();
        foreach (var id in ids)
        {
            for (var f = 0; f < fans; f++)
            {
                var device = service.NewDevice($"{id}-fan{f}");
                using var response = await http.PutAsJsonAsync(new Uri(web.BaseAddress, "/api/v1/push/subscription"), new { subscription = device.Json, follow = new[] { $"m:{id}" } });
                response.EnsureSuccessStatusCode();
            }
        }

        // Goals published as ingest publishes them (one envelope each on the updates channel, ts = now).
        var subscriber = mux.GetSubscriber();
        var committed = new Dictionary<(string, long), long>();
        var interval = TimeSpan.FromSeconds(1 / rate);
        var watch = Stopwatch.StartNew();
        for (var n = 0; n < goals; n++)
        {
            var id = ids[n % matches];
            var seq = n / matches + 2;
            var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var update = new MatchUpdate
            {
                MatchId = id, CompetitionId = "bench-cup", Epoch = "bench", Seq = seq, Ts = ts,
                State = new MatchState { MatchId = id, CompetitionId = "bench-cup", Status = MatchStatus.Live, Home = new TeamScore { Id = $"h-{id}", Name = "Home", Score = seq - 1 }, Away = new TeamScore { Id = $"a-{id}", Name = "Away" }, Epoch = "bench", Seq = seq },
                Incident = new Incident { Id = $"g{seq}", Type = IncidentTypes.Goal, Team = TeamSides.Home, Player = "Okafor", Seconds = seq * 60 },
            };
            committed[(id, seq)] = ts;
            await subscriber.PublishAsync(RedisChannel.Literal("sf:updates"), UpdateEnvelope.Format(update, ["live", "competition:bench-cup", $"match:{id}"]));
            var due = interval * (n + 1);
            if (due > watch.Elapsed)
            {
                await Task.Delay(due - watch.Elapsed);
            }
        }
        var expected = goals * fans;
        try
        {
            await Wait.UntilAsync(() => service.Received.Count >= expected, TimeSpan.FromSeconds(120), $"{expected} pushes");
        }
        catch (TimeoutException e)
        {
            Console.Error.WriteLine(e.Message + $" ({service.Received.Count} arrived)");
        }
        var latencies = service.Received
            .Select(r => (r.At.ToUnixTimeMilliseconds() - committed[(r.MatchId, r.Seq)]) * 1.0)
            .Order().ToArray();
        double Quantile(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        var duplicates = service.Received.Count - service.Received.Select(r => (r.Device, r.MatchId, r.Seq)).Distinct().Count();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"goal alerts: {goals} goals over {matches} matches at {rate}/s, {fans} fans each: {service.Received.Count} of {expected} pushes arrived, " +
            $"{duplicates} duplicates, {service.Rejections.Count} refused by the push service; commit→push latency ms: " +
            $"p50 {Quantile(0.50):F0}, p90 {Quantile(0.90):F0}, p99 {Quantile(0.99):F0}, max {Quantile(1.0):F0}"));
        return service.Received.Count == expected && duplicates == 0 && service.Rejections.Count == 0 ? 0 : 1;
    }
}
