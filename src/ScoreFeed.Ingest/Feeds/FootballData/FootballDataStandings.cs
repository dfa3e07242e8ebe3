using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Feeds.FootballData;

/// <summary>
/// football-data.org v4 <c>GET /v4/competitions/{code}/standings</c>: <c>standings</c> is a list of tables by
/// <c>stage</c>, <c>type</c> (<c>TOTAL</c>, <c>HOME</c>, <c>AWAY</c>) and <c>group</c>; the <c>TOTAL</c> table's
/// <c>table</c> rows have <c>position</c>, <c>team</c> (<c>id</c>, <c>name</c>), <c>playedGames</c>, <c>form</c>
/// (e.g. <c>"W,D,L,W,W"</c>, may be null), <c>won</c>, <c>draw</c>, <c>lost</c>, <c>points</c>, <c>goalsFor</c>,
/// <c>goalsAgainst</c>, <c>goalDifference</c>. Team ids <c>fd-{id}</c>, as in the match payloads.
/// </summary>
internal static class FootballDataStandings
{
    public static (StandingsTable? Table, string? Error) Parse(byte[] body) => FeedStandings.Parse(body,
        root => root.OptionalArray("standings")?.Where(s => s.OptionalString("type") == "TOTAL").Select(s => s.OptionalArray("table")).FirstOrDefault(),
        "the TOTAL table of 'standings'",
        row =>
        {
            var team = row.Object("team");
            return new StandingsRow
            {
                Position = row.Count("position"),
                TeamId = FeedText.Id("fd", team.Id("id")),
                Name = FeedText.Clean(team.String("name"))!,
                Played = row.Count("playedGames"),
                Won = row.Count("won"),
                Drawn = row.Count("draw"),
                Lost = row.Count("lost"),
                GoalsFor = row.Count("goalsFor"),
                GoalsAgainst = row.Count("goalsAgainst"),
                Points = row.Count("points"),
                Form = FeedStandings.Form(row.OptionalString("form")),
            };
        });
}
