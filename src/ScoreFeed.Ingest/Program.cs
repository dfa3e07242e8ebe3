using ScoreFeed.ApiDocs;
using ScoreFeed.Ingest;
using ScoreFeed.Ingest.Apis;
using ScoreFeed.Ingest.Operators;

if (HashPasswordCommand.TryRun(args, Console.In, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(IngestMetrics.MeterName);
builder.AddIngest();

var app = builder.Build();
app.UseOperators();
app.MapDefaultEndpoints();
app.MapAuthApi();
app.MapCorrectionsApi();
app.MapApiDocs();
app.Run();
return 0;
