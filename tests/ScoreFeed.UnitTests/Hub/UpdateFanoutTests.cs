using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

/// <summary>
/// The fan-out as the updates channel drives it: one frame per protocol, written once to every local connection of the
/// update's topics; repeats dropped; what it delivered kept for clients that resume.
/// </summary>
public sealed class UpdateFanoutTests : IDisposable
{
    private readonly UpdateFanout _fanout = HubParts.Fanout();

    public void Dispose() => _fanout.Dispose();

    private TestCaller Connect(string id, TransferFormat format = TransferFormat.Text, params string[] topics)
    {
        var caller = new TestCaller(id, format: format);
        var member = _fanout.Register(caller);
        foreach (var topic in topics)
        {
            Assert.True(_fanout.Join(member, topic));
        }
        return caller;
    }

    [Fact]
    public async Task An_update_reaches_each_connection_of_its_topics_once_even_one_that_holds_several_of_them()
    {
        var both = Connect("both", TransferFormat.Text, "live", "match:m1");
        var competition = Connect("competition", TransferFormat.Text, "competition:c1");
        var other = Connect("other", TransferFormat.Text, "match:m2", "competition:c2");

        await _fanout.PublishAsync(HubParts.Update("m1", 1));

        Assert.Single(both.Sink.Frames);
        Assert.Single(competition.Sink.Frames);
        Assert.Empty(other.Sink.Frames);
    }

    [Fact]
    public async Task Each_connection_gets_the_update_in_its_protocol_and_one_protocol_shares_one_frame()
    {
        var json1 = Connect("json1", TransferFormat.Text, "match:m1");
        var json2 = Connect("json2", TransferFormat.Text, "match:m1");
        var binary = Connect("binary", TransferFormat.Binary, "match:m1");

        await _fanout.PublishAsync(HubParts.Update("m1", 7));

        var text = Assert.Single(json1.Sink.Frames);
        Assert.Equal(text, Assert.Single(json2.Sink.Frames));
        Assert.Equal(0x1E, text[^1]);
        Assert.Contains("\"target\":\"update\"", Encoding.UTF8.GetString(text), StringComparison.Ordinal);
        var packed = new ReadOnlySequence<byte>(Assert.Single(binary.Sink.Frames));
        Assert.True(new MessagePackHubProtocol().TryParseMessage(ref packed, new UpdateBinder(), out var message));
        var invocation = Assert.IsType<InvocationMessage>(message);
        Assert.Equal(ClientMethods.Update, invocation.Target);
        Assert.Equal(7, Assert.IsType<MatchUpdate>(Assert.Single(invocation.Arguments)).Seq);
    }

    [Fact]
    public async Task An_update_published_twice_is_delivered_once()
    {
        var fan = Connect("fan", TransferFormat.Text, "match:m1");

        await _fanout.PublishAsync(HubParts.Update("m1", 1));
        await _fanout.PublishAsync(HubParts.Update("m1", 2));
        await _fanout.PublishAsync(HubParts.Update("m1", 2));
        await _fanout.PublishAsync(HubParts.Update("m1", 1));

        Assert.Equal(2, fan.Sink.Frames.Count);
        // A new epoch starts again at 1: delivered.
        await _fanout.PublishAsync(HubParts.Update("m1", 1, epoch: "e2"));
        Assert.Equal(3, fan.Sink.Frames.Count);
    }

    [Fact]
    public async Task A_connection_gets_nothing_of_a_topic_it_left_nor_anything_once_removed()
    {
        var fan = Connect("fan", TransferFormat.Text, "match:m1", "match:m2");
        var member = UpdateFanout.MemberOf(fan);

        Assert.True(_fanout.Leave(member, "match:m1"));
        Assert.False(_fanout.Leave(member, "match:m1"));
        await _fanout.PublishAsync(HubParts.Update("m1", 1));
        Assert.Empty(fan.Sink.Frames);

        Assert.Equal(["match:m2"], _fanout.Remove(member));
        // A Subscribe still running for a disconnected connection joins nothing.
        Assert.False(_fanout.Join(member, "match:m1"));
        await _fanout.PublishAsync(HubParts.Update("m1", 2));
        await _fanout.PublishAsync(HubParts.Update("m2", 1));
        Assert.Empty(fan.Sink.Frames);
    }

    [Fact]
    public async Task What_was_delivered_is_kept_for_a_client_that_resumes_on_this_hub()
    {
        Connect("fan", TransferFormat.Text, "match:m1");
        for (var seq = 1; seq <= 5; seq++)
        {
            await _fanout.PublishAsync(HubParts.Update("m1", seq));
        }

        Assert.True(_fanout.TryRecover("m1", new StreamPosition { Epoch = "e1", Seq = 3 }, out var missed));
        Assert.Equal([4L, 5L], missed.Select(u => u.Seq));
        Assert.False(_fanout.TryRecover("m1", new StreamPosition { Epoch = "other", Seq = 3 }, out _));
    }

    [Fact]
    public async Task A_message_that_is_not_an_update_reaches_no_one_and_the_next_update_still_does()
    {
        var fan = Connect("fan", TransferFormat.Text, "match:m1");

        await _fanout.OnMessageAsync("match:m1\n{not json");
        await _fanout.OnMessageAsync("no topic line");
        Assert.Empty(fan.Sink.Frames);

        await _fanout.PublishAsync(HubParts.Update("m1", 1));
        Assert.Single(fan.Sink.Frames);
    }

    [Fact]
    public void A_connection_without_a_frame_sink_cannot_register()
    {
        var caller = new TestCaller("bare");
        caller.Features.Set<IFrameSink>(null);

        Assert.Throws<InvalidOperationException>(() => _fanout.Register(caller));
        Assert.Throws<InvalidOperationException>(() => UpdateFanout.MemberOf(caller));
    }

    private sealed class UpdateBinder : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(MatchUpdate)];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
