namespace ScoreFeed.Hub.Presence;

/// <summary>
/// This hub's connections per watched match (those holding <c>match:{id}</c>), kept from the Subscribe and
/// Unsubscribe calls that succeeded. Changed a few times per connection; read once per presence interval.
/// </summary>
internal sealed class AudienceTracker
{
    private readonly object _gate = new();
    private readonly Dictionary<string, HashSet<string>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Adds the connection to the match's watchers; false if it was one already.</summary>
    public bool Add(string matchId, string connectionId)
    {
        lock (_gate)
        {
            if (!_watchers.TryGetValue(matchId, out var set))
            {
                _watchers[matchId] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            return set.Add(connectionId);
        }
    }

    public void Remove(string matchId, string connectionId)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(matchId, out var set) && set.Remove(connectionId) && set.Count == 0)
            {
                _watchers.Remove(matchId);
            }
        }
    }

    public int LocalCount(string matchId)
    {
        lock (_gate)
        {
            return _watchers.TryGetValue(matchId, out var set) ? set.Count : 0;
        }
    }

    /// <summary>Watchers per match on this hub.</summary>
    public Dictionary<string, int> Counts()
    {
        lock (_gate)
        {
            return _watchers.ToDictionary(kv => kv.Key, kv => kv.Value.Count, StringComparer.Ordinal);
        }
    }

    public string[] Watchers(string matchId)
    {
        lock (_gate)
        {
            return _watchers.TryGetValue(matchId, out var set) ? [.. set] : [];
        }
    }
}
