using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Web.ReadApi;

namespace ScoreFeed.Web.Pages;

/// <summary><c>/</c>: today's and live matches grouped by competition, server-rendered from the read API, then live.</summary>
internal sealed class IndexModel(ReadApiClient api, IOptions<WebOptions> options, TimeProvider time) : PageModel
{
    /// <summary>A connection may hold 50 topics by default: "live" plus at most this many matches.</summary>
    private const int MaxMatchTopics = 40;

    public long Now { get; private set; }

    public bool Unavailable { get; private set; }

    public IReadOnlyList<(string Id, string Name, IReadOnlyList<MatchState> Matches)> Competitions { get; private set; } = [];

    public PageConfig Config { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var web = options.Value;
        Now = MatchView.Now(time);
        var all = await api.MatchesAsync(null, cancellationToken);
        Unavailable = all is null;
        var today = (all ?? []).Where(m => MatchView.IsToday(m, Now)).ToList();
        Competitions = [.. today
            .GroupBy(m => m.CompetitionId, StringComparer.Ordinal)
            .Select(g => (g.Key, MatchView.CompetitionName(g.Key, web.CompetitionNames), (IReadOnlyList<MatchState>)[.. MatchView.InListOrder(g)]))
            .OrderBy(c => c.Item2, StringComparer.OrdinalIgnoreCase)];
        Config = new PageConfig
        {
            Page = "scoreboard",
            Hub = web.HubUrl,
            // "live" brings every match in play, those that start and those that end. Today's other matches are
            // followed one by one (postponements, new kick-off times): competition topics would also bring every
            // older match of the competition still in Redis, each with its whole timeline.
            Topics = [Topic.LiveName, .. MatchView.InListOrder(today.Where(m => !MatchStatus.IsInPlay(m.Status))).Take(MaxMatchTopics).Select(m => Topic.ForMatch(m.MatchId).Name)],
            // The list needs no incident timelines: leave them out of the page.
            Matches = [.. today.Select(m => m with { Incidents = null })],
            ServerNow = Now,
            Names = web.CompetitionNames.Count > 0 ? web.CompetitionNames : null,
        };
        Response.Headers.CacheControl = "no-cache";
    }
}
