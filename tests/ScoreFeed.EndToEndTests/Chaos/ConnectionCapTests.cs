using System.Diagnostics;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// A hub holds at most <c>Kestrel:Limits:MaxConcurrentConnections</c> connections (50,000 shipped: ~0.75 GB at 15 KB
/// each): past it a new TCP connection is closed at once, so no client can make a hub hold sockets and memory without
/// end; and one that sends its request head slowly is let go 10 s after it connected (the hub's handshake reader and
/// Kestrel's <c>RequestHeadersTimeout</c>, shipped 10 s: before, the reader's 10 s and then Kestrel's 30 s).
/// </summary>
public sealed class ConnectionCapTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Past_the_cap_new_connections_are_closed_at_once_and_a_freed_place_is_taken_again()
    {
        const int Cap = 20, Opened = 25;
        await using var redis = await RedisServer.StartAsync();
        await using var hub = await AppProcess.StartAsync("ScoreFeed.Hub", new Dictionary<string, string>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Kestrel:Limits:MaxConcurrentConnections"] = Cap.ToString(),
        });
        // TCP connections that send nothing: each holds a place until the request head's timeout.
        var opened = new List<TcpClient>();
        try
        {
            for (var i = 0; i < Opened; i++)
            {
                opened.Add(await ConnectAsync(hub));
            }
            var closed = (await Task.WhenAll(opened.Select(c => ClosedWithinAsync(c, TimeSpan.FromSeconds(3))))).Count(c => c);

            opened.ForEach(c => c.Dispose());
            opened.Clear();
            await Task.Delay(500);
            using var again = await ConnectAsync(hub);
            var againOpen = !await ClosedWithinAsync(again, TimeSpan.FromSeconds(1));
            output.WriteLine($"cap {Cap}: of {Opened} idle connections the hub closed {closed} at once; once they left, a new one stayed open: {againOpen}");

            // The hub never holds more than the cap. Its own idle HTTP connections count too (the test's readiness
            // probe may still hold one from the pool), so one or two more may be closed.
            Assert.InRange(closed, Opened - Cap, Opened - Cap + 2);
            Assert.True(againOpen, "a connection after places were freed was closed");
        }
        finally
        {
            opened.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_request_head_sent_slowly_is_let_go_after_the_shipped_headers_timeout()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var hub = await AppProcess.StartAsync("ScoreFeed.Hub", new Dictionary<string, string> { ["ConnectionStrings:redis"] = redis.ConnectionString });
        using var slow = await ConnectAsync(hub);
        var stream = slow.GetStream();
        var watch = Stopwatch.StartNew();
        // A hub handshake, a byte every 2 s, never the end of the head: the hub's handshake reader holds it all along
        // and lets it go at its 10 s. (A head whose first bytes show another request goes on to HTTP/1.1 as soon as
        // they do, and Kestrel's 10 s run from then: at most 20 s in all.)
        var sender = Task.Run(async () =>
        {
            foreach (var b in "GET /hubs/scores HTTP/1.1\r\nHost: x\r\nX-Slow: "u8.ToArray())
            {
                try
                {
                    await stream.WriteAsync(new[] { b });
                    await Task.Delay(TimeSpan.FromSeconds(2));
                }
                catch (IOException)
                {
                    return;
                }
            }
        });
        var closed = await ClosedWithinAsync(slow, TimeSpan.FromSeconds(40));
        output.WriteLine($"a request head trickled at 1 byte / 2 s: the hub closed the connection after {watch.Elapsed.TotalSeconds:F1} s");

        Assert.True(closed, "the hub held a trickling request head for 40 s");
        Assert.InRange(watch.Elapsed.TotalSeconds, 5, 15);
    }

    private static async Task<TcpClient> ConnectAsync(AppProcess hub)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", hub.BaseAddress.Port);
        return client;
    }

    /// <summary>True when the peer closes (or resets) the connection within <paramref name="within"/>.</summary>
    private static async Task<bool> ClosedWithinAsync(TcpClient client, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                if (await client.GetStream().ReadAsync(buffer, timeout.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
