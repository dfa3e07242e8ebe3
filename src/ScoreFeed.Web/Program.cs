using ScoreFeed.Web;
using ScoreFeed.Web.Localization;
using ScoreFeed.Web.Push;

if (GenerateVapidKeysCommand.TryRun(args, Console.Out) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(WebMetrics.MeterName);
builder.AddScoreFeedWeb();

var app = builder.Build();
app.UseScoreFeedWeb();
app.UseFanLanguages();
app.UsePush();
app.MapDefaultEndpoints();
app.MapClientAssets();
app.MapRazorPages();
app.Run();
return 0;
