namespace ScoreFeed.Hub.Fanout;

/// <summary>A topic's local connections; the loop iterates a snapshot array rebuilt only after a change.</summary>
internal sealed class TopicMembers
{
    private readonly HashSet<FanoutMember> _set = [];
    private FanoutMember[]? _snapshot = [];
    private bool _retired;

    public int Count
    {
        get
        {
            lock (_set)
            {
                return _set.Count;
            }
        }
    }

    /// <summary>False if the topic's entry was retired (its last member left): the caller takes a fresh one.</summary>
    public bool TryAdd(FanoutMember member)
    {
        lock (_set)
        {
            if (_retired)
            {
                return false;
            }
            if (_set.Add(member))
            {
                _snapshot = null;
            }
            return true;
        }
    }

    /// <summary>True when this was the last member: the entry is retired and should leave the dictionary.</summary>
    public bool Remove(FanoutMember member)
    {
        lock (_set)
        {
            if (_set.Remove(member))
            {
                _snapshot = null;
            }
            _retired = _set.Count == 0;
            return _retired;
        }
    }

    public FanoutMember[] Snapshot()
    {
        lock (_set)
        {
            return _snapshot ??= [.. _set];
        }
    }
}
