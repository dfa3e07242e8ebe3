using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Partners;
using ScoreFeed.Web.ReadApi;

namespace ScoreFeed.Web.Pages.Embed;

/// <summary><c>/embed/competitions/{id}?key={partnerKey}&amp;theme=light|dark</c>: the scoreboard widget as a page.</summary>
internal sealed class CompetitionModel(ReadApiClient api, PartnerDirectory partners, IOptions<WebOptions> options, TimeProvider time) : PageModel
{
    public bool Enabled { get; private set; }

    public string CompetitionId { get; private set; } = "";

    public string Name { get; private set; } = "";

    public IReadOnlyList<MatchState> Matches { get; private set; } = [];

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
        var web = options.Value;
        Now = MatchView.Now(time);
        CompetitionId = id;
        Name = MatchView.CompetitionName(id, web.CompetitionNames);
        Matches = [.. MatchView.InListOrder((await api.MatchesAsync(id, cancellationToken) ?? []).Where(m => MatchView.IsToday(m, Now))).Take(12)];
        Config = new PageConfig
        {
            Page = "scoreboard",
            Hub = web.HubUrl,
            Key = key,
            // Its matches one by one, not competition:{id}, whose snapshot holds every match of the competition still in Redis.
            Topics = [.. Matches.Select(m => Topic.ForMatch(m.MatchId).Name)],
            Matches = [.. Matches.Select(m => m with { Incidents = null })],
            ServerNow = Now,
            Names = web.CompetitionNames.Count > 0 ? web.CompetitionNames : null,
        };
        Response.Headers.CacheControl = "no-cache";
        return Page();
    }
}
