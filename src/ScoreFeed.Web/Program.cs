using ScoreFeed.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddScoreFeedWeb();

var app = builder.Build();
app.UseScoreFeedWeb();
app.MapDefaultEndpoints();
app.MapClientAssets();
app.MapRazorPages();
app.Run();
