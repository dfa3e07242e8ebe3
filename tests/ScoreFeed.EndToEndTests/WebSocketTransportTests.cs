using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Testing;
using static ScoreFeed.Testing.RawWebSocket;

namespace ScoreFeed.EndToEndTests;

/// <summary>
/// The hub's own WebSocket transport (clients that skip negotiation): the hub frames updates itself and writes them to
/// the socket, while the WebSocket it keeps for reading answers the client's control frames through the same writer.
/// Read here frame by frame off a plain TCP socket, so that every byte the hub sends is checked.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WebSocketTransportTests(ScoreFeedCluster cluster)
{
    private static readonly byte[] SubscribeLive = HubMessages.Subscribe(HubProtocol.Json, "1", new SubscribeRequest { Topics = ["live"] });

    /// <summary>
    /// <paramref name="direct"/>: the hub's own socket writer (the default); otherwise a third hub with
    /// <c>Hub:DirectSockets=false</c>, where the WebSocket middleware accepts and .NET's WebSocket sends (as for HTTP/2).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pings_are_answered_in_order_between_whole_update_frames(bool direct)
    {
        await using var other = direct ? null
            : await AppProcess.StartAsync("ScoreFeed.Hub", new Dictionary<string, string>(cluster.Settings) { ["Hub:DirectSockets"] = "false" });
        using var tcp = new TcpClient();
        var hub = (other ?? cluster.HubA).HubUrl;
        await tcp.ConnectAsync(hub.Host, hub.Port).Within();
        var stream = tcp.GetStream();
        await UpgradeAsync(stream, hub);
        await SendFrameAsync(stream, Text, HubMessages.JsonHandshake);
        await SendFrameAsync(stream, Text, SubscribeLive);

        var last = new Dictionary<string, (string Epoch, long Seq)>();
        int updates = 0, completions = 0, outOfOrder = 0, pings = 0;
        var pongs = new List<int>();
        var textSincePing = true;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (updates < 60 || pings < 10 || pongs.Count < pings)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{updates} updates, {pings} pings, pongs {string.Join(',', pongs)}");
            // A ping after each answered one and a message since, each with its number: its pong must come back with
            // that number, among the messages.
            if (textSincePing && pings == pongs.Count && (updates < 60 || pings < 10))
            {
                pings++;
                textSincePing = false;
                await SendFrameAsync(stream, Ping, BitConverter.GetBytes(pings));
            }
            var (opcode, payload) = await ReceiveFrameAsync(stream);
            Assert.NotEqual(Close, opcode);
            if (opcode == Pong)
            {
                pongs.Add(BitConverter.ToInt32(payload));
                continue;
            }
            Assert.Equal(Text, opcode);
            textSincePing = true;
            foreach (var record in Encoding.UTF8.GetString(payload).Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
            {
                // Each record is a whole JSON hub message: a frame cut or interleaved with a control frame would not be.
                using var json = JsonDocument.Parse(record);
                var kind = json.RootElement.TryGetProperty("type", out var type) ? type.GetInt32() : 0; // 0: the handshake's answer
                if (kind == 3)
                {
                    completions++;
                    Assert.False(json.RootElement.TryGetProperty("error", out var error), $"Subscribe failed: {error}");
                }
                else if (kind == 1 && json.RootElement.GetProperty("target").GetString() == "update")
                {
                    Assert.True(UpdateHead.TryRead(Encoding.UTF8.GetBytes(record), out var head), record);
                    if (last.TryGetValue(head.MatchId, out var before) && before.Epoch == head.Epoch && head.Seq <= before.Seq)
                    {
                        outOfOrder++;
                    }
                    last[head.MatchId] = (head.Epoch, head.Seq);
                    updates++;
                }
            }
        }

        Assert.Equal(1, completions);
        Assert.Equal(0, outOfOrder);
        Assert.True(pings >= 10, $"{pings} pings");
        Assert.Equal(Enumerable.Range(1, pings), pongs);
    }

    /// <summary>
    /// A hub busy enough to hold its send rounds (<c>Hub:SendBatchWindow</c>; the round that counts as busy lowered so
    /// that a test's few hundred connections make one): each connection's frames of several updates leave in one socket
    /// send — joined in one WebSocket message — and every connection still reads whole frames and every update after its
    /// Subscribe result, in order.
    /// </summary>
    [Fact]
    public async Task A_busy_hub_sends_several_updates_at_once_and_every_connection_gets_each_in_order()
    {
        const int Connections = 200, UpdatesEach = 60;
        await using var hub = await AppProcess.StartAsync("ScoreFeed.Hub", new Dictionary<string, string>(cluster.Settings)
        {
            ["Hub:SendBatchWindow"] = "00:00:00.200",
            ["Hub:SendBatchRound"] = "8",
            ["Hub:ConnectionLimits:PerAddress"] = "0",
            ["Hub:ConnectionLimits:PerSecond"] = "1000",
        });
        var clients = await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(hub.HubUrl.Host, hub.HubUrl.Port).Within();
            var stream = tcp.GetStream();
            await UpgradeAsync(stream, hub.HubUrl);
            await SendFrameAsync(stream, Text, HubMessages.JsonHandshake);
            await SendFrameAsync(stream, Text, SubscribeLive);
            return tcp;
        }));
        try
        {
            var results = await Task.WhenAll(clients.Select(tcp => ReadUpdatesAsync(tcp.GetStream(), UpdatesEach)));
            // Read a message at a time: the last may carry a few more than asked for.
            Assert.All(results, r => Assert.True(r.Applied >= UpdatesEach && r.Gaps == 0, $"{r.Applied} applied, {r.Gaps} gaps"));
            // Updates that waited for one send came in one message.
            var (messages, updates) = (results.Sum(r => r.Messages), results.Sum(r => r.Updates));
            Assert.True(messages < updates / 2, $"{messages} messages carried {updates} updates");

            // The rounds were held, and connections got their updates in fewer sends than updates.
            double held = 0, sends = 0, delivered = 0;
            using var http = new HttpClient();
            await Wait.UntilAsync(async () =>
            {
                var metrics = await http.GetStringAsync(new Uri(hub.BaseAddress, "/metrics"));
                (held, sends, delivered) = (Prometheus.Sum(metrics, "scorefeed_hub_socket_held_rounds_total"),
                    Prometheus.Sum(metrics, "scorefeed_hub_socket_sends_total"), Prometheus.Sum(metrics, "scorefeed_hub_updates_delivered_total"));
                return delivered >= Connections * UpdatesEach;
            }, TimeSpan.FromSeconds(30), "the hub's metrics");
            Assert.True(held > 0, "no round was held");
            Assert.True(sends < delivered / 2, $"{sends} sends for {delivered} updates delivered");
        }
        finally
        {
            foreach (var tcp in clients)
            {
                tcp.Dispose();
            }
        }
    }

    /// <summary>
    /// The hub reads a connection's first request itself when it is a hub handshake that skips negotiation — also when it
    /// arrives in pieces — and hands everything else to HTTP/1.1 unread: other requests, a negotiated connection's
    /// WebSocket, a malformed handshake; each gets HTTP's own answer.
    /// </summary>
    [Fact]
    public async Task Handshakes_are_read_before_HTTP_and_every_other_request_goes_on_to_HTTP_unread()
    {
        var hub = cluster.HubA;
        var (hubBefore, httpBefore) = await AcceptedAsync(hub);
        var authority = hub.HubUrl.Authority;
        string Handshake(string target, string key) => $"GET {target} HTTP/1.1\r\nHost: {authority}\r\nUpgrade: websocket\r\n"
            + $"Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        var validKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray());

        // A handshake in three pieces, a moment apart: answered, and the hub serves the connection.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(hub.HubUrl.Host, hub.HubUrl.Port).Within();
            var stream = tcp.GetStream();
            var head = await RawRequestAsync(stream, Handshake("/hubs/scores", validKey), 10, 60);
            Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
            await SendFrameAsync(stream, Text, HubMessages.JsonHandshake);
            await SendFrameAsync(stream, Text, SubscribeLive);
            var completion = "";
            while (completion.Length == 0)
            {
                var (opcode, payload) = await ReceiveFrameAsync(stream);
                Assert.Equal(Text, opcode);
                completion = Encoding.UTF8.GetString(payload).Split('\u001e').FirstOrDefault(r => r.StartsWith("{\"type\":3", StringComparison.Ordinal)) ?? "";
            }
            Assert.DoesNotContain("\"error\"", completion, StringComparison.Ordinal);
        }

        // Not for the hub to read, each sent in two pieces (the hub examined the first before it could tell):
        // a negotiated connection's WebSocket (SignalR: no such connection), a handshake with a malformed key, a health check.
        string[] others =
        [
            Handshake("/hubs/scores?id=no-such-connection", validKey),
            Handshake("/hubs/scores", "not-a-key"),
            $"GET /health/ready HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n",
        ];
        var answers = new List<string>();
        foreach (var request in others)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(hub.HubUrl.Host, hub.HubUrl.Port).Within();
            answers.Add((await RawRequestAsync(tcp.GetStream(), request, 30)).Split("\r\n")[0]);
        }
        Assert.Equal(["HTTP/1.1 404 Not Found", "HTTP/1.1 400 Bad Request", "HTTP/1.1 200 OK"], answers);

        var (hubAfter, httpAfter) = await AcceptedAsync(hub);
        Assert.Equal((1, 0), (hubAfter - hubBefore, httpAfter - httpBefore));
    }

    /// <summary>
    /// A hub that terminates TLS itself (an <c>https</c> endpoint): its connections arrive encrypted, so the hub leaves
    /// them to TLS and HTTP/1.1, and writes nothing to the socket past TLS — a <c>wss://</c> client subscribes and gets
    /// updates through the WebSockets middleware, as over HTTP/2. A client that says <c>X-Forwarded-Proto: http</c> to a
    /// hub that trusts forwarded headers changes nothing: the connection, not the request's scheme, says it is TLS.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Over_TLS_the_hub_leaves_the_socket_to_TLS_and_wss_clients_get_their_updates(bool forgedProto)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(Path.GetTempPath(), $"scorefeed-hub-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test"));
        try
        {
            var (http, https) = (Ports.Free(), Ports.Free());
            await using var hub = await AppProcess.StartAsync("ScoreFeed.Hub", new Dictionary<string, string>(cluster.Settings)
            {
                ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{http}",
                ["Kestrel:Endpoints:Https:Url"] = $"https://127.0.0.1:{https}",
                ["Kestrel:Endpoints:Https:Certificate:Path"] = pfx,
                ["Kestrel:Endpoints:Https:Certificate:Password"] = "test",
                ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = forgedProto ? "true" : "false",
            }, port: http);
            using var client = new RawHubClient();
            if (forgedProto)
            {
                client.Options.SetRequestHeader("X-Forwarded-Proto", "http");
            }
            var thumbprint = certificate.GetCertHashString();
            client.Options.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == thumbprint;
            await client.ConnectAsync(new Uri($"wss://127.0.0.1:{https}/hubs/scores")).Within();
            await client.HandshakeAsync().Within();
            await client.SubscribeAsync(new SubscribeRequest { Topics = ["live"] }).Within();

            var (completed, updates) = (false, 0);
            while (!completed || updates < 3)
            {
                var received = await client.ReceiveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.NotEqual(WebSocketMessageType.Close, received.Type);
                foreach (var record in received.Text.Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
                {
                    Assert.DoesNotContain("\"error\"", record, StringComparison.Ordinal);
                    completed |= record.StartsWith("{\"type\":3", StringComparison.Ordinal);
                    updates += record.Contains("\"target\":\"update\"", StringComparison.Ordinal) ? 1 : 0;
                }
            }
            var (byHub, byHttp) = await AcceptedAsync(hub);
            Assert.Equal((0, 1), (byHub, byHttp));
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    /// <summary>Connections the hub's transport accepted so far, by who read the handshake: the hub, or HTTP/1.1.</summary>
    private static async Task<(double Hub, double Http)> AcceptedAsync(AppProcess hub)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(hub.BaseAddress, "/metrics")).Within();
        return (Prometheus.Sum(metrics, "scorefeed_hub_socket_accepted_total", "handshake=\"hub\""),
            Prometheus.Sum(metrics, "scorefeed_hub_socket_accepted_total", "handshake=\"http\""));
    }

    /// <summary>
    /// Sends <paramref name="request"/> cut at <paramref name="cuts"/>, 100 ms between the pieces, and returns the
    /// response head, read byte by byte so that nothing after it is taken.
    /// </summary>
    private static async Task<string> RawRequestAsync(NetworkStream stream, string request, params int[] cuts)
    {
        var bytes = Encoding.ASCII.GetBytes(request);
        var from = 0;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            await stream.WriteAsync(bytes.AsMemory(from, cut - from)).AsTask().Within();
            from = cut;
            if (from < bytes.Length)
            {
                await Task.Delay(100);
            }
        }
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one).AsTask().Within());
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    /// <summary>
    /// Reads one connection until <paramref name="count"/> updates after its Subscribe result are applied as a client
    /// applies them: those held while Subscribe ran and any the snapshot holds already are dropped, a skipped seq is a gap.
    /// </summary>
    private static async Task<(int Applied, int Gaps, int Messages, int Updates)> ReadUpdatesAsync(NetworkStream stream, int count)
    {
        var last = new Dictionary<string, (string Epoch, long Seq)>();
        var held = new List<UpdateHead>();
        var (subscribed, applied, gaps, messages, updates) = (false, 0, 0, 0, 0);
        void Apply(UpdateHead head)
        {
            if (last.TryGetValue(head.MatchId, out var before) && before.Epoch == head.Epoch)
            {
                if (head.Seq <= before.Seq)
                {
                    return;
                }
                gaps += head.Seq == before.Seq + 1 ? 0 : 1;
            }
            last[head.MatchId] = (head.Epoch, head.Seq);
            applied++;
        }
        while (applied < count)
        {
            var (opcode, payload) = await ReceiveFrameAsync(stream);
            Assert.Equal(Text, opcode);
            messages++;
            foreach (var record in Encoding.UTF8.GetString(payload).Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
            {
                using var json = JsonDocument.Parse(record);
                var kind = json.RootElement.TryGetProperty("type", out var type) ? type.GetInt32() : 0;
                if (kind == 3)
                {
                    foreach (var match in json.RootElement.GetProperty("result").GetProperty("matches").EnumerateArray())
                    {
                        last[match.GetProperty("matchId").GetString()!] = (match.GetProperty("epoch").GetString()!, match.GetProperty("seq").GetInt64());
                    }
                    subscribed = true;
                    held.ForEach(Apply);
                }
                else if (kind == 1 && json.RootElement.GetProperty("target").GetString() == "update")
                {
                    Assert.True(UpdateHead.TryRead(Encoding.UTF8.GetBytes(record), out var head), record);
                    updates++;
                    if (subscribed)
                    {
                        Apply(head);
                    }
                    else
                    {
                        held.Add(head);
                    }
                }
            }
        }
        return (applied, gaps, messages, updates);
    }
}
