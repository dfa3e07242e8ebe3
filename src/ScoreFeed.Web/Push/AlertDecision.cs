using System.Collections.Frozen;
using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.Web.Localization;

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
/// One alert to send: its payload in each language (<see cref="Text.Languages"/>), the event it is about
/// (<see cref="EventId"/>: the incident's id, or <c>status</c>), and the teams whose followers get it (with the
/// match's followers).
/// </summary>
internal sealed record Alert(IReadOnlyDictionary<string, AlertPayload> Payloads, string EventId, bool Urgent, IReadOnlyList<string> TeamIds, long CommittedAtMs)
{
    /// <summary>The payload in English (logs, and what is the same in every language: kind, ids, url, tag, position).</summary>
    public AlertPayload Payload => Payloads[Text.Languages[0]];

    public string Kind => Payload.Kind;

    /// <summary>The payload in a fan's language (English for one we do not speak).</summary>
    public AlertPayload In(string language) => Payloads.GetValueOrDefault(language) ?? Payload;
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
                    alerts.Add(Make(update, GoalDisallowed, incident.Id, "goal-" + incident.Id, urgent: true,
                        l => (Of(l, "alert.disallowed", team), Score(state))));
                }
            }
            else if (isGoal)
            {
                alerts.Add(Make(update, Goal, incident.Id, "goal-" + incident.Id, urgent: true,
                    l => (Text.Format(l, "alert.goal", ("score", Score(state))), $"{Scorer(l, incident, team)}{Minute(incident)}".Trim())));
            }
            else if (incident.Type == IncidentTypes.RedCard)
            {
                alerts.Add(Make(update, RedCard, incident.Id, "card-" + incident.Id, urgent: false,
                    l => (Of(l, "alert.redCard", team), $"{incident.Player}{Minute(incident)} · {Score(state)}".Trim(' ', '·'))));
            }
        }
        if (state.Status == MatchStatus.Final && topics.Contains(Topic.LiveName))
        {
            alerts.Add(Make(update, FullTime, StatusEvent, "ft-" + update.MatchId, urgent: false, l => (Text.Format(l, "alert.final"), Score(state))));
        }
        return alerts;
    }

    /// <summary>An alert with its title and body in every language (<paramref name="words"/> of a language).</summary>
    private static Alert Make(MatchUpdate update, string kind, string eventId, string tag, bool urgent, Func<string, (string Title, string Body)> words) =>
        new(Text.Languages.ToFrozenDictionary(l => l, l =>
        {
            var (title, body) = words(l);
            return new AlertPayload
            {
                Kind = kind,
                MatchId = update.MatchId,
                Title = title,
                Body = body,
                Url = $"/matches/{update.MatchId}",
                Tag = $"{update.MatchId}:{tag}",
                Epoch = update.Epoch,
                Seq = update.Seq,
            };
        }), eventId, urgent, [update.State.Home.Id, update.State.Away.Id], update.Ts);

    /// <summary>Who scored: the player (an own goal or a penalty said so), else the team.</summary>
    private static string Scorer(string language, Incident incident, TeamScore? team) => incident.Player is { Length: > 0 } player
        ? incident.Type switch
        {
            IncidentTypes.OwnGoal => Text.Format(language, "alert.ownGoal", ("player", player)),
            IncidentTypes.PenaltyGoal => Text.Format(language, "alert.penaltyGoal", ("player", player)),
            _ => player,
        }
        : team is null ? "" : Name(team);

    /// <summary>"Red card" / "Red card — Arsenal": <paramref name="key"/>, or its <c>Of</c> form naming the team.</summary>
    private static string Of(string language, string key, TeamScore? team) =>
        team is null ? Text.Format(language, key) : Text.Format(language, key + "Of", ("team", Name(team)));

    private static string Score(MatchState s) => $"{Name(s.Home)} {s.Home.Score}–{s.Away.Score} {Name(s.Away)}";

    private static string Name(TeamScore team) => team.Name.Length > 0 ? team.Name : team.Id;

    private static string Minute(Incident incident) =>
        incident.Seconds > 0 ? " " + (incident.Seconds / 60 + 1).ToString(CultureInfo.InvariantCulture) + "'" : "";
}
