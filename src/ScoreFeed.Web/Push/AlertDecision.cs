using System.Collections.Frozen;
using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.Scoring;
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
    /// <summary>The end of a tennis match, which has no full time: who won, and by how many sets.</summary>
    public const string MatchWon = "match-won";

    /// <summary>The event id of <see cref="FullTime"/> and <see cref="MatchWon"/>: a match ends once.</summary>
    public const string StatusEvent = "status";

    public static readonly IReadOnlyList<string> Kinds = [Goal, RedCard, GoalDisallowed, FullTime, MatchWon];

    /// <summary>
    /// The alerts an update may make, before deduplication: a goal incident → Goal; a red card → Red card; a goal
    /// incident removed → Goal disallowed (sent only if its Goal was, see <see cref="AlertSender"/>); the status turning
    /// final (the update also went to <c>live</c>: the match was in play just before) → Full time, for tennis Match won.
    /// A tennis match's incidents (its sets, a retirement) make no alert of their own.
    /// </summary>
    public static IReadOnlyList<Alert> Decide(MatchUpdate update, IReadOnlyCollection<string> topics)
    {
        var alerts = new List<Alert>(2);
        var state = update.State;
        if (update.Incident is { } incident && incident.Id.Length > 0 && state.Sport != Sports.Tennis)
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
            alerts.Add(state.Sport == Sports.Tennis
                ? Make(update, MatchWon, StatusEvent, "ft-" + update.MatchId, urgent: false, l => (Won(l, state), Score(state) + Games(state.Tennis)))
                : Make(update, FullTime, StatusEvent, "ft-" + update.MatchId, urgent: false, l => (Text.Format(l, "alert.final"), Score(state))));
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

    /// <summary>
    /// "Sinner wins 3–1", the sets from the winner's side; "Sinner wins, Alcaraz retired"; "Finished" when the sets won
    /// name no winner (a match an operator ended).
    /// </summary>
    private static string Won(string language, MatchState s)
    {
        var winner = s.Tennis?.Retired is { } retired ? TennisScoring.Other(retired)
            : s.Home.Score > s.Away.Score ? TeamSides.Home
            : s.Away.Score > s.Home.Score ? TeamSides.Away
            : null;
        if (winner is null)
        {
            return Text.Format(language, "alert.finished");
        }
        var (won, lost) = winner == TeamSides.Home ? (s.Home, s.Away) : (s.Away, s.Home);
        return s.Tennis?.Retired is null
            ? Text.Format(language, "alert.won", ("winner", Name(won)), ("sets", $"{won.Score}–{lost.Score}"))
            : Text.Format(language, "alert.wonRetired", ("winner", Name(won)), ("loser", Name(lost)));
    }

    /// <summary>" · 6–4 3–6 7–6": each set's games, home first like the score line.</summary>
    private static string Games(TennisScore? tennis) =>
        tennis is { Sets.Count: > 0 } ? " · " + string.Join(' ', tennis.Sets.Select(set => $"{set.Home}–{set.Away}")) : "";

    private static string Score(MatchState s) => $"{Name(s.Home)} {s.Home.Score}–{s.Away.Score} {Name(s.Away)}";

    private static string Name(TeamScore team) => team.Name.Length > 0 ? team.Name : team.Id;

    private static string Minute(Incident incident) =>
        incident.Seconds > 0 ? " " + (incident.Seconds / 60 + 1).ToString(CultureInfo.InvariantCulture) + "'" : "";
}
