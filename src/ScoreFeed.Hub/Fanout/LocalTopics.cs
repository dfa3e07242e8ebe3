using System.Collections.Concurrent;

namespace ScoreFeed.Hub.Fanout;

/// <summary>
/// This hub's connections per topic: whom an update of a topic goes to. A join or leave takes the member's lock first
/// (<see cref="FanoutMember"/>), then the topic's; the fan-out reads a topic's members as a snapshot array.
/// </summary>
internal sealed class LocalTopics
{
    private readonly ConcurrentDictionary<string, TopicMembers> _topics = new(StringComparer.Ordinal);

    /// <summary>True if the connection joined <paramref name="topic"/> now (false: it held it already, or it is gone).</summary>
    public bool Join(FanoutMember member, string topic) => member.Join(topic, () =>
    {
        while (!_topics.GetOrAdd(topic, static _ => new TopicMembers()).TryAdd(member))
        {
            // That topic's last member left just now and its entry is being removed: take a fresh one.
        }
    });

    /// <summary>True if the connection held <paramref name="topic"/>.</summary>
    public bool Leave(FanoutMember member, string topic) => member.Leave(topic, () => RemoveFrom(topic, member));

    /// <summary>After a disconnect: the connection leaves every topic and joins none after; returns what it held.</summary>
    public string[] Remove(FanoutMember member) => member.RemoveAll(topic => RemoveFrom(topic, member));

    /// <summary>Connections of this hub holding <paramref name="topic"/>.</summary>
    public int Count(string topic) => _topics.TryGetValue(topic, out var members) ? members.Count : 0;

    /// <summary>True if any connection of this hub holds one of <paramref name="topics"/>.</summary>
    public bool AnyHeld(string[] topics)
    {
        foreach (var topic in topics)
        {
            if (Count(topic) > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The connections holding <paramref name="topic"/> now (a snapshot: do not change it).</summary>
    public FanoutMember[] MembersOf(string topic) => _topics.TryGetValue(topic, out var members) ? members.Snapshot() : [];

    private void RemoveFrom(string topic, FanoutMember member)
    {
        if (_topics.TryGetValue(topic, out var members) && members.Remove(member))
        {
            _topics.TryRemove(new KeyValuePair<string, TopicMembers>(topic, members));
        }
    }
}
