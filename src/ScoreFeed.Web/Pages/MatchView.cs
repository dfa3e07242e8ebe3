using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.Web.Localization;

namespace ScoreFeed.Web.Pages;

/// <summary>
/// The words and numbers the pages show for a match, for the server-rendered first paint. The scripts show the same
/// from then on: keep this in step with ClientApp/src/ui/clock.ts, ClientApp/packages/client/src/clock.ts and ClientApp/src/ui/views.ts.
/// </summary>
internal static class MatchView
{
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

    /// <summary>The card's clock slot: the running clock in play, the kick-off time (in the viewer's zone) before it.</summary>
    public static string ClockSlot(MatchState state, long now, TimeZoneInfo? zone = null) => state.Status switch
    {
        MatchStatus.Scheduled => Kickoff(state.StartsAt, now, zone ?? TimeZoneInfo.Utc),
        MatchStatus.Live or MatchStatus.Paused => FormatClock(ClockSeconds(state.Clock, state.Sport, now)),
        _ => "",
    };

    /// <summary>"15:00 GMT+1", or "Fri 15:00 GMT+1" when the match is not on the viewer's today (kickoff() in views.ts).</summary>
    public static string Kickoff(long startsAt, long now, TimeZoneInfo zone)
    {
        var at = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(startsAt), zone);
        var time = string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm} {ZoneLabel(zone, at.Offset)}");
        return at.Date == LocalDate(now, zone) ? time : $"{Text.Get($"day.{(int)at.DayOfWeek}")} {time}";
    }

    /// <summary>"UTC" for UTC itself; otherwise the offset: "GMT", "GMT+1", "GMT+5:30", "GMT-3" (zoneLabel() in views.ts).</summary>
    public static string ZoneLabel(TimeZoneInfo zone, TimeSpan offset)
    {
        if (zone.Id is "UTC" or "Etc/UTC")
        {
            return "UTC";
        }
        if (offset == TimeSpan.Zero)
        {
            return "GMT";
        }
        var abs = offset.Duration();
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return abs.Minutes == 0
            ? string.Create(CultureInfo.InvariantCulture, $"GMT{sign}{abs.Hours}")
            : string.Create(CultureInfo.InvariantCulture, $"GMT{sign}{abs.Hours}:{abs.Minutes:00}");
    }

    /// <summary>What the pages say times are in: "Europe/Madrid (GMT+1)", or "UTC".</summary>
    public static string ZoneName(TimeZoneInfo zone, long now)
    {
        var label = ZoneLabel(zone, zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(now)));
        return label == "UTC" ? label : $"{zone.Id} ({label})";
    }

    public static string PeriodLabel(string sport, int period)
    {
        if (period <= 0)
        {
            return "";
        }
        if (sport == Sports.Basketball)
        {
            return period <= 4 ? Text.Get("period.quarter", ("n", period)) : Text.Get("period.overtime", ("n", period - 4));
        }
        if (sport == Sports.Tennis)
        {
            return Text.Get("period.set", ("n", period));
        }
        return period <= 5 ? Text.Get($"period.{period}") : Text.Get("period.n", ("n", period));
    }

    /// <summary>The period beside the clock, in play only.</summary>
    public static string PeriodSlot(MatchState state) => MatchStatus.IsInPlay(state.Status) ? PeriodLabel(state.Sport, state.Period) : "";

    public static string StatusLabel(MatchState state) => Text.Get(state.Status switch
    {
        MatchStatus.Live => "status.live",
        MatchStatus.Paused => state.Sport == Sports.Football && state.Period == 1 ? "status.halfTime" : "status.break",
        MatchStatus.Final => state.Sport == Sports.Tennis ? "status.finished" : "status.final",
        MatchStatus.Postponed => "status.postponed",
        MatchStatus.Cancelled => "status.cancelled",
        _ => "status.upcoming",
    });

    public static string Score(MatchState state, TeamScore team) =>
        state.Status is MatchStatus.Scheduled or MatchStatus.Postponed or MatchStatus.Cancelled ? "" : team.Score.ToString(CultureInfo.InvariantCulture);

    public static string IncidentTime(string sport, Incident incident) =>
        sport == Sports.Tennis ? PeriodLabel(sport, incident.Period)
        : sport == Sports.Basketball
            ? $"{PeriodLabel(sport, incident.Period)} {FormatClock(incident.Seconds)}".Trim()
            : string.Create(CultureInfo.InvariantCulture, $"{(incident.Seconds / 60) + 1}'");

    public static string IncidentLabel(string sport, Incident incident) => incident.Type switch
    {
        IncidentTypes.Points => incident.Points == 1 ? Text.Get("incident.freeThrow") : Text.Get("incident.points", ("n", incident.Points ?? 0)),
        IncidentTypes.PeriodStart => Text.Get("incident.startOf", ("period", Or(PeriodLabel(sport, incident.Period), Text.Get("incident.play")))),
        IncidentTypes.PeriodEnd => Text.Get("incident.endOf", ("period", Or(PeriodLabel(sport, incident.Period), Text.Get("incident.play")))),
        IncidentTypes.Goal or IncidentTypes.OwnGoal or IncidentTypes.PenaltyGoal or IncidentTypes.YellowCard or IncidentTypes.RedCard
            or IncidentTypes.Substitution or IncidentTypes.Timeout or IncidentTypes.Retirement => Text.Get($"incident.{incident.Type}"),
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

    /// <summary>"Today's" matches: in play, or starting on the viewer's calendar day (isToday() in clock.ts).</summary>
    public static bool IsToday(MatchState state, long now, TimeZoneInfo? zone = null) =>
        MatchStatus.IsInPlay(state.Status) || LocalDate(state.StartsAt, zone ?? TimeZoneInfo.Utc) == LocalDate(now, zone ?? TimeZoneInfo.Utc);

    private static DateTime LocalDate(long unixMs, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), zone).Date;

    /// <summary>In play first, then upcoming, then the rest; by start time within each.</summary>
    public static IOrderedEnumerable<MatchState> InListOrder(IEnumerable<MatchState> matches) =>
        matches.OrderBy(m => MatchStatus.IsInPlay(m.Status) ? 0 : m.Status == MatchStatus.Scheduled ? 1 : 2)
            .ThenBy(m => m.StartsAt)
            .ThenBy(m => m.MatchId, StringComparer.Ordinal);

    private static string Or(string text, string fallback) => text.Length > 0 ? text : fallback;
}
