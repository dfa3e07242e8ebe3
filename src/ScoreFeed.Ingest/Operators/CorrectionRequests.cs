using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ScoreFeed.Contract;
using ScoreFeed.Redis;

namespace ScoreFeed.Ingest.Operators;

/// <summary>Checks a <see cref="CorrectionRequest"/> and turns it into field values (docs/wire-contract.md, "Operator API").</summary>
internal static class CorrectionRequests
{
    public const int MaxReason = 500;
    public const int MaxText = 100;
    public const int MaxScore = 999;
    public const int MaxPeriod = 20;
    public const int MaxSeconds = 100_000;
    public const int MaxPoints = 10;
    /// <summary>Tennis: points of a game or tie-break, games of a set (advantage sets of old ran past 20).</summary>
    public const int MaxTennis = 99;

    /// <summary>The first problem of the request on its own, as (field, message); null when it is well-formed.</summary>
    public static (string Field, string Detail)? Validate(CorrectionRequest r)
    {
        if (ValidateReason(r.Reason) is { } reason)
        {
            return ("reason", reason);
        }
        if (r is { Home: null, Away: null, Status: null, Period: null, Clock: null, Incident: null, Tennis: null or { Points: null, Games: null, Server: null } })
        {
            return ("body", "Nothing to correct: give at least one of home, away, status, period, clock, incident, tennis.");
        }
        return r.ExpectedSeq is < 0 ? ("expectedSeq", "must be 0 or more")
            : r.Home is < 0 or > MaxScore ? ("home", $"must be between 0 and {MaxScore}")
            : r.Away is < 0 or > MaxScore ? ("away", $"must be between 0 and {MaxScore}")
            : r.Status is { } status && !MatchStatus.IsValid(status) ? ("status", $"must be one of {string.Join(", ", MatchStatus.All)}")
            : r.Period is < 0 or > MaxPeriod ? ("period", $"must be between 0 and {MaxPeriod}")
            : r.Clock is { Seconds: null } ? ("clock.seconds", "is required")
            : r.Clock?.Seconds is < 0 or > MaxSeconds ? ("clock.seconds", $"must be between 0 and {MaxSeconds}")
            : r.Incident is { } incident ? ValidateIncident(incident)
            : r.Tennis is { } tennis ? ValidateTennis(tennis)
            : null;
    }

    /// <summary>A reason is mandatory for every operator change.</summary>
    public static string? ValidateReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "is required: say why (it goes into the audit)"
        : reason.Length > MaxReason ? $"must be at most {MaxReason} characters"
        : null;

    /// <summary>The values the request sets on <paramref name="current"/>; an amended incident merges into the one the match holds.</summary>
    public static Resolution Resolve(CorrectionRequest r, StoredMatch current, long now)
    {
        var json = ScoreFeedJsonContext.Default;
        var values = new List<KeyValuePair<string, JsonElement>>();
        void Add<T>(string field, T value, JsonTypeInfo<T> type) => values.Add(new(field, JsonSerializer.SerializeToElement(value, type)));
        if (r.Home is { } home)
        {
            Add(MatchFields.Home, home, json.Int32);
        }
        if (r.Away is { } away)
        {
            Add(MatchFields.Away, away, json.Int32);
        }
        if (r.Status is { } status)
        {
            Add(MatchFields.Status, status, json.String);
        }
        if (r.Period is { } period)
        {
            Add(MatchFields.Period, period, json.Int32);
        }
        if (r.Clock is { } clock)
        {
            // The clock shows the given seconds from now on.
            Add(MatchFields.Clock, new MatchClock { Running = clock.Running ?? current.State.Clock.Running, Seconds = clock.Seconds!.Value, At = now }, json.MatchClock);
        }
        if (r.Tennis is { } tennis)
        {
            if (current.State.Tennis is null)
            {
                return Resolution.Refuse(CorrectionOutcome.Invalid("tennis", $"The match is {current.State.Sport}, not tennis: it has no points, games or server."));
            }
            if (tennis.Points is { } points)
            {
                Add(MatchFields.Points, new ScorePair(points.Home!.Value, points.Away!.Value), json.ScorePair);
            }
            if (tennis.Games is { } games)
            {
                Add(MatchFields.Games, new ScorePair(games.Home!.Value, games.Away!.Value), json.ScorePair);
            }
            if (tennis.Server is { } server)
            {
                Add(MatchFields.Server, server, json.String);
            }
        }
        if (r.Incident is { } change)
        {
            var id = change.Id ?? NewIncidentId();
            var held = FieldValues.Find(current.State, id);
            if (change.Id is not null && held is null)
            {
                return Resolution.Refuse(CorrectionOutcome.Invalid("incident.id", $"The match has no incident '{id}'."));
            }
            values.Add(new(MatchFields.Incident(id), change.Removed == true ? FieldValues.Absent : FieldValues.Of(Merge(held, change) with { Id = id })));
        }
        return new Resolution(values);
    }

    private static (string, string)? ValidateTennis(TennisCorrection t)
    {
        static (string, string)? Pair(PairCorrection? p, string name) =>
            p is null ? null
            : p.Home is null ? ($"tennis.{name}.home", "is required")
            : p.Away is null ? ($"tennis.{name}.away", "is required")
            : p.Home is < 0 or > MaxTennis ? ($"tennis.{name}.home", $"must be between 0 and {MaxTennis}")
            : p.Away is < 0 or > MaxTennis ? ($"tennis.{name}.away", $"must be between 0 and {MaxTennis}")
            : null;
        return Pair(t.Points, "points") ?? Pair(t.Games, "games")
            ?? (t.Server is { } server && !TeamSides.IsValid(server) ? ("tennis.server", $"must be {TeamSides.Home} or {TeamSides.Away}") : null);
    }

    private static (string, string)? ValidateIncident(IncidentCorrection i)
    {
        if (i.Id is { } id && !Ids.IsValid(id))
        {
            return ("incident.id", $"must match {Ids.Pattern}");
        }
        if (i.Removed == true)
        {
            return i.Id is null ? ("incident.id", "is required to remove an incident") : null;
        }
        if (i.Id is null && (i.Type is null || i.Period is null || i.Seconds is null))
        {
            return (i.Type is null ? "incident.type" : i.Period is null ? "incident.period" : "incident.seconds", "is required to add an incident");
        }
        return i.Type is { } type && !IncidentTypes.IsValid(type) ? ("incident.type", $"must be one of {string.Join(", ", IncidentTypes.All)}")
            : i.Team is { } team && !TeamSides.IsValid(team) ? ("incident.team", $"must be {TeamSides.Home} or {TeamSides.Away}")
            : i.Period is < 0 or > MaxPeriod ? ("incident.period", $"must be between 0 and {MaxPeriod}")
            : i.Seconds is < 0 or > MaxSeconds ? ("incident.seconds", $"must be between 0 and {MaxSeconds}")
            : i.Points is < 0 or > MaxPoints ? ("incident.points", $"must be between 0 and {MaxPoints}")
            : i.Player is { Length: > MaxText } ? ("incident.player", $"must be at most {MaxText} characters")
            : i.Detail is { Length: > MaxText } ? ("incident.detail", $"must be at most {MaxText} characters")
            : null;
    }

    /// <summary>The held incident with the fields the request gives (a new one when nothing is held).</summary>
    private static Incident Merge(Incident? held, IncidentCorrection c)
    {
        var i = held ?? new Incident();
        return i with
        {
            Type = c.Type ?? i.Type,
            Period = c.Period ?? i.Period,
            Seconds = c.Seconds ?? i.Seconds,
            Team = c.Team ?? i.Team,
            Player = c.Player ?? i.Player,
            Points = c.Points ?? i.Points,
            Detail = c.Detail ?? i.Detail,
        };
    }

    /// <summary>Ids of incidents operators add: prefixed, so they never collide with a feed's.</summary>
    private static string NewIncidentId() => "op-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
