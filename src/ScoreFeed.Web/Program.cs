using ScoreFeed.Web;
using ScoreFeed.Web.Localization;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddScoreFeedWeb();

var app = builder.Build();
app.UseScoreFeedWeb();
app.UseFanLanguages();
app.MapDefaultEndpoints();
app.MapClientAssets();
app.MapRazorPages();
app.Run();
