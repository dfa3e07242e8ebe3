using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Scoring;
using StackExchange.Redis;
using StreamPosition = ScoreFeed.Contract.StreamPosition;

namespace ScoreFeed.Redis;

public enum ApplyOutcome
{
    /// <summary>Stored with the next seq; the update must now be published.</summary>
    Applied,
    /// <summary>The match already has exactly this state: nothing to publish.</summary>
    Unchanged,
    /// <summary>The provider already delivered a newer version.</summary>
    Stale,
    /// <summary>The match's seq is not the expected one (another writer came first).</summary>
    Conflict,
}

/// <summary>A change to apply: the complete new state of the match (its seq, epoch and updatedAt are ignored).</summary>
public sealed record MatchChange
{
    public required MatchState State { get; init; }
    /// <summary>The incident this change adds or amends, carried by the published update.</summary>
    public Incident? Incident { get; init; }
    public string Source { get; init; } = UpdateSources.Feed;
    /// <summary>Identifies the provider whose <see cref="ProviderVersion"/> orders its payloads (e.g. "footballdata").</summary>
    public string? ProviderKey { get; init; }
    /// <summary>
    /// The provider's version of the match (e.g. lastUpdated in ms): an older one is dropped as stale; the same
    /// one again applies only if it changes something (vendors' versions can be coarse, e.g. a response Date
    /// to the second, so two different payloads may share one).
    /// </summary>
    public long? ProviderVersion { get; init; }
    /// <summary>Apply only if the match's seq is still this one (0 for a match that does not exist yet).</summary>
    public long? ExpectedSeq { get; init; }
    /// <summary>Apply only if the match's pins are still at this version (see <see cref="StoredMatch.PinsVersion"/>).</summary>
    public long? ExpectedPinsVersion { get; init; }
    /// <summary>The match's operator pins after this change; null leaves them as they are, empty removes them.</summary>
    public IReadOnlyDictionary<string, Pin>? Pins { get; init; }
    /// <summary>Appended to the match's audit when the change commits (its id, time and seq are set by the store).</summary>
    public AuditEntry? Audit { get; init; }
}

public sealed record ApplyResult(ApplyOutcome Outcome, long Seq, string Epoch, string PreviousStatus, MatchUpdate? Update)
{
    /// <summary>The id of the audit entry committed with the change, if it had one.</summary>
    public string? AuditId { get; init; }
}

/// <summary>
/// A match as its writers read it: the state (with incidents) and the operator pins, read at once.
/// <see cref="PinsVersion"/> grows with every change of the pins; a change derived from this read applies only
/// while both it and the seq are unchanged.
/// </summary>
public sealed record StoredMatch(MatchState State, IReadOnlyDictionary<string, Pin> Pins, long PinsVersion);

/// <summary>How a match was read for a subscriber holding <c>position</c>.</summary>
public enum ReadMode
{
    /// <summary>Full state: no position, another epoch, or the position left the history.</summary>
    Snapshot,
    /// <summary>The client's position is the current one: nothing to send.</summary>
    Current,
    /// <summary>The updates after the client's position are in <see cref="MatchRead.Missed"/>.</summary>
    Recover,
}

public sealed record MatchRead(MatchState State, ReadMode Mode, IReadOnlyList<MatchUpdate> Missed);

/// <summary>
/// The Redis store of matches. Writes go through one Lua script (<see cref="StoreScripts.Apply"/>);
/// reads of a match's state and its history happen in one script too, so they always agree.
/// </summary>
public sealed class MatchStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<StoreOptions> options)
{
    private readonly StoreOptions _options = options.Value;

    private IDatabase Db => redis.GetDatabase();

    public async Task<ApplyResult> ApplyAsync(MatchChange change)
    {
        var state = change.State;
        if (!StandingsDocument.IsValidStreamId(state.MatchId) || !Ids.IsValid(state.CompetitionId))
        {
            throw new ArgumentException($"Invalid match or competition id '{Ids.Describe(state.MatchId)}' / '{Ids.Describe(state.CompetitionId)}'.", nameof(change));
        }
        if (!MatchStatus.IsValid(state.Status))
        {
            throw new ArgumentException($"Invalid status '{state.Status}'.", nameof(change));
        }
        var stored = state with { Epoch = "", Seq = 0, UpdatedAt = 0, Incidents = state.Incidents ?? [] };
        var body = JsonSerializer.Serialize(stored, ScoreFeedJsonContext.Default.MatchState);
        var update = new MatchUpdate
        {
            MatchId = state.MatchId,
            CompetitionId = state.CompetitionId,
            Source = change.Source,
            State = stored with { Incidents = null },
            Incident = change.Incident,
        };
        var updateBody = JsonSerializer.Serialize(update, ScoreFeedJsonContext.Default.MatchUpdate);

        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(StoreScripts.Apply,
            [keys.Match(state.MatchId), keys.History(state.MatchId), keys.LiveIndex, keys.AllIndex, keys.CompetitionIndex(state.CompetitionId), keys.Audit(state.MatchId)],
            new ApplyArguments(
                NewBody: body,
                UpdateJson: updateBody,
                ProviderKey: change.ProviderKey ?? "",
                ProviderVersion: ApplyArguments.Optional(change.ProviderVersion),
                ExpectedSeq: ApplyArguments.Optional(change.ExpectedSeq),
                NewEpoch: NewEpoch(),
                NewStatus: state.Status,
                NewComp: state.CompetitionId,
                StartsAt: state.StartsAt,
                HistoryLength: _options.HistoryLength,
                HistoryMaxAgeMs: (long)_options.HistoryMaxAge.TotalMilliseconds,
                RetentionMs: (long)_options.Retention.TotalMilliseconds,
                CompIndexPrefix: keys.CompetitionIndexPrefix,
                InPlay: MatchStatus.IsInPlay(state.Status),
                MayExpire: MatchStatus.IsTerminal(state.Status) || state.Status == MatchStatus.Postponed,
                MatchId: state.MatchId,
                ExpectedPinsVersion: ApplyArguments.Optional(change.ExpectedPinsVersion),
                WritePins: change.Pins is not null,
                PinsJson: change.Pins is null or { Count: 0 } ? "" : PinsJson(change.Pins),
                AuditJson: change.Audit is null ? "" : JsonSerializer.Serialize(change.Audit, ScoreFeedJsonContext.Default.AuditEntry),
                Indexed: !StandingsDocument.IsDocument(state.MatchId)).ToValues()).ConfigureAwait(false))!;

        var outcome = (string)result[0]! switch
        {
            "applied" => ApplyOutcome.Applied,
            "unchanged" => ApplyOutcome.Unchanged,
            "stale" => ApplyOutcome.Stale,
            _ => ApplyOutcome.Conflict,
        };
        var seq = (long)result[1];
        var epoch = (string)result[2]!;
        var previousStatus = (string)result[3]!;
        var auditId = (string?)result[5] is { Length: > 0 } id ? id : null;
        if (outcome != ApplyOutcome.Applied)
        {
            return new ApplyResult(outcome, seq, epoch, previousStatus, null) { AuditId = auditId };
        }
        var committedAt = (long)result[4];
        update = update with
        {
            Epoch = epoch,
            Seq = seq,
            Ts = committedAt,
            State = update.State with { Epoch = epoch, Seq = seq, UpdatedAt = committedAt },
        };
        return new ApplyResult(outcome, seq, epoch, previousStatus, update) { AuditId = auditId };
    }

    /// <summary>
    /// The run id of the Redis process the store writes to, and the run id on which every match was last checked
    /// against the rewind rule ('' if never). When they differ, Redis restarted or failed over since: see
    /// <c>StoreContinuity</c> in ingest.
    /// </summary>
    public async Task<(string RunId, string CheckedOn)> IncarnationAsync()
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(StoreScripts.Incarnation, [keys.Incarnation]).ConfigureAwait(false))!;
        return ((string)result[0]!, (string)result[1]!);
    }

    /// <summary>Records that every match was checked on Redis process <paramref name="runId"/>; false if Redis is another process by now.</summary>
    public async Task<bool> MarkIncarnationAsync(string runId) =>
        (long)(await Db.ScriptEvaluateAsync(StoreScripts.MarkIncarnation, [keys.Incarnation], [runId]).ConfigureAwait(false)) == 1;

    /// <summary>Each known match's current position (epoch, seq), in one pipelined round trip; unknown ones are left out.</summary>
    public async Task<IReadOnlyDictionary<string, StreamPosition>> PositionsAsync(IReadOnlyCollection<string> matchIds)
    {
        var batch = Db.CreateBatch();
        var reads = matchIds.Select(id => (Id: id, Values: batch.HashGetAsync(keys.Match(id), ["epoch", "seq"]))).ToArray();
        batch.Execute();
        await Task.WhenAll(reads.Select(r => r.Values)).ConfigureAwait(false);
        var positions = new Dictionary<string, StreamPosition>(StringComparer.Ordinal);
        foreach (var (id, values) in reads)
        {
            var v = values.Result;
            if (!v[0].IsNull && !v[1].IsNull)
            {
                positions[id] = new StreamPosition { Epoch = (string)v[0]!, Seq = (long)v[1] };
            }
        }
        return positions;
    }

    /// <summary>The match with its pins, for a writer that derives a change from it; null if the match is unknown.</summary>
    public async Task<StoredMatch?> GetStoredAsync(string matchId)
    {
        // One HMGET: the state and the pins are read at the same instant.
        var values = await Db.HashGetAsync(keys.Match(matchId), ["body", "seq", "epoch", "updatedAt", "pins", "pv"]).ConfigureAwait(false);
        if (values[0].IsNull)
        {
            return null;
        }
        var state = JsonSerializer.Deserialize((string)values[0]!, ScoreFeedJsonContext.Default.MatchState)!
            with { Seq = (long)values[1], Epoch = (string)values[2]!, UpdatedAt = (long)values[3] };
        var pins = values[4].IsNull
            ? new Dictionary<string, Pin>()
            : JsonSerializer.Deserialize((string)values[4]!, ScoreFeedJsonContext.Default.IReadOnlyDictionaryStringPin)!;
        return new StoredMatch(state, pins, values[5].IsNull ? 0 : (long)values[5]);
    }

    /// <summary>Pins as stored: ordered by field, so equal pins always serialize alike.</summary>
    public static string PinsJson(IReadOnlyDictionary<string, Pin> pins) => JsonSerializer.Serialize(
        new SortedDictionary<string, Pin>(pins.ToDictionary(), StringComparer.Ordinal),
        ScoreFeedJsonContext.Default.IReadOnlyDictionaryStringPin);

    /// <summary>The match's audit, oldest first (at most <paramref name="count"/> entries).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(string matchId, int count = 1000) =>
        [.. (await Db.StreamRangeAsync(keys.Audit(matchId), count: count).ConfigureAwait(false)).Select(ToAuditEntry)];

    /// <summary>One audit entry by id (a stream id such as <c>1795633447622-0</c>), or null.</summary>
    public async Task<AuditEntry?> ReadAuditEntryAsync(string matchId, string entryId)
    {
        var entries = await Db.StreamRangeAsync(keys.Audit(matchId), entryId, entryId, count: 1).ConfigureAwait(false);
        return entries.Length == 0 ? null : ToAuditEntry(entries[0]);
    }

    private static AuditEntry ToAuditEntry(StreamEntry entry) =>
        JsonSerializer.Deserialize((string)entry["e"]!, ScoreFeedJsonContext.Default.AuditEntry)!
            with { Id = entry.Id!, Seq = (long)entry["seq"], At = (long)entry["at"] };

    public async Task<MatchState?> GetAsync(string matchId) => (await ReadAsync(matchId, null).ConfigureAwait(false))?.State;

    /// <summary>Reads a match for a client holding <paramref name="position"/>; null if the match is unknown.</summary>
    public Task<MatchRead?> ReadAsync(string matchId, StreamPosition? position) => ReadAsync(Db, matchId, position, null);

    /// <summary>
    /// Reads many matches in one pipelined round trip; unknown ones are left out. A position more than
    /// <paramref name="maxRecovery"/> updates behind gets the snapshot instead of the updates (null: no limit).
    /// </summary>
    public async Task<IReadOnlyList<MatchRead>> ReadManyAsync(IReadOnlyCollection<(string MatchId, StreamPosition? Position)> requests, int? maxRecovery = null)
    {
        if (requests.Count == 0)
        {
            return [];
        }
        var batch = Db.CreateBatch();
        var tasks = requests.Select(r => ReadAsync(batch, r.MatchId, r.Position, maxRecovery)).ToArray();
        batch.Execute();
        var reads = await Task.WhenAll(tasks).ConfigureAwait(false);
        return [.. reads.OfType<MatchRead>()];
    }

    public async Task<IReadOnlyList<string>> LiveMatchIdsAsync() =>
        [.. (await Db.SetMembersAsync(keys.LiveIndex).ConfigureAwait(false)).Select(v => (string)v!)];

    /// <summary>Match ids of a competition, by start time.</summary>
    public async Task<IReadOnlyList<string>> CompetitionMatchIdsAsync(string competitionId) =>
        [.. (await Db.SortedSetRangeByRankAsync(keys.CompetitionIndex(competitionId)).ConfigureAwait(false)).Select(v => (string)v!)];

    /// <summary>Match ids that start in [from, to] (ms since the Unix epoch), by start time.</summary>
    public async Task<IReadOnlyList<string>> MatchIdsAsync(long from = long.MinValue, long to = long.MaxValue) =>
        [.. (await Db.SortedSetRangeByScoreAsync(keys.AllIndex, from, to).ConfigureAwait(false)).Select(v => (string)v!)];

    /// <summary>A competition's table as a feed last gave it (docs/standings.md, "Feed tables"), or null.</summary>
    public async Task<FeedTable?> GetFeedTableAsync(string competitionId) =>
        await Db.StringGetAsync(keys.FeedTable(competitionId)).ConfigureAwait(false) is { IsNull: false } json
            ? JsonSerializer.Deserialize((byte[])json!, ScoreFeedJsonContext.Default.FeedTable)
            : null;

    /// <summary>Kept a week past the last fetch: a competition no longer polled falls back to its matches alone.</summary>
    public Task SetFeedTableAsync(string competitionId, FeedTable table) =>
        Db.StringSetAsync(keys.FeedTable(competitionId), JsonSerializer.SerializeToUtf8Bytes(table, ScoreFeedJsonContext.Default.FeedTable), TimeSpan.FromDays(7));

    public async Task<IReadOnlyList<MatchState>> GetManyAsync(IEnumerable<string> matchIds) =>
        [.. (await ReadManyAsync([.. matchIds.Select(id => (id, (StreamPosition?)null))]).ConfigureAwait(false)).Select(r => r.State)];

    private async Task<MatchRead?> ReadAsync(IDatabaseAsync db, string matchId, StreamPosition? position, int? maxRecovery)
    {
        // A read-only script (EVALSHA_RO; SCRIPT LOAD first where the server lacks it): Redis then checks its keys for
        // read access only, so the hubs' Redis user may read the store and write none of it
        // (deploy/redis/users.acl.template). Requires Redis 7.
        var result = (RedisResult[])(await db.ScriptEvaluateReadOnlyAsync(StoreScripts.Read,
            [keys.Match(matchId), keys.History(matchId)],
            [position?.Epoch ?? "", position is null ? "" : position.Seq.ToString(CultureInfo.InvariantCulture),
                maxRecovery?.ToString(CultureInfo.InvariantCulture) ?? ""]).ConfigureAwait(false))!;
        if (result.Length == 0)
        {
            return null;
        }
        var epoch = (string)result[2]!;
        var seq = (long)result[1];
        var state = JsonSerializer.Deserialize((string)result[0]!, ScoreFeedJsonContext.Default.MatchState)!
            with { Epoch = epoch, Seq = seq, UpdatedAt = (long)result[3] };
        var mode = (string)result[4]! switch
        {
            "current" => ReadMode.Current,
            "recover" => ReadMode.Recover,
            _ => ReadMode.Snapshot,
        };
        if (mode != ReadMode.Recover)
        {
            return new MatchRead(state, mode, []);
        }
        // Entries come newest first: { id, { "seq", s, "ts", t, "u", json } }.
        var entries = (RedisResult[])result[5]!;
        var missed = new MatchUpdate[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var fields = (RedisResult[])((RedisResult[])entries[i]!)[1]!;
            var s = (long)fields[1];
            var u = JsonSerializer.Deserialize((string)fields[5]!, ScoreFeedJsonContext.Default.MatchUpdate)!;
            var ts = (long)fields[3];
            missed[entries.Length - 1 - i] = u with
            {
                Epoch = epoch,
                Seq = s,
                Ts = ts,
                State = u.State with { Epoch = epoch, Seq = s, UpdatedAt = ts },
            };
        }
        return new MatchRead(state, mode, missed);
    }

    private static string NewEpoch() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
