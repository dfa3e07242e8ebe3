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

    /// <summary>Today's matches the fan follows (the match or a team), shown first and not in their competition.</summary>
    public IReadOnlyList<MatchState> Followed { get; private set; } = [];

    public Viewer Viewer { get; private set; } = Viewer.Anonymous;

    public PageConfig Config { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var web = options.Value;
        Now = MatchView.Now(time);
        Viewer = Viewer.From(Request);
        var all = await api.MatchesAsync(null, cancellationToken);
        Unavailable = all is null;
        var today = (all ?? []).Where(m => MatchView.IsToday(m, Now, Viewer.Zone)).ToList();
        // A first visit: the zone is not known yet, so the page is painted for UTC's day, and the script, which knows
        // the zone, gets every match that may be on the viewer's day (a day holding now starts and ends within 25
        // hours of now, daylight saving included) and shows that day at once.
        var forScript = Viewer.ZoneKnown ? today
            : (all ?? []).Where(m => MatchStatus.IsInPlay(m.Status) || Math.Abs(m.StartsAt - Now) < (long)TimeSpan.FromHours(25).TotalMilliseconds).ToList();
        Followed = [.. MatchView.InListOrder(today.Where(Viewer.Following.Follows))];
        Competitions = [.. today
            .Where(m => !Viewer.Following.Follows(m))
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
            Topics = [Topic.LiveName, .. MatchView.InListOrder(forScript.Where(m => !MatchStatus.IsInPlay(m.Status))).Take(MaxMatchTopics).Select(m => Topic.ForMatch(m.MatchId).Name)],
            // The list needs no incident timelines: leave them out of the page.
            Matches = [.. forScript.Select(m => m with { Incidents = null })],
            ServerNow = Now,
            Names = web.CompetitionNames.Count > 0 ? web.CompetitionNames : null,
            Follow = true,
        };
        Response.Headers.CacheControl = "no-cache";
    }
}
