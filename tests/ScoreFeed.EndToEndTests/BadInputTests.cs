using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests;

/// <summary>Bad input gets a clear error to that client only; the hub and every other client carry on.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BadInputTests(ScoreFeedCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Invalid_and_unknown_topics_are_rejected_with_reasons_and_valid_ones_still_subscribe()
    {
        await using var client = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        var longId = new string('x', 65);

        var result = await client.SubscribeAsync(
            ["live", "match:bad id", "scores", "competition:", $"match:{longId}", "match:no-such-match", "competition:no-such-cup", "match:<script>"]);

        var reasons = result.Rejected.ToDictionary(r => r.Topic, r => r.Reason);
        Assert.Equal(7, reasons.Count);
        Assert.Contains("invalid id", reasons["match:bad id"]);
        Assert.Contains("unknown topic", reasons["scores"]);
        Assert.Contains("invalid id", reasons["competition:"]);
        Assert.Contains("invalid id", reasons[$"match:{longId}"]);
        Assert.Equal("unknown match", reasons["match:no-such-match"]);
        Assert.Equal("unknown competition", reasons["competition:no-such-cup"]);
        Assert.Contains("invalid id", reasons["match:<script>"]);
        Assert.NotEmpty(result.Matches);
        await Wait.UntilAsync(() => client.Tracker.Applied > 5, Patience, "live updates on the valid topic");
    }

    [Fact]
    public async Task Topics_beyond_the_per_connection_limit_are_rejected()
    {
        var ids = new List<string>();
        for (var i = 0; i < ScoreFeedCluster.MaxTopicsPerConnection + 5; i++)
        {
            var id = $"lim{i}-" + Guid.NewGuid().ToString("N")[..6];
            await cluster.Publisher.CreateMatchAsync(id, status: MatchStatus.Scheduled);
            ids.Add(id);
        }
        await using var client = await TestClient.ConnectAsync(cluster.HubB.HubUrl);

        var result = await client.SubscribeAsync([.. ids.Select(id => Topic.ForMatch(id).Name)]);

        Assert.Equal(ScoreFeedCluster.MaxTopicsPerConnection, result.Matches.Count);
        Assert.Equal(5, result.Rejected.Count);
        Assert.All(result.Rejected, r => Assert.Contains($"at most {ScoreFeedCluster.MaxTopicsPerConnection} topics", r.Reason));
        // Unsubscribing frees room.
        await client.Connection.InvokeAsync("Unsubscribe", new[] { Topic.ForMatch(ids[0]).Name }).Within();
        var again = await client.SubscribeAsync([Topic.ForMatch(ids[^1]).Name]);
        Assert.Empty(again.Rejected);
    }

    [Fact]
    public async Task Malformed_invocations_get_a_clear_error_and_the_connection_keeps_working()
    {
        await using var client = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        var connection = client.Connection;

        var nullRequest = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SubscribeResult>("Subscribe", (SubscribeRequest?)null).Within());
        var noTopics = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SubscribeResult>("Subscribe", new SubscribeRequest { Topics = [] }).Within());
        var wrongType = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SubscribeResult>("Subscribe", 42).Within());
        var noArgs = await Assert.ThrowsAsync<HubException>(() => connection.InvokeCoreAsync<SubscribeResult>("Subscribe", []).Within());
        var unknown = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Explode").Within());
        var badUnsubscribe = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Unsubscribe", new[] { "live", "match:bad id" }).Within());
        var hugeRequest = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SubscribeResult>("Subscribe",
            new SubscribeRequest { Topics = [.. Enumerable.Range(0, ScoreFeedCluster.MaxTopicsPerConnection * 4 + 1).Select(i => $"match:m{i}")] }).Within());

        Assert.Contains("Subscribe expects", nullRequest.Message);
        Assert.Contains("at least one topic", noTopics.Message);
        Assert.Contains("Subscribe", wrongType.Message);
        Assert.Contains("Subscribe", noArgs.Message);
        Assert.Contains("Explode", unknown.Message);
        Assert.Contains("match:bad id", badUnsubscribe.Message);
        Assert.Contains("Too many topics", hugeRequest.Message);
        var result = await client.SubscribeAsync([Topic.LiveName]);
        Assert.Empty(result.Rejected);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task An_oversized_frame_closes_only_that_connection()
    {
        await using var bystander = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        await bystander.SubscribeAsync([Topic.LiveName]);
        await using var offender = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        offender.Connection.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };

        var oversized = new SubscribeRequest { Topics = [new string('x', ScoreFeedCluster.MaxMessageSize * 2)] };
        await Assert.ThrowsAnyAsync<Exception>(() => offender.Connection.InvokeAsync<SubscribeResult>("Subscribe", oversized).Within());

        var error = await closed.Task.Within();
        Assert.NotNull(error);
        Assert.Equal(HubConnectionState.Disconnected, offender.Connection.State);
        var before = bystander.Tracker.Applied;
        await Wait.UntilAsync(() => bystander.Tracker.Applied > before + 10, Patience, "the bystander to keep receiving");
        Assert.Equal(HubConnectionState.Connected, bystander.Connection.State);
        Assert.Equal(0, bystander.Tracker.Gaps);
    }

    [Fact]
    public async Task Garbage_frames_on_a_raw_websocket_close_it_without_disturbing_others()
    {
        await using var bystander = await TestClient.ConnectAsync(cluster.HubB.HubUrl);
        await bystander.SubscribeAsync([Topic.LiveName]);

        string[] garbage = ["{not json\u001e", "{\"type\":1,\"target\":\"Subscribe\",\"arguments\":[{\"topics\":\"live\"}]\u001e", "\u001e\u001e\u001e", "[1,2,3]\u001e", "{\"type\":999}\u001e"];
        var replies = new List<string>();
        foreach (var frame in garbage)
        {
            using var client = new RawHubClient();
            await client.ConnectAsync(cluster.HubB.HubUrl).Within();
            await client.HandshakeAsync().Within();
            var handshake = await ReceiveAsync(client);
            Assert.Equal(HubMessages.HandshakeAccepted, handshake);
            await client.SendAsync(frame).Within();
            // Then a valid invocation: the server has either closed the socket, or answers it (after an error
            // about the garbage), never leaving it broken. An unknown message type is skipped for forward
            // compatibility, and SignalR parses what followed it in the same read once more data arrives (a real
            // client pings every 15 s), so an unanswered invocation is followed by a second one.
            await client.InvokeAsync("1", "Unsubscribe", "[[\"live\"]]").Within();
            var pending = ReceiveAsync(client);
            if (await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(2))) != pending)
            {
                await client.InvokeAsync("2", "Unsubscribe", "[[\"live\"]]").Within();
            }
            var reply = await pending;
            Assert.True(reply is null || reply.Contains("error", StringComparison.OrdinalIgnoreCase) || reply.Contains("\"invocationId\":\"", StringComparison.Ordinal),
                $"reply to {frame}: {reply}");
            replies.Add($"{frame.TrimEnd('\u001e')} → {reply ?? "closed"}");
        }
        output.WriteLine(string.Join('\n', replies));

        var before = bystander.Tracker.Applied;
        await Wait.UntilAsync(() => bystander.Tracker.Applied > before + 10, Patience, "the bystander to keep receiving");
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(new Uri(cluster.HubB.BaseAddress, "/health/live"))).IsSuccessStatusCode);
    }

    /// <summary>The next text message other than a ping, or null once the server closed the socket.</summary>
    private static async Task<string?> ReceiveAsync(RawHubClient client)
    {
        while (true)
        {
            RawMessage message;
            try
            {
                message = await client.ReceiveAsync().AsTask().Within();
            }
            catch (WebSocketException)
            {
                return null;
            }
            if (message.IsClose)
            {
                return null;
            }
            var text = message.Text;
            if (!text.StartsWith("{\"type\":6}", StringComparison.Ordinal))
            {
                return text;
            }
        }
    }
}
