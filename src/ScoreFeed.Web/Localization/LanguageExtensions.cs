using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace ScoreFeed.Web.Localization;

/// <summary>
/// Which language a page is in: the URL's <c>?lang=</c>, then the <c>sf-lang</c> cookie, then <c>Accept-Language</c>
/// (its primary subtags: "es-MX" is Spanish), else English. A page asked for with <c>?lang=</c> remembers it in the
/// cookie, so the language switcher's choice holds on every later page.
/// </summary>
internal static class LanguageExtensions
{
    public const string QueryKey = "lang";
    public const string CookieName = "sf-lang";

    public static IServiceCollection AddFanLanguages(this IServiceCollection services) =>
        services.Configure<RequestLocalizationOptions>(options =>
        {
            // Only the UI culture follows the reader: the words. Formatting stays English (the pages write numbers and
            // times themselves, as the scripts do), so nothing the server formats changes with the language.
            options.DefaultRequestCulture = new RequestCulture(Text.Languages[0]);
            options.SupportedCultures = [CultureInfo.GetCultureInfo(Text.Languages[0])];
            options.SupportedUICultures = [.. Text.Languages.Select(CultureInfo.GetCultureInfo)];
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = QueryKey, UIQueryStringKey = QueryKey },
                new CookieRequestCultureProvider { CookieName = CookieName },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });

    public static WebApplication UseFanLanguages(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.Use((context, next) =>
        {
            var asked = context.Request.Query[QueryKey].ToString();
            if (asked.Length > 0 && Text.Languages.Contains(asked, StringComparer.Ordinal))
            {
                context.Response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(asked)), new CookieOptions
                {
                    Path = "/", MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, IsEssential = true,
                });
            }
            return next(context);
        });
        return app;
    }
}
