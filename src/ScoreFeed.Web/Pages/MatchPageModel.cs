using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Web.ReadApi;

namespace ScoreFeed.Web.Pages;

/// <summary>
/// One match, server-rendered from the read API, then live on <c>match:{id}</c>: what the match page and the embed
/// page share. A malformed id, or one the hubs know nothing of, is a 404; an unreadable read API renders the page
/// without the match, which then loads live.
/// </summary>
internal abstract class MatchPageModel(ReadApiClient api, IOptions<WebOptions> options, TimeProvider time) : PageModel
{
    /// <summary>How many of the latest incidents a page that shows only a few hands its script (oldest first).</summary>
    private const int ScriptTimeline = 20;

    public string MatchId { get; private set; } = "";

    public MatchState? Match { get; private set; }

    public long Now { get; private set; }

    public string CompetitionName { get; private set; } = "";

    /// <summary>The fan's zone and stars on our own match page; null on an embed page (a partner's frame gets no cookies).</summary>
    public Viewer? Viewer { get; private set; }

    public PageConfig Config { get; private set; } = null!;

    /// <param name="id">The match id from the route.</param>
    /// <param name="page">What the script renders: <c>match</c> or <c>embed</c>.</param>
    /// <param name="key">The partner key the script connects with, on embed pages.</param>
    /// <param name="timelineLimit">How many of the latest incidents the page shows; null for the whole timeline.</param>
    protected async Task<IActionResult> ShowAsync(string id, string page, string? key, int? timelineLimit, CancellationToken cancellationToken)
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
        Viewer = page == "match" ? Viewer.From(Request) : null;
        CompetitionName = Match is null ? "" : MatchView.CompetitionName(Match.CompetitionId, web.CompetitionNames);
        Config = new PageConfig
        {
            Page = page,
            Hub = web.HubUrl,
            Key = key,
            Topics = [Topic.ForMatch(id).Name],
            Matches = Match is null ? []
                : timelineLimit is null ? [Match]
                : [Match with { Incidents = [.. MatchView.Timeline(Match, ScriptTimeline).Reverse()] }],
            ServerNow = Now,
            TimelineLimit = timelineLimit,
            Follow = Viewer is not null ? true : null,
        };
        Response.Headers.CacheControl = "no-cache";
        return Page();
    }
}
