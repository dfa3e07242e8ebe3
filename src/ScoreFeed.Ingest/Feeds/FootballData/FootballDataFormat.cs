using System.Globalization;
using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Feeds.FootballData;

/// <summary>
/// football-data.org API v4: <c>GET {BaseUrl}/v4/matches</c> (today's matches, in play or not) with the
/// <c>X-Auth-Token</c> header. Each item of <c>matches</c> has <c>id</c>, <c>utcDate</c>, <c>status</c>,
/// <c>lastUpdated</c>, <c>competition</c>, <c>homeTeam</c>/<c>awayTeam</c> and <c>score</c>
/// (<c>fullTime</c>, <c>halfTime</c>, and <c>regularTime</c>/<c>extraTime</c>/<c>penalties</c> after extra time: the
/// line score);
/// some plans add <c>minute</c>, <c>injuryTime</c>, <c>goals</c>, <c>bookings</c> and <c>substitutions</c>.
/// Ids: match <c>fd-{id}</c>, competition <c>fd-{code}</c> (or <c>fd-{id}</c>), team <c>fd-{id}</c>;
/// version: <c>lastUpdated</c>.
/// </summary>
internal sealed class FootballDataFormat : IFeedFormat
{
    public const string ProviderName = "FootballData";
    private const string Prefix = "fd";

    public string Name => ProviderName;

    public string IdPrefix => Prefix;

    public string Key => "footballdata";

    public IReadOnlyList<FeedRequest> Requests(DateTimeOffset now, bool anyInPlay) => [new("v4/matches", EveryPoll: true)];

    public void Authorize(HttpRequestMessage request, string apiKey) => request.Headers.Add("X-Auth-Token", apiKey);

    public FeedBatch Parse(FeedResponse response) => FeedParsing.Parse(response, "matches", Map);

    /// <summary><c>v4/competitions/{code}/standings</c>; the matches name the competition <c>fd-{code}</c>.</summary>
    public (FeedRequest Request, string CompetitionId) StandingsRequest(string competition) =>
        (new($"v4/competitions/{Uri.EscapeDataString(competition)}/standings", EveryPoll: false), FeedText.Id(Prefix, competition));

    public (StandingsTable? Table, string? Error) ParseStandings(byte[] body) => FootballDataStandings.Parse(body);

    private static FeedMatch Map(JsonElement item, List<FeedReject> rejects)
    {
        var vendorId = item.Id("id");
        var matchId = FeedText.Id(Prefix, vendorId);
        var statusText = item.String("status");
        var startsAt = Time(item.String("utcDate"), "utcDate");
        var version = item.OptionalString("lastUpdated") is { } updated ? Time(updated, "lastUpdated") : (long?)null;
        var competition = item.Object("competition");
        var home = item.Object("homeTeam");
        var away = item.Object("awayTeam");
        var homeId = home.Id("id");
        var awayId = away.Id("id");

        var score = item.OptionalObject("score");
        var (homeGoals, awayGoals) = Goals(score);
        var (minute, stoppage) = Minute(item);
        var halfTimeKnown = score?.OptionalObject("halfTime")?.OptionalInteger("home") is not null;
        var duration = score?.OptionalString("duration");
        var (status, period) = statusText switch
        {
            "SCHEDULED" or "TIMED" => (MatchStatus.Scheduled, 0),
            "IN_PLAY" or "LIVE" => (MatchStatus.Live, minute is { } m ? FootballTime.PeriodOf(m) : halfTimeKnown ? 2 : (int?)null),
            "PAUSED" => (MatchStatus.Paused, minute is { } m ? (m >= 90 ? 2 : 1) : (int?)null),
            "EXTRA_TIME" => (MatchStatus.Live, minute is > 105 ? 4 : 3),
            "PENALTY_SHOOTOUT" => (MatchStatus.Live, 5),
            "SUSPENDED" => (MatchStatus.Paused, minute is { } m ? FootballTime.PeriodOf(m) : (int?)null),
            "FINISHED" or "AWARDED" => (MatchStatus.Final, duration switch { "PENALTY_SHOOTOUT" => 5, "EXTRA_TIME" => 4, _ => 2 }),
            "POSTPONED" => (MatchStatus.Postponed, 0),
            "CANCELLED" => (MatchStatus.Cancelled, 0),
            _ => throw new FeedItemException(RejectReasons.UnknownStatus, $"unknown status '{FeedText.Clean(statusText)}'"),
        };

        var incidents = new FeedIncidents.Builder(vendorId, rejects);
        string SideOf(JsonElement entry)
        {
            var team = entry.Object("team").Id("id");
            return team == homeId ? TeamSides.Home : team == awayId ? TeamSides.Away
                : throw new FeedItemException(RejectReasons.BadIncident, $"incident of team {team}, which plays neither side");
        }
        incidents.Read(FeedIncidents.Goals, item.OptionalArray("goals"), goal => incidents.Add(FeedIncidents.Goals,
            goal.OptionalString("type") switch { "OWN" => IncidentTypes.OwnGoal, "PENALTY" => IncidentTypes.PenaltyGoal, _ => IncidentTypes.Goal },
            SideOf(goal), goal.Integer("minute"), goal.OptionalInteger("injuryTime"), goal.OptionalObject("scorer")?.OptionalString("name")));
        incidents.Read(FeedIncidents.Cards, item.OptionalArray("bookings"), booking => incidents.Add(FeedIncidents.Cards,
            booking.String("card") switch
            {
                "YELLOW" => IncidentTypes.YellowCard,
                "RED" or "YELLOW_RED" => IncidentTypes.RedCard,
                var card => throw new FeedItemException(RejectReasons.BadIncident, $"unknown card '{FeedText.Clean(card)}'"),
            },
            SideOf(booking), booking.Integer("minute"), booking.OptionalInteger("injuryTime"), booking.OptionalObject("player")?.OptionalString("name"),
            booking.OptionalString("card") == "YELLOW_RED" ? "second yellow" : null));
        incidents.Read(FeedIncidents.Substitutions, item.OptionalArray("substitutions"), sub => incidents.Add(FeedIncidents.Substitutions,
            IncidentTypes.Substitution, SideOf(sub), sub.Integer("minute"), sub.OptionalInteger("injuryTime"),
            sub.OptionalObject("playerIn")?.OptionalString("name"), sub.OptionalObject("playerOut")?.OptionalString("name")));

        return new FeedMatch
        {
            VendorId = vendorId,
            MatchId = matchId,
            CompetitionId = FeedText.Id(Prefix, competition.OptionalString("code") is { Length: > 0 } code && Ids.IsValid(code) ? code : competition.Id("id")),
            Home = new TeamScore { Id = FeedText.Id(Prefix, homeId), Name = FeedText.Clean(home.String("name"))!, Score = FeedText.Score(homeGoals, "home") },
            Away = new TeamScore { Id = FeedText.Id(Prefix, awayId), Name = FeedText.Clean(away.String("name"))!, Score = FeedText.Score(awayGoals, "away") },
            Status = status,
            Period = period,
            ClockSeconds = status is MatchStatus.Live or MatchStatus.Paused && minute is { } min ? (min + stoppage) * 60 : null,
            StartsAt = startsAt,
            Lines = FeedLines.Football(status, period, new ScorePair((int)(homeGoals ?? 0), (int)(awayGoals ?? 0)),
                FeedLines.Pair(score, "halfTime"), FeedLines.Pair(score, "extraTime"), FeedLines.Pair(score, "penalties")),
            Incidents = incidents.Incidents,
            IncidentClasses = incidents.Classes,
            Version = version,
        };
    }

    /// <summary>
    /// The match score without the shoot-out: <c>regularTime + extraTime</c> once the vendor splits them (its
    /// <c>fullTime</c> then includes the penalties), else <c>fullTime</c>, which holds the running score in play.
    /// </summary>
    private static (long? Home, long? Away) Goals(JsonElement? score)
    {
        if (score?.OptionalObject("regularTime") is { } regular)
        {
            var extra = score.Value.OptionalObject("extraTime");
            return (Sum(regular.OptionalInteger("home"), extra?.OptionalInteger("home")), Sum(regular.OptionalInteger("away"), extra?.OptionalInteger("away")));
        }
        var full = score?.OptionalObject("fullTime");
        return (full?.OptionalInteger("home"), full?.OptionalInteger("away"));
    }

    private static long? Sum(long? a, long? b) => a is null ? null : a + (b ?? 0);

    /// <summary>The running minute: <c>minute</c> as a number or text ("67", "45+2"), plus <c>injuryTime</c>.</summary>
    private static (int? Minute, int Stoppage) Minute(JsonElement item)
    {
        var stoppage = item.OptionalInteger("injuryTime") ?? 0;
        long minute;
        switch (item.Optional("minute"))
        {
            case null:
                return (null, 0);
            case { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n):
                minute = n;
                break;
            case { ValueKind: JsonValueKind.String } v when v.GetString()!.Split('+') is [var m, .. var rest] && rest.Length <= 1
                && long.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out minute):
                stoppage = rest.Length == 1 && long.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var extra) ? Math.Max(stoppage, extra) : stoppage;
                break;
            case { } v:
                throw new FeedItemException(RejectReasons.WrongType, $"'minute' is {v.ValueKind}, expected a minute");
        }
        return minute is < 0 or > 150 || stoppage is < 0 or > 60
            ? throw new FeedItemException(RejectReasons.BadTime, $"minute {minute}+{stoppage} is out of range")
            : ((int)minute, (int)stoppage);
    }

    private static long Time(string text, string field) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUnixTimeMilliseconds()
            : throw new FeedItemException(RejectReasons.BadTime, $"'{field}' is not a time: '{FeedText.Clean(text)}'");
}
