using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ScoreFeed.Hub.Transport;

/// <summary>The hub's own WebSocket transport (README.md in this folder): its services, its Kestrel hook, its middleware.</summary>
internal static class TransportRegistration
{
    public static IServiceCollection AddHubTransport(this IServiceCollection services) => services
        .AddSingleton<FrameBufferPool>()
        .AddSingleton<TransportMetrics>()
        .AddSingleton<ClientAddress>()
        .AddSingleton<SendQueues>()
        .AddSingleton<HubConnectionHost>()
        .AddSingleton<ConnectionAcceptor>()
        .AddSingleton<UpgradeAcceptor>();

    /// <summary>
    /// Way in 1: Kestrel's connection middleware on <paramref name="listen"/> (<see cref="ConnectionAcceptor"/>): a hub
    /// handshake that is a connection's first request is answered before HTTP/1.1; anything else goes on unread.
    /// </summary>
    public static ListenOptions UseHubHandshakes(this ListenOptions listen)
    {
        var acceptor = listen.ApplicationServices.GetRequiredService<ConnectionAcceptor>();
        listen.Use(next => connection => acceptor.OnConnectionAsync(connection, next));
        return listen;
    }

    /// <summary>
    /// Ways in 2 and 3: the HTTP middleware (<see cref="UpgradeAcceptor"/>) for a hub handshake that reached HTTP; it
    /// needs <c>UseWebSockets()</c> in front. SignalR's endpoint takes the negotiated connections.
    /// </summary>
    public static IApplicationBuilder UseHubWebSockets(this IApplicationBuilder app)
    {
        var acceptor = app.ApplicationServices.GetRequiredService<UpgradeAcceptor>();
        return app.Use((context, next) => acceptor.InvokeAsync(context, next));
    }
}
