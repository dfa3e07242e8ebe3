using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace ScoreFeed.Hub.Hubs;

/// <summary>
/// SignalR's JSON hub protocol, except that a complete record it cannot turn into a message (an unknown
/// message type) closes the connection with an error. Plain SignalR returns "no message yet" for it and
/// then re-reads the same record forever: the connection stays open but never answers again.
/// </summary>
internal sealed class StrictJsonHubProtocol(IOptions<JsonHubProtocolOptions> options) : IHubProtocol
{
    private const byte RecordSeparator = 0x1e;

    private readonly JsonHubProtocol _inner = new(options);

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input;
        if (_inner.TryParseMessage(ref input, binder, out message))
        {
            return true;
        }
        if (before.PositionOf(RecordSeparator) is { } end && before.Slice(0, end).Length > 0)
        {
            throw new InvalidDataException("Unsupported message: expected a SignalR JSON protocol v1 message (type 1 to 7).");
        }
        return false;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);
}
