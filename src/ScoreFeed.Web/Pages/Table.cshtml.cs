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

    /// <summary>How the table reads (<see cref="Sports.Football"/> or <see cref="Sports.Basketball"/>): its document's sport; football until there is one.</summary>
    public string Sport { get; private set; } = Sports.Football;

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
        Sport = lookup.State?.Sport == Sports.Basketball ? Sports.Basketball : Sports.Football;
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

    /// <summary>
    /// The header's columns of a <paramref name="sport"/>'s table: the message keys of their words spelled out and of
    /// their abbreviations (the same key for the team column). Keep in step with ClientApp/src/pages/table.ts.
    /// </summary>
    public static IReadOnlyList<(string Full, string Short)> Columns(string sport) => sport == Sports.Basketball ? BasketballColumns : FootballColumns;

    /// <summary>The caption's message: it lists the columns.</summary>
    public static string CaptionKey(string sport) => sport == Sports.Basketball ? "table.captionBasketball" : "table.caption";

    private static readonly (string, string)[] FootballColumns =
    [
        ("table.position", "table.pos"), ("table.team", "table.team"), ("table.played", "table.playedShort"), ("table.won", "table.wonShort"),
        ("table.drawn", "table.drawnShort"), ("table.lost", "table.lostShort"), ("table.goals", "table.goalsShort"),
        ("table.goalDifference", "table.goalDifferenceShort"), ("table.points", "table.pointsShort"), ("table.form", "table.formShort"),
    ];

    /// <summary>No draws; points scored and conceded apart, their difference, and league points (2 a win, 1 a loss).</summary>
    private static readonly (string, string)[] BasketballColumns =
    [
        ("table.position", "table.pos"), ("table.team", "table.team"), ("table.played", "table.playedShort"), ("table.won", "table.wonShort"),
        ("table.lost", "table.lostShort"), ("table.pointsFor", "table.pointsForShort"), ("table.pointsAgainst", "table.pointsAgainstShort"),
        ("table.pointsDifference", "table.pointsDifferenceShort"), ("table.leaguePoints", "table.pointsShort"), ("table.form", "table.formShort"),
    ];
}
