using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// Abuse of the chaos issue: connection floods per address and per partner key, and thousands of malformed frames and
/// invocations (fixed seed, bounded count). The offender gets an error or is closed; the hub stays up; other fans see
/// nothing. (Operator routes without a token → 401, with a viewer token → 403: <c>OperatorAuthTests</c>.)
/// </summary>
public sealed class AbuseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Connection_floods_are_limited_per_address_and_per_partner_key_with_429_and_counted()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new()
        {
            // Behind the proxy the client's address comes from X-Forwarded-For (the proxy here is 127.0.0.1, trusted).
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["Hub:ConnectionLimits:PerAddress"] = "20",
            ["Hub:ConnectionLimits:PerKey"] = "30",
            ["Hub:ConnectionLimits:Window"] = "00:01:00",
        });
        var hub = system.Hubs[0];
        var url = new UriBuilder(hub.HubUrl) { Scheme = "ws" }.Uri;

        // 50 connections from one address (documentation range; only a header value here): 20 get through.
        var fromOne = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => TryConnectAsync(url, "198.51.100.7")));
        // Another address is not affected.
        var other = await TryConnectAsync(url, "198.51.100.8");
        // 40 connections with one partner key from 40 addresses: 30 get through.
        var keyed = new UriBuilder(url) { Query = "key=flood-partner" }.Uri;
        var withKey = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => TryConnectAsync(keyed, $"198.51.100.{100 + i}")));
        var metrics = await system.MetricsAsync(hub);
        output.WriteLine($"one address: {fromOne.Count(s => s.Status == HttpStatusCode.SwitchingProtocols)} of 50 admitted, others {string.Join(", ", fromOne.Where(s => s.Status != HttpStatusCode.SwitchingProtocols).GroupBy(s => $"{(int)s.Status} Retry-After {s.RetryAfter}").Select(g => $"{g.Count()} × {g.Key}"))}");
        output.WriteLine($"one partner key: {withKey.Count(s => s.Status == HttpStatusCode.SwitchingProtocols)} of 40 admitted; metrics: address {Prometheus.Sum(metrics, "scorefeed_hub_connections_limited_total", "reason=\"address\"")}, key {Prometheus.Sum(metrics, "scorefeed_hub_connections_limited_total", "reason=\"key\"")}");

        Assert.Equal(20, fromOne.Count(s => s.Status == HttpStatusCode.SwitchingProtocols));
        Assert.All(fromOne.Where(s => s.Status != HttpStatusCode.SwitchingProtocols), s =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, s.Status);
            Assert.Equal("60", s.RetryAfter);
        });
        Assert.Equal(HttpStatusCode.SwitchingProtocols, other.Status);
        Assert.Equal(30, withKey.Count(s => s.Status == HttpStatusCode.SwitchingProtocols));
        Assert.Equal(30, Prometheus.Sum(metrics, "scorefeed_hub_connections_limited_total", "reason=\"address\""));
        Assert.Equal(10, Prometheus.Sum(metrics, "scorefeed_hub_connections_limited_total", "reason=\"key\""));
        // Open connections are untouched, and the read API is not a connection.
        Assert.True((await system.Http.GetAsync(new Uri(hub.BaseAddress, "/api/v1/matches"))).IsSuccessStatusCode);
        foreach (var admitted in fromOne.Concat(withKey).Append(other))
        {
            admitted.Socket?.Dispose();
        }
    }

    [Fact]
    public async Task Admission_counts_every_spelling_of_the_hub_path_that_routing_accepts_negotiate_included()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new()
        {
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["Hub:ConnectionLimits:PerAddress"] = "20",
            ["Hub:ConnectionLimits:Window"] = "00:01:00",
        });
        var hub = system.Hubs[0];
        string[] spellings = ["/hubs/scores", "/HUBS/scores", "/Hubs/Scores", "/hubs/Scores/"];

        // 40 WebSockets from one address, ten of each spelling: 20 admitted, whatever the case.
        var sockets = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            TryConnectAsync(new UriBuilder(hub.BaseAddress) { Scheme = "ws", Path = spellings[i % spellings.Length] }.Uri, "198.51.100.20")));
        // Negotiate from another address, as /hubs/scores/Negotiate: 20 answered, the rest refused.
        var negotiates = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub.BaseAddress, i % 2 == 0 ? "/hubs/scores/Negotiate?negotiateVersion=1" : "/HUBS/SCORES/negotiate/?negotiateVersion=1"));
            request.Headers.Add("X-Forwarded-For", "198.51.100.21");
            using var response = await system.Http.SendAsync(request);
            negotiates.Add(response.StatusCode);
        }
        var admitted = sockets.Where(s => s.Status == HttpStatusCode.SwitchingProtocols).ToList();
        output.WriteLine($"one address, 4 spellings × 10 WebSockets: {admitted.Count} admitted ({string.Join(", ", spellings.Select((p, k) => $"{p} {sockets.Where((_, i) => i % spellings.Length == k).Count(s => s.Status == HttpStatusCode.SwitchingProtocols)}"))}), {sockets.Count(s => s.Status == HttpStatusCode.TooManyRequests)} refused with 429");
        output.WriteLine($"another address, 25 negotiates as /hubs/scores/Negotiate and /HUBS/SCORES/negotiate/: {negotiates.Count(s => s == HttpStatusCode.OK)} answered, {negotiates.Count(s => s == HttpStatusCode.TooManyRequests)} refused with 429");

        Assert.Equal(20, admitted.Count);
        Assert.Equal(20, sockets.Count(s => s.Status == HttpStatusCode.TooManyRequests));
        Assert.Equal(20, negotiates.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, negotiates.Count(s => s == HttpStatusCode.TooManyRequests));
        foreach (var socket in sockets)
        {
            socket.Socket?.Dispose();
        }
    }

    private sealed record Attempt(HttpStatusCode Status, string? RetryAfter, RawHubClient? Socket);

    private static async Task<Attempt> TryConnectAsync(Uri url, string forwardedFor)
    {
        var client = new RawHubClient { Headers = new Dictionary<string, string> { ["X-Forwarded-For"] = forwardedFor } };
        try
        {
            await client.ConnectAsync(url).Within();
            return new Attempt(client.HttpStatusCode, null, client);
        }
        catch (WebSocketException)
        {
            var retryAfter = client.ResponseHeader("Retry-After");
            var status = client.HttpStatusCode;
            client.Dispose();
            return new Attempt(status, retryAfter, null);
        }
    }

    [Fact]
    public async Task Thousands_of_malformed_frames_get_an_error_or_a_close_and_the_hub_and_other_fans_carry_on()
    {
        const int Frames = 3000;
        const int Seed = 20261125;
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new() { ["Hub:MaxMessageSize"] = "16384" });
        var ids = await system.CreateMatchesAsync("fz", 2);
        var hub = system.Hubs[0];
        await using var bystanders = new FanPool(system.HubUrls);
        await bystanders.StartAsync(20, i => Topics.Mix(i, ids, "fz"), TimeSpan.FromSeconds(30));
        await using var player = system.Play(ids, perSecond: 20, id => ChaosSystem.CompetitionOf("fz", Array.IndexOf(ids, id), ids.Length));

        var random = new Random(Seed);
        var frames = Enumerable.Range(0, Frames).Select(_ => Fuzz.Next(random)).ToArray();
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var url = new UriBuilder(hub.HubUrl) { Scheme = "ws" }.Uri;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Eight abusers at once, each reconnecting whenever the hub closes it.
        await Parallel.ForEachAsync(frames.Chunk(Frames / 8), async (chunk, _) =>
        {
            Abuser? abuser = null;
            try
            {
                foreach (var frame in chunk)
                {
                    abuser ??= await Abuser.ConnectAsync(url);
                    var outcome = await abuser.SendAsync(frame);
                    outcomes.AddOrUpdate($"{frame.Kind}: {outcome}", 1, (_, n) => n + 1);
                    if (outcome is Outcome.Closed)
                    {
                        abuser.Dispose();
                        abuser = null;
                    }
                }
            }
            finally
            {
                abuser?.Dispose();
            }
        });
        var fuzzed = watch.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1));
        await player.StopAsync();

        var final = await system.PositionsAsync(ids);
        await FanPool.WaitAsync(() => HubFailureTests.CaughtUp(bystanders, ids, "fz", final), TimeSpan.FromSeconds(30), "the bystanders to reach the final seq");
        var report = FanReport.Check(bystanders.Fans, f => Topics.Covered(f.Topics, ids, "fz"), final);
        output.WriteLine($"{Frames} fuzzed frames (seed {Seed}) in {fuzzed.TotalSeconds:F1} s; outcomes by kind:");
        foreach (var (kind, count) in outcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {kind}: {count}");
        }
        output.WriteLine("bystanders: " + report);

        Assert.DoesNotContain(outcomes.Keys, k => k.EndsWith(Outcome.Hung.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(outcomes.Keys, k => !k.StartsWith(nameof(Fuzz.Kind.Valid), StringComparison.Ordinal) && k.EndsWith(Outcome.Answered.ToString(), StringComparison.Ordinal));
        Assert.False(hub.HasExited);
        Assert.True((await system.Http.GetAsync(new Uri(hub.BaseAddress, "/health/ready"))).IsSuccessStatusCode);
        report.AssertNothingLost();
        Assert.Equal(0, bystanders.Fans.Sum(f => f.Disconnects));
    }

    /// <summary>
    /// RFC 6455's own refusals, on raw sockets after SignalR's handshake: a text message that is not UTF-8 (a character
    /// cut across fragments included) gets close 1007; a malformed close frame or a 64-bit length with its top bit set
    /// gets 1002. Only the sender is closed; the hub and the other fans carry on.
    /// </summary>
    [Fact]
    public async Task Invalid_UTF_8_and_malformed_frames_close_only_their_sender_with_1007_or_1002()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 1);
        var ids = await system.CreateMatchesAsync("rf", 2);
        var hub = system.Hubs[0];
        await using var bystanders = new FanPool(system.HubUrls);
        await bystanders.StartAsync(10, i => Topics.Mix(i, ids, "rf"), TimeSpan.FromSeconds(30));
        await using var player = system.Play(ids, perSecond: 20, id => ChaosSystem.CompetitionOf("rf", Array.IndexOf(ids, id), ids.Length));

        var cases = new (string Why, int Code, Func<NetworkStream, Task> Send)[]
        {
            ("a text message with an invalid byte", 1007, s => RawWebSocket.SendFrameAsync(s, RawWebSocket.Text, [.. "{\"type\":6}"u8, 0xFF, 0x1E])),
            ("a character cut across fragments, wrong in the second", 1007, async s =>
            {
                await RawWebSocket.SendFrameAsync(s, RawWebSocket.Text, [.. "{\"type\":6}"u8, 0xE2], final: false);
                await RawWebSocket.SendFrameAsync(s, 0x0, [0x28, 0xA1, 0x1E]);
            }),
            ("a close frame of 1 byte", 1002, s => RawWebSocket.SendFrameAsync(s, RawWebSocket.Close, [0x03])),
            ("close code 1005", 1002, s => RawWebSocket.SendFrameAsync(s, RawWebSocket.Close, [0x03, 0xED])),
            ("close code 5000", 1002, s => RawWebSocket.SendFrameAsync(s, RawWebSocket.Close, [0x13, 0x88])),
            ("a close reason that is not UTF-8", 1002, s => RawWebSocket.SendFrameAsync(s, RawWebSocket.Close, [0x03, 0xE8, 0xC0, 0xAF])),
            ("a 64-bit length with its top bit set", 1002, s => s.WriteAsync(new byte[] { 0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 }).AsTask().Within()),
        };
        var codes = new List<string>();
        foreach (var (why, code, send) in cases)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(hub.HubUrl.Host, hub.HubUrl.Port).Within();
            var stream = tcp.GetStream();
            await RawWebSocket.UpgradeAsync(stream, hub.HubUrl);
            await RawWebSocket.SendFrameAsync(stream, RawWebSocket.Text, HubMessages.JsonHandshake);
            await send(stream);
            // The hub's frames until its close frame: the handshake's answer and pings may come first.
            var (opcode, payload) = await RawWebSocket.ReceiveFrameAsync(stream);
            while (opcode != RawWebSocket.Close)
            {
                (opcode, payload) = await RawWebSocket.ReceiveFrameAsync(stream);
            }
            var sent = BinaryPrimitives.ReadUInt16BigEndian(payload);
            codes.Add($"{why}: {sent}");
            Assert.True(code == sent, $"{why}: close {sent}");
        }
        output.WriteLine(string.Join('\n', codes));

        await Task.Delay(TimeSpan.FromSeconds(1));
        await player.StopAsync();
        var final = await system.PositionsAsync(ids);
        await FanPool.WaitAsync(() => HubFailureTests.CaughtUp(bystanders, ids, "rf", final), TimeSpan.FromSeconds(30), "the bystanders to reach the final seq");
        FanReport.Check(bystanders.Fans, f => Topics.Covered(f.Topics, ids, "rf"), final).AssertNothingLost();
        Assert.Equal(0, bystanders.Fans.Sum(f => f.Disconnects));
        Assert.False(hub.HasExited);
    }

    private enum Outcome
    {
        /// <summary>A completion or close carrying an error, or a Subscribe result that rejects what was bad.</summary>
        Error,
        /// <summary>The hub closed the connection.</summary>
        Closed,
        /// <summary>A plain success (only for the valid frames mixed in).</summary>
        Answered,
        /// <summary>Neither an answer nor a close within the time allowed: must never happen.</summary>
        Hung,
    }

    /// <summary>One abusive raw WebSocket: sends a frame, then a probe invocation, and reads until it learns what the hub did.</summary>
    private sealed class Abuser : IDisposable
    {
        private readonly RawHubClient _client = new(256 * 1024);
        private int _probe;

        public static async Task<Abuser> ConnectAsync(Uri url)
        {
            var abuser = new Abuser();
            await abuser._client.ConnectAsync(url).Within();
            await abuser._client.HandshakeAsync().Within();
            var handshake = await abuser.ReceiveAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(HubMessages.HandshakeAccepted, handshake);
            return abuser;
        }

        public async Task<Outcome> SendAsync(Fuzz.Frame frame)
        {
            var probeId = "probe" + ++_probe;
            try
            {
                await _client.SendAsync(frame.Bytes, frame.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text).Within();
                // The probe: a frame that is not complete by itself leaves the hub waiting for the rest, and the probe
                // completes it (into garbage, which must then fail); a hub that stopped answering leaves the probe unanswered.
                await _client.InvokeAsync(probeId, "Unsubscribe", "[[\"live\"]]").Within();
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException or IOException)
            {
                return Outcome.Closed;
            }
            var sawError = false;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                var text = await ReceiveAsync(deadline - DateTime.UtcNow);
                if (text is null)
                {
                    return Outcome.Closed;
                }
                foreach (var record in text.Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (record.StartsWith("{\"type\":7", StringComparison.Ordinal))
                    {
                        return Outcome.Closed;
                    }
                    if (record.Contains("\"error\"", StringComparison.Ordinal) || record.Contains("\"rejected\":[{", StringComparison.Ordinal))
                    {
                        sawError = true;
                    }
                    if (record.Contains("\"invocationId\":\"" + probeId + "\"", StringComparison.Ordinal))
                    {
                        // Answered in order: what the frame caused came before.
                        return sawError || frame.Silent ? Outcome.Error : Outcome.Answered;
                    }
                }
            }
            return Outcome.Hung;
        }

        /// <summary>The next message (text or binary as UTF-8) other than pings and updates; null once closed; "" on timeout.</summary>
        private async Task<string?> ReceiveAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                var message = await _client.ReceiveAsync(cts.Token);
                return message.IsClose ? null : message.Text;
            }
            catch (OperationCanceledException)
            {
                return "";
            }
            catch (WebSocketException)
            {
                return null;
            }
        }

        public void Dispose() => _client.Dispose();
    }
}

/// <summary>Malformed frames and invocations, drawn from a seeded <see cref="Random"/>: the same 3,000 every run.</summary>
internal static class Fuzz
{
    public enum Kind
    {
        BadJson,
        WrongArgumentTypes,
        UnknownMethod,
        HugeTopicList,
        InvalidIds,
        Oversized,
        UnknownMessageType,
        BinaryGarbage,
        ServerOnlyMessage,
        Valid,
    }

    /// <param name="Silent">A frame SignalR rightly answers with nothing (e.g. a message only servers send); its probe's answer is the outcome.</param>
    public sealed record Frame(Kind Kind, byte[] Bytes, bool Binary = false, bool Silent = false);

    private static readonly string[] Junk = ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\\u0000", "\u001e", "{\"type\":", "\"arguments\"", "😀", "\\", "NaN"];

    public static Frame Next(Random random)
    {
        var kind = (Kind)random.Next(Enum.GetValues<Kind>().Length);
        string Invoke(string target, string arguments) => $"{{\"type\":1,\"invocationId\":\"f{random.Next()}\",\"target\":\"{target}\",\"arguments\":{arguments}}}\u001e";
        string Text(int length) => new([.. Enumerable.Range(0, length).Select(_ => (char)random.Next(0x20, 0x7f))]);
        return kind switch
        {
            Kind.BadJson => new(kind, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => Junk[random.Next(Junk.Length)])) + "\u001e")),
            Kind.WrongArgumentTypes => new(kind, Encoding.UTF8.GetBytes(Invoke(random.Next(2) == 0 ? "Subscribe" : "Unsubscribe", random.Next(6) switch
            {
                0 => "[42]",
                1 => "[\"live\"]",
                2 => "[{\"topics\":\"live\"}]",
                3 => "[{\"topics\":[1,2,3]}]",
                4 => "[{\"topics\":[\"live\"],\"positions\":{\"m\":{\"epoch\":5,\"seq\":\"x\"}}}]",
                _ => "[[],[],[]]",
            }))),
            Kind.UnknownMethod => new(kind, Encoding.UTF8.GetBytes(Invoke(random.Next(3) switch { 0 => "Explode", 1 => Text(random.Next(1, 40)).Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal), _ => "OnConnectedAsync" }, "[]"))),
            Kind.HugeTopicList => new(kind, Encoding.UTF8.GetBytes(Invoke("Subscribe", "[{\"topics\":[" + string.Join(',', Enumerable.Range(0, random.Next(201, 1200)).Select(i => $"\"match:m{i}\"")) + "]}]"))),
            Kind.InvalidIds => new(kind, Encoding.UTF8.GetBytes(Invoke("Subscribe", "[{\"topics\":[\"match:" + random.Next(4) switch
            {
                0 => new string('x', 65),
                1 => "a b",
                2 => "<script>",
                _ => "ü",
            } + "\",\"competition:\",\"nope\"],\"positions\":{\"bad id\":{\"epoch\":\"e\",\"seq\":-1}}}]"))),
            Kind.Oversized => new(kind, Encoding.UTF8.GetBytes(Invoke("Subscribe", "[{\"topics\":[\"" + new string('x', random.Next(17_000, 100_000)) + "\"]}]"))),
            Kind.UnknownMessageType => new(kind, Encoding.UTF8.GetBytes($"{{\"type\":{random.Next(8, 1000)}}}\u001e")),
            Kind.BinaryGarbage => new(kind, [.. Enumerable.Range(0, random.Next(1, 512)).Select(_ => (byte)random.Next(256)), 0x1e], Binary: random.Next(2) == 0),
            Kind.ServerOnlyMessage => new(kind, Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "{\"type\":3,\"invocationId\":\"x\",\"result\":1}\u001e" : "{\"type\":2,\"invocationId\":\"x\",\"item\":1}\u001e"), Silent: true),
            _ => new(kind, Encoding.UTF8.GetBytes(Invoke("Subscribe", "[{\"topics\":[\"live\"]}]"))),
        };
    }
}
