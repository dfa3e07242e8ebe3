namespace ScoreFeed.Contract;

/// <summary>Match statuses on the wire. Strings, not enums, so JSON and MessagePack carry the same lowercase text.</summary>
public static class MatchStatus
{
    public const string Scheduled = "scheduled";
    public const string Live = "live";
    public const string Paused = "paused";
    public const string Final = "final";
    public const string Postponed = "postponed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Scheduled, Live, Paused, Final, Postponed, Cancelled];

    public static bool IsValid(string? status) => status is not null && All.Contains(status);

    /// <summary>A match is "in play" (in the <c>live</c> topic) while live or paused (half-time, breaks).</summary>
    public static bool IsInPlay(string? status) => status is Live or Paused;

    /// <summary>No further play is expected: the match keys may expire after the retention period.</summary>
    public static bool IsTerminal(string? status) => status is Final or Cancelled;
}

public static class Sports
{
    public const string Football = "football";
    public const string Basketball = "basketball";
    /// <summary>Scores are sets won; the rest is in <see cref="MatchState.Tennis"/>.</summary>
    public const string Tennis = "tennis";

    public static bool IsValid(string? sport) => sport is Football or Basketball or Tennis;

    /// <summary>Basketball clocks count down the period; football clocks count up from kick-off.</summary>
    public static bool ClockCountsDown(string? sport) => sport == Basketball;
}

public static class UpdateSources
{
    public const string Feed = "feed";
    public const string Operator = "operator";
    /// <summary>The store re-issued the match's state as the first update of a new epoch (the rewind rule).</summary>
    public const string Store = "store";
}

public static class IncidentTypes
{
    public const string Goal = "goal";
    public const string OwnGoal = "own-goal";
    public const string PenaltyGoal = "penalty-goal";
    public const string YellowCard = "yellow-card";
    public const string RedCard = "red-card";
    public const string Substitution = "substitution";
    public const string PeriodStart = "period-start";
    public const string PeriodEnd = "period-end";
    public const string Points = "points";
    public const string Timeout = "timeout";
    /// <summary>Tennis: the player of <see cref="Incident.Team"/> retired, ending the match.</summary>
    public const string Retirement = "retirement";

    public static readonly IReadOnlyList<string> All =
        [Goal, OwnGoal, PenaltyGoal, YellowCard, RedCard, Substitution, PeriodStart, PeriodEnd, Points, Timeout, Retirement];

    public static bool IsValid(string? type) => type is not null && All.Contains(type);
}

public static class TeamSides
{
    public const string Home = "home";
    public const string Away = "away";

    public static bool IsValid(string? team) => team is Home or Away;
}

/// <summary>Names of server → client methods.</summary>
public static class ClientMethods
{
    public const string Update = "update";

    /// <summary>Approximate audience of a match (<see cref="AudienceMessage"/>).</summary>
    public const string Audience = "audience";
}
