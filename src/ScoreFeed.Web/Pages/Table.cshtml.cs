using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Web.ReadApi;

namespace ScoreFeed.Web.Pages;

/// <summary>
/// <c>/competitions/{id}/table</c>: a competition's table, server-rendered from the read API, then live on
/// <c>standings:{id}</c>. A malformed id is a 404; a competition without a table yet, or an unreadable read API,
/// renders the page with a notice, and the table appears live when it comes.
/// </summary>
internal sealed class TableModel(ReadApiClient api, IOptions<WebOptions> options, TimeProvider time) : PageModel
{
    public string CompetitionId { get; private set; } = "";

    public string CompetitionName { get; private set; } = "";

    public StandingsTable? Table { get; private set; }

    public bool Unavailable { get; private set; }

    public PageConfig Config { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(id))
        {
            return NotFound();
        }
        var web = options.Value;
        var lookup = await api.StandingsAsync(id, cancellationToken);
        CompetitionId = id;
        CompetitionName = MatchView.CompetitionName(id, web.CompetitionNames);
        Table = lookup.State?.Table;
        Unavailable = lookup is { State: null, IsNotFound: false };
        Config = new PageConfig
        {
            Page = "table",
            Hub = web.HubUrl,
            Topics = [Topic.ForStandings(id).Name],
            Matches = lookup.State is { } state ? [state] : [],
            ServerNow = MatchView.Now(time),
            Names = web.CompetitionNames.Count > 0 ? web.CompetitionNames : null,
        };
        Response.Headers.CacheControl = "no-cache";
        return Page();
    }
}
