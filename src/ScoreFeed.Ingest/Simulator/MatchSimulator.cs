using System.Globalization;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Feeds;
using ScoreFeed.Ingest.Publishing;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Simulator;

/// <summary>
/// The built-in feed: plays <see cref="SimulatorOptions.Matches"/> matches at once, stepping them at an
/// aggregate <see cref="SimulatorOptions.UpdatesPerSecond"/>. All match state lives in Redis, so a
/// restarted simulator carries on where it was; each slot starts a new match a while after its last ended.
/// </summary>
internal sealed class MatchSimulator(
    IOptions<SimulatorOptions> options,
    MatchUpdater updater,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IngestMetrics metrics,
    ProviderLease lease,
    TimeProvider time,
    ILogger<MatchSimulator> logger) : BackgroundService
{
    /// <summary>The simulator's lease name: with several ingest processes, one plays the matches and another takes over.</summary>
    public const string LeaseName = "Simulator";

    /// <summary>How long (game time) a finished, postponed or cancelled match stays up before its slot plays the next.</summary>
    private static readonly TimeSpan NextMatchAfter = TimeSpan.FromMinutes(10);

    private readonly SimulatorOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            IngestLog.SimulatorDisabled(logger);
            return;
        }
        var seed = _options.Seed ?? Random.Shared.Next();
        var slots = Enumerable.Range(0, _options.Matches)
            .Select(i => new Slot(i, SimCompetition.All[i % SimCompetition.All.Length], new Random(seed + i)))
            .ToArray();

        // Only the holder of the simulator's lease plays, so two ingest processes do not play every step twice; the
        // other takes over (from the slots in Redis) within the lease's TTL when the holder dies.
        var leaseLoop = lease.RunAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await lease.WaitUntilHeldAsync(stoppingToken).ConfigureAwait(false);
                await RestoreSlotsAsync(slots, stoppingToken).ConfigureAwait(false);
                IngestLog.SimulatorStarted(logger, slots.Length, _options.UpdatesPerSecond, _options.TimeScale, seed);
                await PlayWhileHeldAsync(slots, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await leaseLoop.ConfigureAwait(false);
    }

    private async Task PlayWhileHeldAsync(Slot[] slots, CancellationToken stoppingToken)
    {
        var rate = _options.UpdatesPerSecond;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(1000 / rate, 1, 250)), time);
        var start = time.GetTimestamp();
        long issued = 0;
        var next = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!lease.IsHeld)
            {
                return;
            }
            var due = (long)(time.GetElapsedTime(start).TotalSeconds * rate) - issued;
            for (; due > 0; due--)
            {
                issued++;
                var slot = NextReady(slots, ref next, time.GetUtcNow().ToUnixTimeMilliseconds());
                if (slot is null)
                {
                    // Every match is mid-step or waiting (before kick-off, in a break): drop this step rather than
                    // queue up work Redis cannot absorb.
                    metrics.StepSkipped();
                    continue;
                }
                _ = StepAsync(slot, stoppingToken);
            }
        }
    }

    /// <summary>The next slot, round robin, that is not mid-step and whose match can change now.</summary>
    private static Slot? NextReady(Slot[] slots, ref int next, long now)
    {
        for (var tries = 0; tries < slots.Length; tries++)
        {
            var slot = slots[next];
            next = (next + 1) % slots.Length;
            if (Volatile.Read(ref slot.NextChangeAt) <= now && Interlocked.CompareExchange(ref slot.Busy, 1, 0) == 0)
            {
                return slot;
            }
        }
        return null;
    }

    private async Task RestoreSlotsAsync(Slot[] slots, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var saved = (await redis.GetDatabase().HashGetAllAsync(keys.SimulatorSlots).ConfigureAwait(false))
                    .ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var slot in slots)
                {
                    slot.MatchId = saved.GetValueOrDefault(SlotField(slot)) ?? NewMatchId(slot, now);
                }
                await redis.GetDatabase().HashSetAsync(keys.SimulatorSlots,
                    [.. slots.Select(s => new HashEntry(SlotField(s), s.MatchId))]).ConfigureAwait(false);
                // Create the matches that do not exist (first start, or expired) before stepping any.
                await Parallel.ForEachAsync(slots, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                    async (slot, ct) => await updater.UpdateAsync(slot.MatchId,
                        current => current is null ? Create(slot, now, slot.Rng.NextDouble() < _options.StartInPlay) : null, ct).ConfigureAwait(false))
                    .ConfigureAwait(false);
                return;
            }
            catch (RedisException e)
            {
                IngestLog.SimulatorRedisUnavailable(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StepAsync(Slot slot, CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var over = false;
            await updater.UpdateAsync(slot.MatchId, current =>
            {
                if (current is null)
                {
                    return Create(slot, now, inPlay: false);
                }
                over = IsOver(current) && now >= NextMatchAt(current.UpdatedAt);
                var change = over ? null : GameScript.Step(current, slot.Rng, now, _options.TimeScale);
                var after = change?.State ?? current;
                Volatile.Write(ref slot.NextChangeAt, IsOver(after)
                    ? NextMatchAt(change is null ? current.UpdatedAt : now)
                    : GameScript.NextChangeAt(after, _options.TimeScale));
                return change;
            }, cancellationToken).ConfigureAwait(false);
            if (over)
            {
                var id = NewMatchId(slot, now);
                await updater.UpdateAsync(id, current => current is null ? Create(slot, now, inPlay: false) : null, cancellationToken).ConfigureAwait(false);
                await redis.GetDatabase().HashSetAsync(keys.SimulatorSlots, SlotField(slot), id).ConfigureAwait(false);
                slot.MatchId = id;
                Volatile.Write(ref slot.NextChangeAt, 0);
                IngestLog.SimulatorNextMatch(logger, slot.Index, id);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            IngestLog.SimulatorStepFailed(logger, e, slot.MatchId);
        }
        finally
        {
            Volatile.Write(ref slot.Busy, 0);
        }
    }

    private static bool IsOver(MatchState match) => match.Status is MatchStatus.Final or MatchStatus.Cancelled or MatchStatus.Postponed;

    /// <summary>When the slot of a match that ended at <paramref name="endedAt"/> starts its next match.</summary>
    private long NextMatchAt(long endedAt) => endedAt + (long)(NextMatchAfter.TotalMilliseconds / _options.TimeScale);

    private MatchChange Create(Slot slot, long now, bool inPlay) => new()
    {
        State = GameScript.NewMatch(slot.MatchId, slot.Competition, slot.Rng, now, inPlay, _options.TimeScale),
        Source = UpdateSources.Feed,
    };

    private static string SlotField(Slot slot) => slot.Index.ToString(CultureInfo.InvariantCulture);

    private static string NewMatchId(Slot slot, long now) =>
        string.Create(CultureInfo.InvariantCulture, $"sim{slot.Index}-{now / 1000:x}");

    private sealed class Slot(int index, SimCompetition competition, Random rng)
    {
        public int Index { get; } = index;
        public SimCompetition Competition { get; } = competition;
        /// <summary>Used only by the one step of this slot in flight.</summary>
        public Random Rng { get; } = rng;
        public string MatchId { get; set; } = "";
        public int Busy;
        /// <summary>Wall time (ms) before which a step of this slot's match would change nothing.</summary>
        public long NextChangeAt;
    }
}
