using ScoreFeed.Contract;

namespace ScoreFeed.Hub.Fanout;

/// <summary>
/// The last updates this hub delivered per match, contiguous by seq, so that a client resuming from a recent position
/// is answered from memory: when thousands reconnect at once (a hub restart, a network blip), their recovery does not
/// read and parse the same history from Redis once per client. A position this does not cover (another epoch, older
/// than what is kept, ahead of what this hub has delivered yet) is read from Redis as before.
/// <para>
/// The fan-out adds each update before it takes the members to write it to, and <c>Subscribe</c> joins a topic before
/// it asks here: an update is either written to the joining connection or found here by its request, never neither.
/// </para>
/// </summary>
internal sealed class RecentUpdates(int perMatch, TimeProvider time)
{
    /// <summary>A match without an update for this long is let go of (a finished match): its clients resume from Redis.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, Ring> _matches = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _swept = time.GetTimestamp();

    /// <summary>After an update that does not follow the last one kept (a new epoch, a gap), the match starts over from it.</summary>
    public void Add(MatchUpdate update)
    {
        if (perMatch == 0)
        {
            return;
        }
        lock (_gate)
        {
            if (!_matches.TryGetValue(update.MatchId, out var ring))
            {
                _matches[update.MatchId] = ring = new Ring(perMatch);
            }
            var now = time.GetTimestamp();
            ring.Add(update, now);
            if (time.GetElapsedTime(_swept, now) > Idle)
            {
                _swept = now;
                foreach (var matchId in _matches.Where(m => time.GetElapsedTime(m.Value.Added, now) > Idle).Select(m => m.Key).ToList())
                {
                    _matches.Remove(matchId);
                }
            }
        }
    }

    /// <summary>Matches held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _matches.Count;
            }
        }
    }

    /// <summary>
    /// The updates after <paramref name="position"/>, in order (none when it is the last one), if every one of them is
    /// kept here; false to read them from Redis.
    /// </summary>
    public bool TryGetAfter(string matchId, StreamPosition position, out IReadOnlyList<MatchUpdate> missed)
    {
        lock (_gate)
        {
            if (_matches.TryGetValue(matchId, out var ring) && ring.TryGetAfter(position, out missed))
            {
                return true;
            }
        }
        missed = [];
        return false;
    }

    /// <summary>A match's last updates: <see cref="_count"/> of them, the oldest at <see cref="_start"/>.</summary>
    private sealed class Ring(int capacity)
    {
        private readonly MatchUpdate[] _updates = new MatchUpdate[capacity];
        private int _start;
        private int _count;

        private MatchUpdate Last => _updates[(_start + _count - 1) % _updates.Length];

        /// <summary>When the last update was added (a <see cref="TimeProvider"/> timestamp).</summary>
        public long Added { get; private set; }

        public void Add(MatchUpdate update, long now)
        {
            Added = now;
            if (_count > 0 && (Last.Epoch != update.Epoch || Last.Seq + 1 != update.Seq))
            {
                Array.Clear(_updates);
                (_start, _count) = (0, 0);
            }
            if (_count == _updates.Length)
            {
                _updates[_start] = update;
                _start = (_start + 1) % _updates.Length;
            }
            else
            {
                _updates[(_start + _count++) % _updates.Length] = update;
            }
        }

        public bool TryGetAfter(StreamPosition position, out IReadOnlyList<MatchUpdate> missed)
        {
            missed = [];
            if (_count == 0)
            {
                return false;
            }
            var first = _updates[_start];
            // The client's next update must be kept here (or the client holds the last one), and be of its epoch.
            if (first.Epoch != position.Epoch || position.Seq < first.Seq - 1 || position.Seq > Last.Seq)
            {
                return false;
            }
            var skip = (int)(position.Seq - (first.Seq - 1));
            var after = new MatchUpdate[_count - skip];
            for (var i = 0; i < after.Length; i++)
            {
                after[i] = _updates[(_start + skip + i) % _updates.Length];
            }
            missed = after;
            return true;
        }
    }
}
