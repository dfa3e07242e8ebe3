using System.Globalization;
using ScoreFeed.Contract;

namespace ScoreFeed.Web.Pages;

/// <summary>
/// The words and numbers the pages show for a match, for the server-rendered first paint. The scripts show the same
/// from then on: keep this in step with ClientApp/src/lib/clock.ts and ClientApp/src/ui/views.ts.
/// </summary>
internal static class MatchView
{
    private static readonly TimeSpan TodayBehind = TimeSpan.FromHours(12);
    private static readonly TimeSpan TodayAhead = TimeSpan.FromHours(24);

    public static long Now(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    public static int ClockSeconds(MatchClock clock, string sport, long now)
    {
        if (!clock.Running)
        {
            return clock.Seconds;
        }
        var elapsed = (int)Math.Max(0, (now - clock.At) / 1000);
        return Sports.ClockCountsDown(sport) ? Math.Max(0, clock.Seconds - elapsed) : clock.Seconds + elapsed;
    }

    public static string FormatClock(int seconds)
    {
        var s = Math.Max(0, seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{s / 60}:{s % 60:00}");
    }

    /// <summary>The card's clock slot: the running clock in play, the kick-off time before it (UTC until the script shows local time).</summary>
    public static string ClockSlot(MatchState state, long now) => state.Status switch
    {
        MatchStatus.Scheduled => DateTimeOffset.FromUnixTimeMilliseconds(state.StartsAt).ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture),
        MatchStatus.Live or MatchStatus.Paused => FormatClock(ClockSeconds(state.Clock, state.Sport, now)),
        _ => "",
    };

    public static string PeriodLabel(string sport, int period)
    {
        if (period <= 0)
        {
            return "";
        }
        if (sport == Sports.Basketball)
        {
            return period <= 4 ? $"Q{period}" : $"OT{period - 4}";
        }
        return period switch
        {
            1 => "1st half",
            2 => "2nd half",
            3 => "Extra time 1",
            4 => "Extra time 2",
            5 => "Penalties",
            _ => $"Period {period}",
        };
    }

    /// <summary>The period beside the clock, in play only.</summary>
    public static string PeriodSlot(MatchState state) => MatchStatus.IsInPlay(state.Status) ? PeriodLabel(state.Sport, state.Period) : "";

    public static string StatusLabel(MatchState state) => state.Status switch
    {
        MatchStatus.Live => "Live",
        MatchStatus.Paused => state.Sport == Sports.Football && state.Period == 1 ? "Half-time" : "Break",
        MatchStatus.Final => "Full time",
        MatchStatus.Postponed => "Postponed",
        MatchStatus.Cancelled => "Cancelled",
        _ => "Upcoming",
    };

    public static string Score(MatchState state, TeamScore team) =>
        state.Status is MatchStatus.Scheduled or MatchStatus.Postponed or MatchStatus.Cancelled ? "" : team.Score.ToString(CultureInfo.InvariantCulture);

    public static string IncidentTime(string sport, Incident incident) =>
        sport == Sports.Basketball
            ? $"{PeriodLabel(sport, incident.Period)} {FormatClock(incident.Seconds)}".Trim()
            : string.Create(CultureInfo.InvariantCulture, $"{(incident.Seconds / 60) + 1}'");

    public static string IncidentLabel(string sport, Incident incident) => incident.Type switch
    {
        IncidentTypes.Points => incident.Points == 1 ? "Free throw" : $"{incident.Points} points".Trim(),
        IncidentTypes.PeriodStart => $"Start of {Or(PeriodLabel(sport, incident.Period), "play")}",
        IncidentTypes.PeriodEnd => $"End of {Or(PeriodLabel(sport, incident.Period), "play")}",
        IncidentTypes.Goal => "Goal",
        IncidentTypes.OwnGoal => "Own goal",
        IncidentTypes.PenaltyGoal => "Penalty goal",
        IncidentTypes.YellowCard => "Yellow card",
        IncidentTypes.RedCard => "Red card",
        IncidentTypes.Substitution => "Substitution",
        IncidentTypes.Timeout => "Timeout",
        _ => incident.Type,
    };

    /// <summary>Who: "Okafor (Northbridge FC)", the player and detail with the team's name.</summary>
    public static string IncidentWho(MatchState state, Incident incident)
    {
        var team = incident.Team switch
        {
            TeamSides.Home => state.Home.Name,
            TeamSides.Away => state.Away.Name,
            _ => "",
        };
        var who = string.Join(" · ", new[] { incident.Player, incident.Detail }.Where(s => !string.IsNullOrEmpty(s)));
        return who.Length > 0 && team.Length > 0 ? $"{who} ({team})" : who.Length > 0 ? who : team;
    }

    /// <summary>Newest first, at most <paramref name="limit"/>.</summary>
    public static IEnumerable<Incident> Timeline(MatchState state, int limit = int.MaxValue) =>
        (state.Incidents ?? []).Reverse().Take(limit);

    public static string CompetitionName(string id, IReadOnlyDictionary<string, string>? names) =>
        names is not null && names.TryGetValue(id, out var name)
            ? name
            : string.Join(' ', id.Split(['-', '_'], StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>"Today's" matches: in play, or starting from 12 hours ago to 24 hours ahead.</summary>
    public static bool IsToday(MatchState state, long now) =>
        MatchStatus.IsInPlay(state.Status) ||
        (state.StartsAt >= now - (long)TodayBehind.TotalMilliseconds && state.StartsAt <= now + (long)TodayAhead.TotalMilliseconds);

    /// <summary>In play first, then upcoming, then the rest; by start time within each.</summary>
    public static IOrderedEnumerable<MatchState> InListOrder(IEnumerable<MatchState> matches) =>
        matches.OrderBy(m => MatchStatus.IsInPlay(m.Status) ? 0 : m.Status == MatchStatus.Scheduled ? 1 : 2)
            .ThenBy(m => m.StartsAt)
            .ThenBy(m => m.MatchId, StringComparer.Ordinal);

    private static string Or(string text, string fallback) => text.Length > 0 ? text : fallback;
}
