using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ScoreFeed.BrowserTests.Infrastructure;

/// <summary>
/// A TCP relay on 127.0.0.1 between the browser and a hub, so a test can drop every connection (as a lost network
/// would), keep refusing new ones for a while, and restore the path, to the same hub or another one.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<int, (Socket Client, Socket Upstream)> _pairs = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile int _targetPort;
    private volatile bool _down;
    private int _next;

    private TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public int Connections => _pairs.Count;

    public static TcpProxy Start(int targetPort) => new(targetPort);

    /// <summary>Cuts every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Drop()
    {
        _down = true;
        foreach (var (id, pair) in _pairs)
        {
            Close(pair.Client);
            Close(pair.Upstream);
            _pairs.TryRemove(id, out _);
        }
    }

    /// <summary>Lets connections through again, to <paramref name="targetPort"/> from now on if given.</summary>
    public void Restore(int? targetPort = null)
    {
        _targetPort = targetPort ?? _targetPort;
        _down = false;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        if (_down)
        {
            Close(client);
            return;
        }
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
        }
        catch (Exception)
        {
            Close(client);
            Close(upstream);
            return;
        }
        var id = Interlocked.Increment(ref _next);
        _pairs[id] = (client, upstream);
        await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        Close(client);
        Close(upstream);
        _pairs.TryRemove(id, out _);
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception)
        {
            // Either side went away: the relay of this connection ends.
        }
    }

    private static void Close(Socket socket)
    {
        try
        {
            // Reset rather than a graceful close: what a lost network looks like to the browser.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception)
        {
            // Already closed.
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Drop();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
