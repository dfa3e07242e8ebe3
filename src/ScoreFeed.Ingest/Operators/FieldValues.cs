using System.Text.Json;
using ScoreFeed.Contract;
using ScoreFeed.Scoring;

namespace ScoreFeed.Ingest.Operators;

/// <summary>
/// Reads and writes one correctable field of a match (<see cref="MatchFields"/>) as JSON, the form in which
/// pins and the audit keep values: a number, a string, a clock, a home/away pair (tennis), an incident, or null for an
/// absent incident (or a tennis field of a match that is not tennis). Setting a score moves the line score with it
/// (<see cref="LineScores.Corrected"/>): corrections, undos, releases and pins held over the feed alike.
/// </summary>
internal static class FieldValues
{
    /// <summary>The value of an incident the match does not have.</summary>
    public static readonly JsonElement Absent = JsonElement.Parse("null");

    private static ScoreFeedJsonContext Json => ScoreFeedJsonContext.Default;

    public static JsonElement Get(MatchState state, string field) => field switch
    {
        MatchFields.Home => JsonSerializer.SerializeToElement(state.Home.Score, Json.Int32),
        MatchFields.Away => JsonSerializer.SerializeToElement(state.Away.Score, Json.Int32),
        MatchFields.Status => JsonSerializer.SerializeToElement(state.Status, Json.String),
        MatchFields.Period => JsonSerializer.SerializeToElement(state.Period, Json.Int32),
        MatchFields.Clock => JsonSerializer.SerializeToElement(state.Clock, Json.MatchClock),
        MatchFields.Points => state.Tennis is { } t ? JsonSerializer.SerializeToElement(t.Points, Json.ScorePair) : Absent,
        MatchFields.Games => state.Tennis is { Sets: [.., var set] } ? JsonSerializer.SerializeToElement(new ScorePair(set.Home, set.Away), Json.ScorePair) : Absent,
        MatchFields.Server => state.Tennis is { } t ? JsonSerializer.SerializeToElement(t.Server, Json.String) : Absent,
        _ => Find(state, IncidentId(field)) is { } incident ? Of(incident) : Absent,
    };

    public static MatchState Set(MatchState state, string field, JsonElement value) => field switch
    {
        MatchFields.Home => state with
        {
            Home = state.Home with { Score = value.GetInt32() },
            Lines = LineScores.Corrected(state.Lines, TeamSides.Home, value.GetInt32() - state.Home.Score),
        },
        MatchFields.Away => state with
        {
            Away = state.Away with { Score = value.GetInt32() },
            Lines = LineScores.Corrected(state.Lines, TeamSides.Away, value.GetInt32() - state.Away.Score),
        },
        MatchFields.Status => state with { Status = value.GetString()! },
        MatchFields.Period => state with { Period = value.GetInt32() },
        MatchFields.Clock => state with { Clock = value.Deserialize(Json.MatchClock)! },
        MatchFields.Points or MatchFields.Games or MatchFields.Server => SetTennis(state, field, value),
        _ => SetIncident(state, IncidentId(field), value.ValueKind == JsonValueKind.Null ? null : value.Deserialize(Json.Incident)),
    };

    public static JsonElement Of(Incident incident) => JsonSerializer.SerializeToElement(incident, Json.Incident);

    public static bool Same(JsonElement a, JsonElement b) => JsonElement.DeepEquals(a, b);

    public static Incident? Find(MatchState state, string incidentId) => state.Incidents?.FirstOrDefault(i => i.Id == incidentId);

    private static string IncidentId(string field) =>
        MatchFields.IncidentId(field) ?? throw new ArgumentException($"Unknown field '{field}'.", nameof(field));

    /// <summary>Sets a tennis field; a match without a tennis score has none to set (a correction never asks it to).</summary>
    private static MatchState SetTennis(MatchState state, string field, JsonElement value)
    {
        if (state.Tennis is not { } tennis || value.ValueKind == JsonValueKind.Null)
        {
            return state;
        }
        return state with
        {
            Tennis = field switch
            {
                MatchFields.Points => tennis with { Points = value.Deserialize(Json.ScorePair)! },
                MatchFields.Server => tennis with { Server = value.GetString()! },
                _ when value.Deserialize(Json.ScorePair) is { } games && tennis.Sets is [.., var current] =>
                    tennis with { Sets = [.. tennis.Sets.Take(tennis.Sets.Count - 1), current with { Home = games.Home, Away = games.Away }] },
                _ => tennis,
            },
        };
    }

    /// <summary>Replaces, removes (null) or inserts the incident; an inserted one takes its place in match time.</summary>
    private static MatchState SetIncident(MatchState state, string id, Incident? incident)
    {
        var incidents = (state.Incidents ?? []).ToList();
        var at = incidents.FindIndex(i => i.Id == id);
        if (at >= 0)
        {
            incidents.RemoveAt(at);
        }
        if (incident is not null)
        {
            if (at < 0)
            {
                var countsDown = Sports.ClockCountsDown(state.Sport);
                at = incidents.FindIndex(i => i.Period > incident.Period ||
                    (i.Period == incident.Period && (countsDown ? i.Seconds < incident.Seconds : i.Seconds > incident.Seconds)));
                at = at < 0 ? incidents.Count : at;
            }
            incidents.Insert(at, incident with { Id = id, Removed = null });
        }
        return state with { Incidents = incidents };
    }
}
