using ScoreFeed.Hub.Transport;
using ScoreFeed.Hub.Usage;

namespace ScoreFeed.Hub.Fanout;

/// <summary>One connection as the fan-out knows it, with the topics it holds.</summary>
internal sealed class FanoutMember(string connectionId, IFrameSink sink, int protocol)
{
    // Guarded by itself; taken before a topic's lock, never after.
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private bool _removed;

    public string ConnectionId { get; } = connectionId;

    public int TopicCount
    {
        get
        {
            lock (_topics)
            {
                return _topics.Count;
            }
        }
    }

    public bool Holds(string topic)
    {
        lock (_topics)
        {
            return _topics.Contains(topic);
        }
    }

    public IFrameSink Sink { get; } = sink;

    /// <summary>The partner's meter this connection's deliveries count on (a partner's counted connection), else null.</summary>
    public PartnerMeter? Usage { get; set; }

    /// <summary>Index of the connection's protocol in <see cref="UpdateFanout"/>'s list.</summary>
    public int Protocol { get; } = protocol;

    /// <summary>The last update written to this connection (fan-out loop only): one copy per connection however many of its topics the update goes to.</summary>
    public long Stamp;

    /// <summary>Under the member's lock, so that a connection removed (disconnected) while a Subscribe of it still runs joins nothing after.</summary>
    public bool Join(string topic, Action add)
    {
        lock (_topics)
        {
            if (_removed || !_topics.Add(topic))
            {
                return false;
            }
            add();
            return true;
        }
    }

    public bool Leave(string topic, Action remove)
    {
        lock (_topics)
        {
            if (!_topics.Remove(topic))
            {
                return false;
            }
            remove();
            return true;
        }
    }

    public string[] RemoveAll(Action<string> remove)
    {
        lock (_topics)
        {
            _removed = true;
            var held = _topics.ToArray();
            foreach (var topic in held)
            {
                remove(topic);
            }
            _topics.Clear();
            return held;
        }
    }
}
