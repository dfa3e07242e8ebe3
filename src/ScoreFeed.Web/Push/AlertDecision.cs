using System.Globalization;
using ScoreFeed.Contract;

namespace ScoreFeed.Web.Push;

/// <summary>What a fan's device receives (the push message's JSON, encrypted by the push client).</summary>
internal sealed record AlertPayload
{
    public string Kind { get; init; } = "";
    public string MatchId { get; init; } = "";
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public string Url { get; init; } = "";
    public string Tag { get; init; } = "";
    public string Epoch { get; init; } = "";
    public long Seq { get; init; }
}

/// <summary>
/// One alert to send: its payload, the event it is about (<see cref="EventId"/>: the incident's id, or <c>status</c>),
/// and the teams whose followers get it (with the match's followers).
/// </summary>
internal sealed record Alert(AlertPayload Payload, string EventId, bool Urgent, IReadOnlyList<string> TeamIds, long CommittedAtMs)
{
    public string Kind => Payload.Kind;
}

/// <summary>Which update makes which alert: a pure function of the update (and the topics it went to).</summary>
internal static class AlertDecision
{
    public const string Goal = "goal";
    public const string RedCard = "red-card";
    public const string GoalDisallowed = "goal-disallowed";
    public const string FullTime = "full-time";

    /// <summary>The event id of <see cref="FullTime"/>: a match ends once.</summary>
    public const string StatusEvent = "status";

    public static readonly IReadOnlyList<string> Kinds = [Goal, RedCard, GoalDisallowed, FullTime];

    /// <summary>
    /// The alerts an update may make, before deduplication: a goal incident → Goal; a red card → Red card; a goal
    /// incident removed → Goal disallowed (sent only if its Goal was, see <see cref="AlertSender"/>); the status turning
    /// final (the update also went to <c>live</c>: the match was in play just before) → Full time.
    /// </summary>
    public static IReadOnlyList<Alert> Decide(MatchUpdate update, IReadOnlyCollection<string> topics)
    {
        var alerts = new List<Alert>(2);
        var state = update.State;
        if (update.Incident is { } incident && incident.Id.Length > 0)
        {
            var isGoal = incident.Type is IncidentTypes.Goal or IncidentTypes.OwnGoal or IncidentTypes.PenaltyGoal;
            var team = incident.Team == TeamSides.Away ? state.Away : incident.Team == TeamSides.Home ? state.Home : null;
            if (incident.Removed == true)
            {
                if (isGoal)
                {
                    alerts.Add(Make(update, GoalDisallowed, incident.Id, $"Goal disallowed{Of(team)}", Score(state), "goal-" + incident.Id, urgent: true));
                }
            }
            else if (isGoal)
            {
                var who = incident.Player is { Length: > 0 } player ? player + (incident.Type == IncidentTypes.OwnGoal ? " (own goal)" : incident.Type == IncidentTypes.PenaltyGoal ? " (penalty)" : "") : team?.Name ?? "";
                alerts.Add(Make(update, Goal, incident.Id, $"Goal! {Score(state)}", $"{who}{Minute(incident)}".Trim(), "goal-" + incident.Id, urgent: true));
            }
            else if (incident.Type == IncidentTypes.RedCard)
            {
                var who = incident.Player ?? "";
                alerts.Add(Make(update, RedCard, incident.Id, $"Red card{Of(team)}", $"{who}{Minute(incident)} · {Score(state)}".Trim(' ', '·'), "card-" + incident.Id, urgent: false));
            }
        }
        if (state.Status == MatchStatus.Final && topics.Contains(Topic.LiveName))
        {
            alerts.Add(Make(update, FullTime, StatusEvent, "Full time", Score(state), "ft-" + update.MatchId, urgent: false));
        }
        return alerts;
    }

    private static Alert Make(MatchUpdate update, string kind, string eventId, string title, string body, string tag, bool urgent) =>
        new(new AlertPayload
        {
            Kind = kind,
            MatchId = update.MatchId,
            Title = title,
            Body = body,
            Url = $"/matches/{update.MatchId}",
            Tag = $"{update.MatchId}:{tag}",
            Epoch = update.Epoch,
            Seq = update.Seq,
        }, eventId, urgent, [update.State.Home.Id, update.State.Away.Id], update.Ts);

    private static string Score(MatchState s) => $"{Name(s.Home)} {s.Home.Score}–{s.Away.Score} {Name(s.Away)}";

    private static string Name(TeamScore team) => team.Name.Length > 0 ? team.Name : team.Id;

    private static string Of(TeamScore? team) => team is null ? "" : $" — {Name(team)}";

    private static string Minute(Incident incident) =>
        incident.Seconds > 0 ? " " + (incident.Seconds / 60 + 1).ToString(CultureInfo.InvariantCulture) + "'" : "";
}
