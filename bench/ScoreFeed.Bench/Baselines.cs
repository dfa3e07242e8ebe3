using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using ScoreFeed.Contract;
using StackExchange.Redis;

namespace ScoreFeed.Bench;

/// <summary>
/// Baseline 1: what a .NET team writes first — a SignalR hub whose Subscribe joins groups, scaled out with
/// AddStackExchangeRedis, fed by an IHubContext publisher (see <see cref="Publisher"/>). Same protocols as ScoreFeed.
/// </summary>
public sealed class PlainHub : Hub
{
    public async Task<SubscribeResult> Subscribe(SubscribeRequest request)
    {
        foreach (var topic in request.Topics ?? [])
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, topic);
        }
        return new SubscribeResult();
    }
}

internal static class Baselines
{
    public static ISignalRServerBuilder AddPlainSignalR(this IServiceCollection services, string redis) =>
        services.AddSignalR()
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ScoreFeedJsonContext.Default);
                o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            })
            .AddMessagePackProtocol()
            .AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal("plain:"));

    public static async Task RunPlainHubAsync(int port, string redis)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPlainSignalR(redis);
        var app = builder.Build();
        app.MapHub<PlainHub>("/hubs/scores");
        app.MapGet("/health/ready", () => "ok");
        await app.RunAsync();
    }

    /// <summary>
    /// Baseline 2, the ceiling on this stack: Kestrel WebSockets forwarding Redis pub/sub payloads as they are.
    /// One pattern subscription per process; per socket a bounded queue and a send loop.
    /// </summary>
    public static async Task RunRawServerAsync(int port, string redis)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.UseWebSockets();
        var topics = new ConcurrentDictionary<string, ConcurrentDictionary<Channel<ReadOnlyMemory<byte>>, byte>>();
        var mux = await ConnectionMultiplexer.ConnectAsync(redis);
        await mux.GetSubscriber().SubscribeAsync(RedisChannel.Pattern("raw:*"), (channel, message) =>
        {
            if (topics.TryGetValue(((string)channel!)[4..], out var sockets))
            {
                ReadOnlyMemory<byte> payload = (byte[])message!;
                foreach (var queue in sockets.Keys)
                {
                    queue.Writer.TryWrite(payload);
                }
            }
        });
        app.MapGet("/health/ready", () => "ok");
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
            var names = (context.Request.Query["topics"].ToString()).Split(',', StringSplitOptions.RemoveEmptyEntries);
            foreach (var name in names)
            {
                topics.GetOrAdd(name, _ => new())[queue] = 0;
            }
            var sending = Task.Run(async () =>
            {
                await foreach (var payload in queue.Reader.ReadAllAsync())
                {
                    await socket.SendAsync(payload, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            });
            var buffer = new byte[1024];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
            foreach (var name in names)
            {
                topics[name].TryRemove(queue, out _);
            }
            queue.Writer.TryComplete();
            try
            {
                await sending;
            }
            catch (WebSocketException)
            {
            }
        });
        await app.RunAsync();
        // The subscription callback does not reference the multiplexer: without this it could be collected mid-run.
        GC.KeepAlive(mux);
    }
}
