using ScoreFeed.Partners;
using ScoreFeed.Web.Localization;
using ScoreFeed.Web.Security;

namespace ScoreFeed.Web.Pages.Embed;

/// <summary>
/// Who may frame an embed page: the origins of the partner whose key it carries (and our own pages). A page with an
/// unknown key says so in the frame, which anyone may show, and connects nowhere.
/// </summary>
internal static class EmbedAccess
{
    public static string NotEnabled => Text.Get("refusal.notEnabled");

    /// <summary>True when <paramref name="key"/> names a partner; sets frame-ancestors either way.</summary>
    public static bool Check(HttpContext context, PartnerDirectory partners, string? key)
    {
        if (partners.TryGet(key, out var partner))
        {
            SecurityHeaders.AllowFraming(context, ["'self'", .. partner.AllowedOrigins.Order(StringComparer.Ordinal)]);
            return true;
        }
        SecurityHeaders.AllowFraming(context, ["*"]);
        return false;
    }

    public static string? Theme(string? theme) => theme is "dark" or "light" ? theme : null;
}
