using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ScoreFeed.Partners;
using ScoreFeed.Web.ReadApi;

namespace ScoreFeed.Web.Pages.Embed;

/// <summary><c>/embed/matches/{id}?key={partnerKey}&amp;theme=light|dark</c>: the widget as a page, for an iframe.</summary>
internal sealed class MatchModel(ReadApiClient api, PartnerDirectory partners, IOptions<WebOptions> options, TimeProvider time)
    : MatchPageModel(api, options, time)
{
    public const int TimelineLimit = 3;

    public bool Enabled { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? key, string? theme, CancellationToken cancellationToken)
    {
        ViewData["Theme"] = EmbedAccess.Theme(theme);
        Enabled = EmbedAccess.Check(HttpContext, partners, key);
        if (!Enabled)
        {
            return Page();
        }
        return await ShowAsync(id, "embed", key, TimelineLimit, cancellationToken);
    }
}
