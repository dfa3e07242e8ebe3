using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ScoreFeed.Contract;
using Xunit.Abstractions;

namespace ScoreFeed.RehearsalTests;

/// <summary>
/// The ingest process that holds the simulator's lease killed (<c>kill -9</c>) at the moment an operator posts a
/// correction through nginx: the correction is applied exactly once (the audit has it once), the other ingest takes the
/// lease, and the simulator's updates keep reaching fans.
/// </summary>
/// <remarks>
/// What the console does, and the test with it: it posts with <c>expectedSeq</c>; on a 502/503/504 or a broken
/// connection (the request may or may not have been applied by the process that died) it retries once with the same
/// body. The <c>expectedSeq</c> makes the retry safe: if the first attempt was applied, the retry answers 409 and the
/// audit shows the one entry. nginx itself passes a request to the other ingest when the connection to the dead one is
/// refused (proxy_next_upstream error), but not a POST already sent to it.
/// </remarks>
[Collection(RehearsalCollection.Name)]
public sealed class IngestFailoverTests(Rehearsal rehearsal, ITestOutputHelper output)
{
    private const int FanCount = 200;

    [Fact]
    public async Task The_ingest_playing_the_feed_killed_while_a_correction_is_posted_applies_it_once_and_the_other_takes_over()
    {
        output.WriteLine($"Redis before the test: {await rehearsal.RestoreRedisAsync()}");
        using var http = rehearsal.CreateHttpClient();
        using var invoker = new HttpMessageInvoker(rehearsal.CreateHandler());
        await using var fans = new FanPool([new Uri(rehearsal.PublicBaseUrl, "/hubs/scores")]) { Invoker = invoker };
        await fans.StartAsync(FanCount, _ => [Topic.LiveName], TimeSpan.FromSeconds(60));
        var token = await rehearsal.TokenAsync(http);

        // Which ingest plays the simulator: the holder of its lease in Redis ("machine/pid/guid"). The simulator's lease
        // has no scorefeed_ingest_feed_lease_held series (that gauge covers the feed providers only); it counts in
        // scorefeed_ingest_feed_lease_acquired_total{provider="Simulator"}.
        var holder = -1;
        await Rehearsal.WaitAsync(async () => (holder = await LeaseHolderAsync()) >= 0, TimeSpan.FromSeconds(30), "an ingest to hold the simulator's lease");
        var victim = $"ingest-{holder + 1}";
        var survivor = 1 - holder;
        var acquiredBefore = Prometheus.Sum(await Rehearsal.IngestMetricsAsync(survivor), "scorefeed_ingest_feed_lease_acquired_total", "\"Simulator\"");

        string? matchId = null;
        var reason = $"rehearsal: ingest failover {Guid.NewGuid():N}";
        var attempts = new List<string>();
        try
        {
            long seq = 0;
            int home = 0;
            async Task ReadAsync()
            {
                matchId ??= (await rehearsal.MatchesAsync(http)).First(m => m.GetProperty("status").GetString() == MatchStatus.Live).GetProperty("matchId").GetString()!;
                // The match as the console reads it before a correction (ingest, from Redis): the read API's answer may
                // be up to a second old (Hub:ReadApiCache), and an older seq is a 409 the failover did not cause.
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/matches/{Uri.EscapeDataString(matchId)}/pins");
                request.Headers.Authorization = new("Bearer", token);
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var state = document.RootElement.GetProperty("state");
                seq = state.GetProperty("seq").GetInt64();
                home = state.GetProperty("home").GetProperty("score").GetInt32();
            }
            await ReadAsync();

            // The correction leaves first (in flight through nginx), the kill follows at once.
            var killedAt = Stopwatch.GetTimestamp();
            var correcting = CorrectAsync(http, token, matchId!, new { home = home + 3, expectedSeq = seq, reason }, attempts);
            await rehearsal.KillAsync(victim);
            var (status, corrected) = await correcting;
            // A 409 on the first attempt is the simulator's step between reading and posting, not the failover: the
            // console shows the new state and the operator submits again on it.
            for (var round = 0; status == HttpStatusCode.Conflict && attempts.Count == 1 && round < 3; round++)
            {
                attempts.Clear();
                await ReadAsync();
                (status, corrected) = await CorrectAsync(http, token, matchId!, new { home = home + 3, expectedSeq = seq, reason }, attempts);
            }
            var answered = Stopwatch.GetElapsedTime(killedAt);

            var takeover = await Rehearsal.WaitAsync(async () => await LeaseHolderAsync() == survivor, TimeSpan.FromSeconds(60),
                $"ingest-{survivor + 1} to take the simulator's lease") + answered;
            var pushedAtTakeover = fans.Fans.ToDictionary(f => f, f => Interlocked.Read(ref f.Pushed));
            var flowing = await Rehearsal.WaitAsync(() => Task.FromResult(fans.Fans.All(f => Interlocked.Read(ref f.Pushed) > pushedAtTakeover[f])),
                TimeSpan.FromSeconds(60), "the simulator's updates to reach every fan again") + takeover;

            var audit = await AuditAsync(http, token, matchId!);
            var ours = audit.Where(e => e.GetProperty("reason").GetString() == reason).ToList();
            var acquired = Prometheus.Sum(await Rehearsal.IngestMetricsAsync(survivor), "scorefeed_ingest_feed_lease_acquired_total", "\"Simulator\"") - acquiredBefore;
            output.WriteLine($"{victim} (held the simulator's lease) killed with -9 while a correction of {matchId} (home {home} → {home + 3}, expectedSeq {seq}) was posted through nginx");
            output.WriteLine($"the console's attempts: {string.Join(" → ", attempts)}; answered {answered.TotalSeconds:F2} s after the kill; the audit holds it {ours.Count} time(s)" +
                (ours.Count == 1 ? $" (seq {ours[0].GetProperty("seq").GetInt64()})" : ""));
            output.WriteLine($"ingest-{survivor + 1} took the lease {takeover.TotalSeconds:F1} s after the kill (lease acquired {acquired}×); simulator updates reached all {FanCount} fans again {flowing.TotalSeconds:F1} s after the kill");

            Assert.Single(ours);
            Assert.True(status == HttpStatusCode.OK || (status == HttpStatusCode.Conflict && attempts.Count == 2),
                $"the console's attempts: {string.Join(" → ", attempts)}");
            if (corrected is { } state)
            {
                Assert.Equal(home + 3, state.GetProperty("state").GetProperty("home").GetProperty("score").GetInt32());
            }
            Assert.True(acquired >= 1, "the survivor did not take the lease");

            // The correction reached the fans holding the match, in order, with everything else.
            var positions = await rehearsal.PositionsAsync(http);
            await RehearsalFans.WaitReachedAsync(fans, positions, TimeSpan.FromSeconds(30), output);
            var report = RehearsalFans.Report(fans, positions);
            output.WriteLine(report.ToString());
            report.AssertNothingLost();
        }
        finally
        {
            if (matchId is not null)
            {
                using var release = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/matches/{Uri.EscapeDataString(matchId)}/pins");
                release.Headers.Authorization = new("Bearer", token);
                using var released = await http.SendAsync(release);
                output.WriteLine($"pins of {matchId} released: {(int)released.StatusCode}");
            }
            if (rehearsal.Pid(victim) is null)
            {
                await rehearsal.ControlAsync("start", victim);
            }
        }
    }

    /// <summary>Which ingest (0 or 1) holds the simulator's lease, or -1.</summary>
    private async Task<int> LeaseHolderAsync()
    {
        var value = await rehearsal.RedisCliAsync(await rehearsal.MasterAsync(), "GET", "sf:feed:lease:Simulator");
        return value.Split('/') is [_, var text, _] && int.TryParse(text, out var pid)
            ? (rehearsal.Pid("ingest-1") == pid ? 0 : rehearsal.Pid("ingest-2") == pid ? 1 : -1)
            : -1;
    }

    /// <summary>The console: posts; on 502/503/504 or a broken connection, once more with the same body.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement? Match)> CorrectAsync(HttpClient http, string token, string matchId, object body, List<string> attempts)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/matches/{Uri.EscapeDataString(matchId)}/corrections") { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new("Bearer", token);
            HttpStatusCode status;
            JsonElement? match = null;
            try
            {
                using var response = await http.SendAsync(request);
                status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    match = doc.RootElement.Clone();
                }
                attempts.Add($"{(int)status}");
            }
            catch (HttpRequestException e)
            {
                attempts.Add($"connection: {e.Message}");
                status = HttpStatusCode.BadGateway;
            }
            if (status is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout) || attempt == 2)
            {
                return (status, match);
            }
        }
    }

    private static async Task<List<JsonElement>> AuditAsync(HttpClient http, string token, string matchId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/matches/{Uri.EscapeDataString(matchId)}/audit");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. doc.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.Clone())];
    }
}
