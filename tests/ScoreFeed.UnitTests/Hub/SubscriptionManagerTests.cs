using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Access;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Redis;

namespace ScoreFeed.UnitTests;

/// <summary>
/// What Subscribe and Unsubscribe refuse before they touch Redis, and what leaving does to delivery. (Join first, read
/// second is tested end to end, against Redis.)
/// </summary>
public sealed class SubscriptionManagerTests : IDisposable
{
    private static readonly ScoresHubOptions Limits = new() { MaxTopicsPerConnection = 4, MaxPositionsPerSubscribe = 2 };

    private readonly UpdateFanout _fanout = HubParts.Fanout(Limits);
    private readonly SubscriptionManager _subscriptions;

    public SubscriptionManagerTests()
    {
        // No Redis: every test here must be answered before a read.
        var store = new MatchStore(null!, new RedisKeys("test"), Options.Create(new StoreOptions()));
        _subscriptions = new SubscriptionManager(store, _fanout, Options.Create(Limits), new HubMetrics(HubParts.Meters),
            new TokenLeases(new EmbedTokens(TimeProvider.System, Options.Create(new HubAccessOptions())), new AccessMetrics(HubParts.Meters), TimeProvider.System, NullLogger<TokenLeases>.Instance),
            NullLogger<SubscriptionManager>.Instance);
    }

    public void Dispose()
    {
        _subscriptions.Dispose();
        _fanout.Dispose();
    }

    private TestCaller Connected(params string[] topics)
    {
        var caller = new TestCaller(Guid.NewGuid().ToString("N"));
        _subscriptions.Connected(caller);
        foreach (var topic in topics)
        {
            Assert.True(_fanout.Join(UpdateFanout.MemberOf(caller), topic));
        }
        return caller;
    }

    [Fact]
    public async Task Subscribe_without_a_topic_is_refused_with_the_request_it_expects()
    {
        var caller = Connected();

        var none = await Assert.ThrowsAsync<HubException>(() => _subscriptions.SubscribeAsync(caller, new SubscribeRequest { Topics = [] }));
        Assert.Contains("at least one topic", none.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => _subscriptions.SubscribeAsync(caller, null));
    }

    [Fact]
    public async Task A_request_with_too_many_topics_or_positions_is_refused_and_joins_nothing()
    {
        var caller = Connected();
        var member = UpdateFanout.MemberOf(caller);
        var topics = Enumerable.Range(0, Limits.MaxTopicsPerConnection * 4 + 1).Select(i => $"match:m{i}").ToList();
        var positions = Enumerable.Range(0, Limits.MaxPositionsPerSubscribe + 1)
            .ToDictionary(i => $"m{i}", _ => new StreamPosition { Epoch = "e1", Seq = 1 });

        var tooManyTopics = await Assert.ThrowsAsync<HubException>(() =>
            _subscriptions.SubscribeAsync(caller, new SubscribeRequest { Topics = topics }));
        var tooManyPositions = await Assert.ThrowsAsync<HubException>(() =>
            _subscriptions.SubscribeAsync(caller, new SubscribeRequest { Topics = ["match:m0"], Positions = positions }));

        Assert.Contains("Too many topics", tooManyTopics.Message, StringComparison.Ordinal);
        Assert.Contains("Too many positions", tooManyPositions.Message, StringComparison.Ordinal);
        Assert.Equal(0, member.TopicCount);
    }

    [Fact]
    public async Task Unsubscribe_leaves_its_topics_and_their_updates_stop()
    {
        var caller = Connected("match:m1", "match:m2");

        await _subscriptions.UnsubscribeAsync(caller, ["match:m1"]);
        await _fanout.PublishAsync(HubParts.Update("m1", 1));
        await _fanout.PublishAsync(HubParts.Update("m2", 1));

        Assert.False(UpdateFanout.MemberOf(caller).Holds("match:m1"));
        Assert.Single(caller.Sink.Frames);
    }

    [Fact]
    public async Task Unsubscribe_with_one_invalid_topic_unsubscribes_nothing()
    {
        var caller = Connected("match:m1");

        var refused = await Assert.ThrowsAsync<HubException>(() => _subscriptions.UnsubscribeAsync(caller, ["match:m1", "match:not valid!"]));

        Assert.Contains("Nothing was unsubscribed", refused.Message, StringComparison.Ordinal);
        Assert.True(UpdateFanout.MemberOf(caller).Holds("match:m1"));
        await Assert.ThrowsAsync<HubException>(() => _subscriptions.UnsubscribeAsync(caller, null));
    }

    [Fact]
    public async Task A_forgotten_connection_holds_no_topic_and_gets_no_update()
    {
        var caller = Connected("live", "match:m1");

        _subscriptions.Forget(caller);
        await _fanout.PublishAsync(HubParts.Update("m1", 1));

        Assert.Equal(0, UpdateFanout.MemberOf(caller).TopicCount);
        Assert.Empty(caller.Sink.Frames);
        // A connection that closed before its handshake completed was never registered: nothing to forget.
        _subscriptions.Forget(new TestCaller("never-registered"));
    }
}
