using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Partners;
using ScoreFeed.Web.ReadApi;

namespace ScoreFeed.Web.Pages.Embed;

/// <summary><c>/embed/matches/{id}?key={partnerKey}&amp;theme=light|dark</c>: the widget as a page, for an iframe.</summary>
internal sealed class MatchModel(ReadApiClient api, PartnerDirectory partners, IOptions<WebOptions> options, TimeProvider time) : PageModel
{
    public const int TimelineLimit = 3;

    public bool Enabled { get; private set; }

    public string MatchId { get; private set; } = "";

    public MatchState? Match { get; private set; }

    public long Now { get; private set; }

    public PageConfig Config { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id, string? key, string? theme, CancellationToken cancellationToken)
    {
        ViewData["Theme"] = EmbedAccess.Theme(theme);
        Enabled = EmbedAccess.Check(HttpContext, partners, key);
        if (!Enabled)
        {
            return Page();
        }
        if (!Ids.IsValid(id))
        {
            return NotFound();
        }
        var lookup = await api.MatchAsync(id, cancellationToken);
        if (lookup.IsNotFound)
        {
            return NotFound();
        }
        var web = options.Value;
        MatchId = id;
        Match = lookup.State;
        Now = MatchView.Now(time);
        Config = new PageConfig
        {
            Page = "embed",
            Hub = web.HubUrl,
            Key = key,
            Topics = [Topic.ForMatch(id).Name],
            Matches = Match is null ? [] : [Match with { Incidents = [.. MatchView.Timeline(Match, 20).Reverse()] }],
            ServerNow = Now,
            TimelineLimit = TimelineLimit,
        };
        Response.Headers.CacheControl = "no-cache";
        return Page();
    }
}
