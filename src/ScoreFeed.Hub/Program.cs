using Microsoft.AspNetCore.Server.Kestrel.Core;
using ScoreFeed.ApiDocs;
using ScoreFeed.Hub;
using ScoreFeed.Hub.Apis;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Transport;

var builder = WebApplication.CreateBuilder(args);
// Kestrel:Limits (appsettings.json: connections held at most, the request head's timeout) bind only when asked.
builder.Services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
builder.AddServiceDefaults(HubMetrics.MeterName);
builder.AddScoresHub();
// Redis → fans: one subscription to the updates channel; UpdateFanout writes each update to every local subscriber's
// frame sink (Transport/SocketWriter.cs when the hub holds the socket).
builder.Services.AddHostedService(services => services.GetRequiredService<UpdateFanout>());
// Way in 1 (Transport/README.md): a hub handshake that is a connection's first request is answered before HTTP/1.1.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseHubHandshakes()));

var app = builder.Build();
app.UseConnectionAdmission();
app.UseScoresHubCors();
// The read API's answers, kept briefly (Apis/ReadApiCache.cs); after CORS, whose headers are set per request.
app.UseOutputCache();
app.MapDefaultEndpoints();
// Ways in 2 and 3: a hub handshake that reached HTTP.
app.UseWebSockets();
app.UseHubWebSockets();
app.MapScoresHub();
app.MapMatchesApi();
app.MapStandingsApi();
app.MapPartnersApi();
app.MapApiDocs();
app.Run();
