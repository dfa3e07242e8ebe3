using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Feeds.ApiFootball;

/// <summary>
/// API-Football v3 <c>GET /standings?league={id}&amp;season={year}</c>: <c>response[0].league.standings</c> is a list of
/// tables (one per group; a league has one); each row has <c>rank</c>, <c>team</c> (<c>id</c>, <c>name</c>),
/// <c>points</c>, <c>goalsDiff</c>, <c>form</c> (e.g. <c>"WWDLW"</c>) and <c>all</c> (<c>played</c>, <c>win</c>,
/// <c>draw</c>, <c>lose</c>, <c>goals</c>: <c>for</c>, <c>against</c>). Team ids <c>af-{id}</c>, as in the match payloads.
/// </summary>
internal static class ApiFootballStandings
{
    public static (StandingsTable? Table, string? Error) Parse(byte[] body) => FeedStandings.Parse(body,
        root => root.OptionalArray("response")?.Select(r => r.OptionalObject("league")?.OptionalArray("standings")?.FirstOrDefault())
            .Select(t => t is { ValueKind: JsonValueKind.Array } rows ? (IEnumerable<JsonElement>?)rows.EnumerateArray() : null).FirstOrDefault(),
        "'response[0].league.standings[0]'",
        row =>
        {
            var team = row.Object("team");
            var all = row.Object("all");
            var goals = all.Object("goals");
            return new StandingsRow
            {
                Position = row.Count("rank"),
                TeamId = FeedText.Id("af", team.Id("id")),
                Name = FeedText.Clean(team.String("name"))!,
                Played = all.Count("played"),
                Won = all.Count("win"),
                Drawn = all.Count("draw"),
                Lost = all.Count("lose"),
                GoalsFor = goals.Count("for"),
                GoalsAgainst = goals.Count("against"),
                Points = row.Count("points"),
                Form = FeedStandings.Form(row.OptionalString("form")),
            };
        });
}
