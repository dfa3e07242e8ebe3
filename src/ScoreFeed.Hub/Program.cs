using ScoreFeed.Hub;
using ScoreFeed.Hub.Apis;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Transport;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(HubMetrics.MeterName);
builder.AddScoresHub();

var app = builder.Build();
app.UseConnectionAdmission();
app.UseScoresHubCors();
app.MapDefaultEndpoints();
app.MapScoresHub();
app.MapMatchesApi();
app.Run();
