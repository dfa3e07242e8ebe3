using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Web.ReadApi;

namespace ScoreFeed.Web.Pages;

/// <summary><c>/matches/{id}</c>: one match and its incident timeline, server-rendered, then live.</summary>
internal sealed class MatchModel(ReadApiClient api, IOptions<WebOptions> options, TimeProvider time) : PageModel
{
    public string MatchId { get; private set; } = "";

    public MatchState? Match { get; private set; }

    public long Now { get; private set; }

    public string CompetitionName { get; private set; } = "";

    public PageConfig Config { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
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
        CompetitionName = Match is null ? "" : MatchView.CompetitionName(Match.CompetitionId, web.CompetitionNames);
        Config = new PageConfig
        {
            Page = "match",
            Hub = web.HubUrl,
            Topics = [Topic.ForMatch(id).Name],
            Matches = Match is null ? [] : [Match],
            ServerNow = Now,
        };
        Response.Headers.CacheControl = "no-cache";
        return Page();
    }
}
