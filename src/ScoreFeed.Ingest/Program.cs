using ScoreFeed.Ingest;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(IngestMetrics.MeterName);
builder.AddIngest();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
