using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using ScoreFeed.Deployment;
using ScoreFeed.Partners;
using ScoreFeed.Web.Assets;
using ScoreFeed.Web.Localization;
using ScoreFeed.Web.Push;
using ScoreFeed.Web.ReadApi;
using ScoreFeed.Web.Security;

namespace ScoreFeed.Web;

internal static class Extensions
{
    public static IHostApplicationBuilder AddScoreFeedWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<WebOptions>(WebOptions.Section);
        builder.AddProductionRequirements(ProductionRequirements.Web);
        PartnerDirectory.Register(builder.Services);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WebMetrics>();
        builder.AddPush();
        builder.Services.AddHttpClient<ReadApiClient>((sp, http) =>
        {
            var web = sp.GetRequiredService<IOptions<WebOptions>>().Value;
            // Server-side: the hubs' internal address when there is one (a service name), else the public one.
            http.BaseAddress = new Uri(web.HubApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/");
            // The page waits this long at most; retries of the standard resilience handler happen within it.
            http.Timeout = web.ReadTimeout;
        });
        builder.Services.AddSingleton<ClientAssets>();
        builder.Services.AddSingleton<SecurityHeaders>();
        builder.Services.AddRazorPages();
        builder.Services.AddWarmUp();
        builder.Services.AddFanLanguages();
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true; // pages carry no secrets, so compression cannot leak one (BREACH)
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
        return builder;
    }

    public static WebApplication UseScoreFeedWeb(this WebApplication app)
    {
        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        if (web.PartnerDemoPort > 0)
        {
            // Another origin (another port) that plays the partner's site: only the demo page is served there.
            app.MapWhen(context => context.Connection.LocalPort == web.PartnerDemoPort, demo => demo.Run(PartnerDemo.RenderAsync));
        }
        app.UseResponseCompression();
        app.UseMiddleware<SecurityHeaders>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
        }
        app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        return app;
    }

    public static WebApplication MapClientAssets(this WebApplication app)
    {
        var assets = app.Services.GetRequiredService<ClientAssets>();
        app.MapGet("/assets/{name}", (HttpContext context, string name) =>
            assets.TryGet(name, out var asset) ? ClientAssets.ServeAsync(context, asset, immutable: true) : NotFound(context));
        app.MapGet(ClientAssets.ServiceWorkerPath, (HttpContext context) =>
        {
            assets.TryGet("sw.js", out var asset);
            // A stable URL at the root, so that its scope is the whole site (no Service-Worker-Allowed needed), and
            // revalidated every time: browsers check it for updates, and a cached old worker would linger.
            return ClientAssets.ServeAsync(context, asset, immutable: false, cacheControl: "no-cache");
        });
        app.MapGet(ClientAssets.WidgetPath, (HttpContext context) => ServeWidgetFile(context, assets, "widget.js"));
        // The widget's words in one language, which it loads beside itself when its page is not in English.
        app.MapGet("/widget-i18n/{language}.js", (HttpContext context, string language) =>
            ServeWidgetFile(context, assets, $"widget-i18n-{language}.js"));
        return app;
    }

    /// <summary>A file of the widget, at a stable URL: partners load it from their pages, from any origin (also with
    /// crossorigin/SRI, and under COEP); cached 5 minutes, then revalidated.</summary>
    private static Task ServeWidgetFile(HttpContext context, ClientAssets assets, string name)
    {
        if (!assets.TryGet(name, out var asset))
        {
            return NotFound(context);
        }
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        return ClientAssets.ServeAsync(context, asset, immutable: false);
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
