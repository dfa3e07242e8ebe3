using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ScoreFeed.Contract;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// Issue 15, item 3 (the read API's part): under a flood of Subscribes the read API took 3.6 s, and every request to it
/// was a read of Redis, ingest's write path. The hub now keeps each answer for <c>Hub:ReadApiCache</c> (1 s): a
/// flood costs Redis one read per distinct request per second, whatever the client adds to its request.
/// </summary>
public sealed class ReadApiCacheTests(ITestOutputHelper output)
{
    private const string Site = "http://127.0.0.1:5000";
    private const string Partner = "https://partner.test";

    [Fact]
    public async Task A_flood_of_reads_costs_Redis_one_read_per_second_whatever_the_requests_add_and_new_matches_still_show()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new() { ["Hub:CorsOrigins:0"] = Partner });
        var ids = await system.CreateMatchesAsync("rc", 40);
        var hub = system.Hubs[0].BaseAddress;
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(system.Redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(system.Redis.ConnectionString);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // 400 requests for the list at once, each dressed to miss a cache: other letters, another Host, credentials,
        // no-cache, a parameter the API does not read.
        var before = await RedisServer.CommandCallsAsync(server);
        var watch = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub, (i % 4) switch
            {
                0 => "/api/v1/matches",
                1 => "/API/V1/Matches",
                2 => $"/api/v1/matches?nocache={i}",
                _ => "/api/v1/matches/",
            }));
            request.Headers.Host = $"h{i % 50}.example";
            if (i % 3 == 0)
            {
                request.Headers.Authorization = new("Bearer", $"token-{i}");
            }
            if (i % 5 == 0)
            {
                request.Headers.CacheControl = new() { NoCache = true, MaxAge = TimeSpan.Zero };
            }
            using var response = await http.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        var took = watch.Elapsed;
        var after = await RedisServer.CommandCallsAsync(server);
        var listReads = Reads(before, after);
        output.WriteLine($"400 list requests (40 matches) at once, dressed 12 ways: {took.TotalMilliseconds:F0} ms, {listReads} reads of the match index in Redis");

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(answers.Select(a => a.Body).Distinct(StringComparer.Ordinal));
        Assert.Equal(40, System.Text.Json.JsonDocument.Parse(answers[0].Body).RootElement.GetProperty("matches").GetArrayLength());
        // One read per distinct request (routing's two paths, with and without the final slash) per second the flood
        // lasted (plus the one it began in), not one per request: 400 without the cache.
        Assert.InRange(listReads, 1, 2 * ((long)Math.Ceiling(took.TotalSeconds) + 1));

        // What the cache keeps is at most about a second old: a new match is listed soon, and the match itself is read.
        var created = await system.Feed.CreateMatchAsync("rc-new");
        var shown = Stopwatch.StartNew();
        await Wait.UntilAsync(async () => (await http.GetFromJsonAsync(new Uri(hub, "/api/v1/matches"), ScoreFeedJsonContext.Default.MatchList))!
            .Matches.Any(m => m.MatchId == "rc-new"), TimeSpan.FromSeconds(10), "the new match in the list");
        output.WriteLine($"a new match was listed {shown.Elapsed.TotalMilliseconds:F0} ms after it was created");
        var single = await http.GetFromJsonAsync(new Uri(hub, "/api/v1/matches/rc-new"), ScoreFeedJsonContext.Default.MatchState);
        Assert.Equal(created.Seq, single!.Seq);
    }

    [Fact]
    public async Task A_kept_answer_carries_the_CORS_headers_of_each_request_and_only_good_answers_are_kept()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new()
        {
            ["Hub:CorsOrigins:0"] = Partner,
            ["Hub:ReadApiCache"] = "00:00:30", // every request below is answered from one kept answer
        });
        await system.CreateMatchesAsync("rh", 2);
        var hub = system.Hubs[0].BaseAddress;
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(system.Redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(system.Redis.ConnectionString);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var before = await RedisServer.CommandCallsAsync(server);
        var seen = new List<(string? Origin, string? Allowed)>();
        foreach (var origin in new[] { Site, Partner, null, "https://elsewhere.test", Partner, Site })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub, "/api/v1/matches"));
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.Add((origin, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null));
        }
        // Counted before the match below is created: ingest reads the competition's matches then (for its table).
        var listReads = Reads(before, await RedisServer.CommandCallsAsync(server));
        // An unknown match is not kept: once it exists, it is answered.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(hub, "/api/v1/matches/rh-late"))).StatusCode);
        await system.Feed.CreateMatchAsync("rh-late");
        var late = await http.GetAsync(new Uri(hub, "/api/v1/matches/rh-late"));
        output.WriteLine($"Origin → Access-Control-Allow-Origin: {string.Join(", ", seen.Select(s => $"{s.Origin ?? "(none)"} → {s.Allowed ?? "(none)"}"))}; reads of the match index: {listReads}");

        Assert.Equal(1, listReads);
        Assert.All(seen, s => Assert.Equal(s.Origin is Site or Partner ? s.Origin : null, s.Allowed));
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
    }

    /// <summary>Reads of the index the unfiltered list starts from (ZRANGEBYSCORE, or ZRANGE … BYSCORE).</summary>
    private static long Reads(Dictionary<string, long> before, Dictionary<string, long> after) =>
        new[] { "zrangebyscore", "zrange" }.Sum(c => after.GetValueOrDefault(c) - before.GetValueOrDefault(c));
}
