using ScoreFeed.Contract;

namespace ScoreFeed.Client;

/// <summary>What the tracker wants its owner to do after an update.</summary>
public enum TrackerAction
{
    None,
    /// <summary>A gap: subscribe again with <see cref="MatchTracker.Positions"/> to recover the missed updates.</summary>
    Recover,
    /// <summary>A new epoch: subscribe again without a position for this match to get its full state.</summary>
    Resnapshot,
}

/// <summary>
/// The reference client logic of the wire contract (docs/wire-contract.md), used by the tests, the benchmark's load
/// generator and as the model for the JavaScript client. Not thread-safe: feed it from one thread or lock.
/// <list type="bullet">
/// <item>apply an update only if seq == last + 1; drop seq &lt;= last as a duplicate; a jump asks for recovery;</item>
/// <item>a new epoch asks for a re-snapshot;</item>
/// <item>between <see cref="BeginSubscribe"/> and <see cref="CompleteSubscribe"/>, updates are held and replayed
/// once the snapshot is in, dropping what it already holds.</item>
/// </list>
/// </summary>
public sealed class MatchTracker
{
    private readonly Dictionary<string, Tracked> _matches = new(StringComparer.Ordinal);
    private readonly List<MatchUpdate> _held = [];
    private int _pendingSubscribes;

    public long Applied { get; private set; }
    public long Duplicates { get; private set; }
    public long Gaps { get; private set; }

    /// <summary>Called for each update applied, in order per match.</summary>
    public event Action<MatchUpdate>? UpdateApplied;

    public IReadOnlyDictionary<string, MatchState> States =>
        _matches.ToDictionary(kv => kv.Key, kv => kv.Value.State, StringComparer.Ordinal);

    public MatchState? this[string matchId] => _matches.TryGetValue(matchId, out var t) ? t.State : null;

    /// <summary>The positions to send with Subscribe to resume where this client is.</summary>
    public Dictionary<string, StreamPosition> Positions() =>
        _matches.ToDictionary(kv => kv.Key, kv => new StreamPosition { Epoch = kv.Value.State.Epoch, Seq = kv.Value.State.Seq }, StringComparer.Ordinal);

    /// <summary>Call before invoking Subscribe: updates are held until its result is in.</summary>
    public void BeginSubscribe() => _pendingSubscribes++;

    /// <summary>Applies a Subscribe result, then the updates held meanwhile. Returns the matches that still need action.</summary>
    public IReadOnlyDictionary<string, TrackerAction> CompleteSubscribe(SubscribeResult result)
    {
        var actions = new Dictionary<string, TrackerAction>(StringComparer.Ordinal);
        foreach (var state in result.Matches)
        {
            var current = _matches.GetValueOrDefault(state.MatchId);
            // A snapshot older than what live updates already brought (same epoch) changes nothing.
            if (current is null || current.State.Epoch != state.Epoch || current.State.Seq < state.Seq)
            {
                _matches[state.MatchId] = new Tracked(state);
            }
        }
        foreach (var update in result.Recovered)
        {
            Note(actions, update.MatchId, Apply(update));
        }
        if (--_pendingSubscribes <= 0)
        {
            _pendingSubscribes = 0;
            var held = _held.ToArray();
            _held.Clear();
            foreach (var update in held)
            {
                Note(actions, update.MatchId, Apply(update));
            }
        }
        return actions;
    }

    /// <summary>Feeds one pushed update.</summary>
    public TrackerAction OnUpdate(MatchUpdate update)
    {
        if (_pendingSubscribes > 0)
        {
            _held.Add(update);
            return TrackerAction.None;
        }
        return Apply(update);
    }

    /// <summary>Forgets a match, so the next Subscribe sends no position for it and gets its full state.</summary>
    public void Forget(string matchId) => _matches.Remove(matchId);

    private TrackerAction Apply(MatchUpdate update)
    {
        if (!_matches.TryGetValue(update.MatchId, out var tracked))
        {
            // First sight of a match (e.g. it just went live on the "live" topic): its state is complete but
            // for the incident timeline, which starts here.
            _matches[update.MatchId] = new Tracked(update.State with { Incidents = update.Incident is null or { Removed: true } ? [] : [update.Incident] });
            Applied++;
            UpdateApplied?.Invoke(update);
            return TrackerAction.None;
        }
        var state = tracked.State;
        if (update.Epoch != state.Epoch)
        {
            return TrackerAction.Resnapshot;
        }
        if (update.Seq <= state.Seq)
        {
            Duplicates++;
            return TrackerAction.None;
        }
        if (update.Seq != state.Seq + 1)
        {
            Gaps++;
            return TrackerAction.Recover;
        }
        var incidents = state.Incidents ?? [];
        if (update.Incident is { Removed: true } removed)
        {
            incidents = [.. incidents.Where(i => i.Id != removed.Id)];
        }
        else if (update.Incident is { } incident)
        {
            var at = incidents.ToList().FindIndex(i => i.Id == incident.Id);
            incidents = at < 0 ? [.. incidents, incident] : [.. incidents.Take(at), incident, .. incidents.Skip(at + 1)];
        }
        tracked.State = update.State with { Incidents = incidents };
        Applied++;
        UpdateApplied?.Invoke(update);
        return TrackerAction.None;
    }

    private static void Note(Dictionary<string, TrackerAction> actions, string matchId, TrackerAction action)
    {
        if (action != TrackerAction.None)
        {
            actions[matchId] = action;
        }
    }

    private sealed class Tracked(MatchState state)
    {
        public MatchState State { get; set; } = state;
    }
}
