using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Hubs;

namespace ScoreFeed.UnitTests;

public sealed class StrictJsonHubProtocolTests
{
    private static readonly StrictJsonHubProtocol Protocol = new(Options.Create(new JsonHubProtocolOptions()));

    private sealed class Binder : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(string[])];
        public Type GetReturnType(string invocationId) => typeof(object);
        public Type GetStreamItemType(string streamId) => typeof(object);
    }

    [Fact]
    public void Known_messages_parse_and_a_partial_record_waits_for_more()
    {
        var input = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{\"type\":6}\u001e{\"type\":1,\"target\":\"Unsubscribe\",\"arguments\":[[\"live\"]]}\u001e{\"type\":"));

        Assert.True(Protocol.TryParseMessage(ref input, new Binder(), out var ping));
        Assert.IsType<PingMessage>(ping);
        Assert.True(Protocol.TryParseMessage(ref input, new Binder(), out var invocation));
        Assert.Equal("Unsubscribe", Assert.IsType<InvocationMessage>(invocation).Target);
        Assert.False(Protocol.TryParseMessage(ref input, new Binder(), out _));
    }

    [Fact]
    public void A_complete_record_of_an_unknown_type_is_an_error_instead_of_a_silent_stall()
    {
        var input = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{\"type\":999}\u001e"));

        var error = Assert.Throws<InvalidDataException>(() => Protocol.TryParseMessage(ref input, new Binder(), out _));
        Assert.Contains("Unsupported message", error.Message);
    }
}
