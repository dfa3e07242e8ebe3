using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Protection;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

/// <summary>
/// The hub's <see cref="SocketWriter"/> on the server end of a real loopback TCP connection, the client end for the test
/// to read what it sent.
/// </summary>
internal sealed class LoopbackWriter : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly Socket _server;

    private LoopbackWriter(ServiceProvider services, Socket server, Socket client, SocketWriter writer, TransferFormatFeature format) =>
        (_services, _server, Client, Writer, Format) = (services, server, client, writer, format);

    public SocketWriter Writer { get; }

    public Socket Client { get; }

    /// <summary>The connection's transfer format (text until a test says binary).</summary>
    public TransferFormatFeature Format { get; }

    /// <summary>A writer sending through <paramref name="queue"/>, made from the transport's metrics and buffer pool.</summary>
    public static async Task<LoopbackWriter> StartAsync(Func<TransportMetrics, FrameBufferPool, ISendQueue> queue, ConnectionContext? connection = null)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accepting;
        var meters = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var buffers = new FrameBufferPool();
        var guard = new SlowConsumerGuard(Options.Create(new SlowConsumerOptions()), Array.Empty<IHubProtocol>(),
            new ProtectionMetrics(meters), TimeProvider.System, NullLogger<SlowConsumerGuard>.Instance);
        var writer = new SocketWriter(guard, server, queue(new TransportMetrics(meters, buffers), buffers), buffers);
        var format = new TransferFormatFeature();
        writer.Bind(connection ?? new DefaultConnectionContext("test"), format);
        return new LoopbackWriter(services, server, client, writer, format);
    }

    /// <summary>The next <paramref name="count"/> bytes the writer sent.</summary>
    public async Task<byte[]> ReceiveAsync(int count)
    {
        var buffer = new byte[count];
        using var stream = new NetworkStream(Client, ownsSocket: false);
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return buffer;
    }

    /// <summary>Everything the writer sent that the test has not read yet: the server end stops sending, the client reads to the end.</summary>
    public async Task<byte[]> ReceiveToEndAsync()
    {
        _server.Shutdown(SocketShutdown.Send);
        using var stream = new NetworkStream(Client, ownsSocket: false);
        using var all = new MemoryStream();
        await stream.CopyToAsync(all).WaitAsync(TimeSpan.FromSeconds(10));
        return all.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _server.Dispose();
        await _services.DisposeAsync();
    }

    internal sealed class TransferFormatFeature : ITransferFormatFeature
    {
        public TransferFormat SupportedFormats => TransferFormat.Text | TransferFormat.Binary;

        public TransferFormat ActiveFormat { get; set; } = TransferFormat.Text;
    }
}
