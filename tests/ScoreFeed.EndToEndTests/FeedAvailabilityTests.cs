using System.Diagnostics;
using System.Text.Json.Nodes;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Redis;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests;

/// <summary>Several ingest processes for one provider (lease and takeover), and replay of a recording.</summary>
public sealed class FeedAvailabilityTests(ITestOutputHelper output)
{
    private const string FootballData = "FootballData";

    [Fact]
    public async Task One_of_two_ingest_processes_polls_a_provider_and_the_other_takes_over_when_it_dies_without_gaps_or_duplicates()
    {
        await using var system = await FeedSystem.StartAsync();
        var payload = FakeVendor.Load("footballdata-matches.json");
        system.Vendor.Serve("/v4/matches", payload);
        var settings = system.Provider(FootballData);
        var first = await system.StartIngestAsync(settings);
        var second = await system.StartIngestAsync(settings);
        await system.UntilMatchAsync("fd-1001");
        await using var client = await TestClient.ConnectAsync(system.Hub.HubUrl);
        await client.SubscribeAsync(["match:fd-1001"]);
        var holder = await HolderAsync(system, first, second);
        var standby = holder == first ? second : first;
        Assert.Equal("Healthy", (await system.FeedHealthAsync(standby, FootballData)).Status);

        // Operators correct the match through the same atomic step while the holder dies and the standby takes over.
        await using var operators = await InProcessIngest.StartAsync(system.Settings);
        using var stop = new CancellationTokenSource();
        var corrections = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var id = $"op-{++n}";
                await operators.Updater.UpdateAsync("fd-1001", current => current is null ? null : new MatchChange
                {
                    State = current with { Incidents = [.. current.Incidents ?? [], new Incident { Id = id, Type = IncidentTypes.Timeout, Period = current.Period, Seconds = current.Clock.Seconds }] },
                    Incident = new Incident { Id = id, Type = IncidentTypes.Timeout, Period = current.Period, Seconds = current.Clock.Seconds },
                    Source = UpdateSources.Operator,
                }, CancellationToken.None);
                await Task.Delay(50);
            }
            return n;
        });

        var killed = Stopwatch.StartNew();
        holder.Kill();
        await Wait.UntilAsync(async () => (await system.FeedHealthAsync(standby, FootballData)).Data.GetProperty("holdsLease").GetString() == "True",
            FeedSystem.Patience, "the standby to take the lease");
        var takeover = killed.Elapsed;
        var goal = payload.DeepClone();
        goal["matches"]![0]!["score"]!["fullTime"]!["home"] = 2;
        goal["matches"]![0]!["lastUpdated"] = "2026-03-14T16:10:00Z";
        system.Vendor.Serve("/v4/matches", goal);
        await Wait.UntilAsync(() => client.State("fd-1001")?.Home.Score == 2, FeedSystem.Patience, "the goal through the new holder");
        var delivered = killed.Elapsed;
        await stop.CancelAsync();
        var corrected = await corrections;
        output.WriteLine($"lease taken over {takeover.TotalSeconds:F1} s after the holder was killed; a vendor change reached the fan {delivered.TotalSeconds:F1} s after; {corrected} operator corrections meanwhile");

        await Wait.UntilAsync(() => client.State("fd-1001")?.Incidents?.Count(i => i.Id.StartsWith("op-", StringComparison.Ordinal)) == corrected,
            FeedSystem.Patience, "every operator correction on the client");
        // Two publishers (feed and operators): an update may overtake another on its way to the hub, and the client
        // then recovers the one it missed; what it applies is every seq exactly once, in order.
        var seqs = client.Applied("fd-1001");
        Assert.Equal(Enumerable.Range((int)seqs[0], seqs.Count).Select(s => (long)s), seqs);
        Assert.Equal(client.State("fd-1001")!.Seq, seqs[^1]);
        Assert.Equal(2, client.State("fd-1001")!.Home.Score);
        Assert.InRange(takeover.TotalSeconds, 0, 6);
    }

    [Fact]
    public async Task A_recording_of_a_provider_replays_at_speed_through_the_same_mapping()
    {
        var directory = Directory.CreateTempSubdirectory("scorefeed-recording-").FullName;
        try
        {
            await using (var live = await FeedSystem.StartAsync())
            {
                var payload = FakeVendor.Load("footballdata-matches.json");
                live.Vendor.Serve("/v4/matches", payload);
                var ingest = await live.StartIngestAsync(live.Provider(FootballData, new() { ["RecordTo"] = directory }));
                await live.UntilMatchAsync("fd-1001");
                await live.UntilPolledAsync(2);
                var goal = payload.DeepClone();
                goal["matches"]![0]!["score"]!["fullTime"]!["home"] = 2;
                goal["matches"]![0]!["lastUpdated"] = "2026-03-14T16:10:00Z";
                goal["matches"]![0]!["goals"]!.AsArray().Add(JsonNode.Parse("""{ "minute": 66, "type": "REGULAR", "team": { "id": 57 }, "scorer": { "name": "Kai Havertz" } }"""));
                live.Vendor.Serve("/v4/matches", goal);
                await live.UntilMatchAsync("fd-1001", m => m.Home.Score == 2);
            }
            var recording = Directory.GetFiles(directory, "FootballData-*.jsonl").Single();
            Assert.Contains(File.ReadLines(recording), l => l.Contains("\"status\":200", StringComparison.Ordinal) && l.Contains("Kai Havertz", StringComparison.Ordinal));

            await using var replay = await FeedSystem.StartAsync();
            await replay.StartIngestAsync(new Dictionary<string, string>
            {
                ["Ingest:Providers:Replay:Enabled"] = "true",
                ["Ingest:Providers:Replay:Path"] = recording,
                ["Ingest:Providers:Replay:Speed"] = "4",
            });
            await replay.UntilMatchAsync("fd-1001");
            await using var client = await TestClient.ConnectAsync(replay.Hub.HubUrl);
            await client.SubscribeAsync(["match:fd-1001"]);
            await Wait.UntilAsync(() => client.State("fd-1001")?.Home.Score == 2, FeedSystem.Patience, "the replayed goal");
            Assert.Equal("Kai Havertz", client.State("fd-1001")!.Incidents!.Single(i => i.Seconds == 66 * 60).Player);
            Assert.Equal(0, client.Tracker.Gaps);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<AppProcess> HolderAsync(FeedSystem system, AppProcess a, AppProcess b)
    {
        AppProcess? holder = null;
        await Wait.UntilAsync(async () =>
        {
            var aHolds = (await system.FeedHealthAsync(a, FootballData)).Data.GetProperty("holdsLease").GetString() == "True";
            var bHolds = (await system.FeedHealthAsync(b, FootballData)).Data.GetProperty("holdsLease").GetString() == "True";
            holder = aHolds ^ bHolds ? (aHolds ? a : b) : null;
            return holder is not null;
        }, FeedSystem.Patience, "exactly one process to hold the lease");
        return holder!;
    }
}
