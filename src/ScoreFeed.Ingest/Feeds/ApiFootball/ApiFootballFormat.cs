using System.Globalization;
using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Feeds.ApiFootball;

/// <summary>
/// API-Football v3: <c>GET {BaseUrl}/fixtures?live=all</c> (every poll while matches are in play) and
/// <c>GET {BaseUrl}/fixtures?date={today}</c> for the day's fixtures (once per <c>PollInterval</c>), with the <c>x-apisports-key</c> header.
/// Each item of <c>response</c> has <c>fixture</c> (<c>id</c>, <c>timestamp</c>, <c>status</c>: <c>short</c>,
/// <c>elapsed</c>, <c>extra</c>), <c>league</c>, <c>teams</c>, <c>goals</c> (the running score without the shoot-out),
/// <c>score</c> (<c>halftime</c>, <c>fulltime</c> at 90 minutes, <c>extratime</c>, <c>penalty</c>: the line score) and, where present,
/// <c>events</c>. A refused request still answers 200, with <c>errors</c> saying why.
/// Ids: match <c>af-{fixture.id}</c>, competition <c>af-{league.id}</c>, team <c>af-{team.id}</c>. Items carry
/// no update time, so the version is the response's <c>Date</c> (when the vendor produced it).
/// </summary>
internal sealed class ApiFootballFormat : IFeedFormat
{
    public const string ProviderName = "ApiFootball";
    private const string Prefix = "af";

    public string Name => ProviderName;

    public string IdPrefix => Prefix;

    public string Key => "apifootball";

    public IReadOnlyList<FeedRequest> Requests(DateTimeOffset now, bool anyInPlay)
    {
        var today = new FeedRequest(string.Create(CultureInfo.InvariantCulture, $"fixtures?date={now.UtcDateTime:yyyy-MM-dd}"), EveryPoll: false);
        // The live list every poll while a match is in play; else, like the day's list, once per PollInterval.
        return [new("fixtures?live=all", EveryPoll: anyInPlay), today];
    }

    public void Authorize(HttpRequestMessage request, string apiKey) => request.Headers.Add("x-apisports-key", apiKey);

    public FeedBatch Parse(FeedResponse response) =>
        FeedParsing.Parse(response, "response", (item, rejects) => Map(item, rejects, response.VendorTimeMs), VendorErrors);

    /// <summary><c>standings?league={league}&amp;season={season}</c> for <c>{league}:{season}</c>; the matches name it <c>af-{league}</c>.</summary>
    public (FeedRequest Request, string CompetitionId) StandingsRequest(string competition)
    {
        var (league, season) = (competition[..competition.IndexOf(':')], competition[(competition.IndexOf(':') + 1)..]);
        return (new($"standings?league={league}&season={season}", EveryPoll: false), FeedText.Id(Prefix, league));
    }

    public (StandingsTable? Table, string? Error) ParseStandings(byte[] body) => ApiFootballStandings.Parse(body);

    /// <summary><c>errors</c> is <c>[]</c> when all is well, else an object (or list) of messages, e.g. the daily quota.</summary>
    private static FeedReject? VendorErrors(FeedDocument doc) =>
        doc.Properties.TryGetValue("errors", out var errors)
        && (errors.ValueKind == JsonValueKind.Object && errors.EnumerateObject().Any() || errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            ? new FeedReject(RejectReasons.VendorError, null, FeedText.Clean(errors.GetRawText()) ?? "errors")
            : null;

    private static FeedMatch Map(JsonElement item, List<FeedReject> rejects, long version)
    {
        var fixture = item.Object("fixture");
        var vendorId = fixture.Id("id");
        var matchId = FeedText.Id(Prefix, vendorId);
        var state = fixture.Object("status");
        var code = state.String("short");
        var elapsed = state.OptionalInteger("elapsed");
        var extra = state.OptionalInteger("extra") ?? 0;
        if (elapsed is < 0 or > 150 || extra is < 0 or > 60)
        {
            throw new FeedItemException(RejectReasons.BadTime, $"elapsed {elapsed}+{extra} is out of range");
        }
        var startsAt = fixture.OptionalInteger("timestamp") is { } seconds and > 0 and < 100_000_000_000
            ? seconds * 1000
            : DateTimeOffset.TryParse(fixture.String("date"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                ? date.ToUnixTimeMilliseconds()
                : throw new FeedItemException(RejectReasons.BadTime, "'fixture.date' is not a time");
        var teams = item.Object("teams");
        var home = teams.Object("home");
        var away = teams.Object("away");
        var homeId = home.Id("id");
        var awayId = away.Id("id");
        var goals = item.OptionalObject("goals");
        var score = item.OptionalObject("score");

        var minute = (int?)elapsed;
        var (status, period) = code switch
        {
            "TBD" or "NS" => (MatchStatus.Scheduled, 0),
            "1H" => (MatchStatus.Live, 1),
            "HT" => (MatchStatus.Paused, 1),
            "2H" => (MatchStatus.Live, 2),
            "ET" => (MatchStatus.Live, minute > 105 ? 4 : 3),
            "BT" => (MatchStatus.Paused, minute >= 105 ? 3 : 2),
            "P" => (MatchStatus.Live, 5),
            "SUSP" or "INT" => (MatchStatus.Paused, minute is { } m ? FootballTime.PeriodOf(m) : (int?)null),
            "LIVE" => (MatchStatus.Live, minute is { } m ? FootballTime.PeriodOf(m) : (int?)null),
            "FT" or "AWD" or "WO" => (MatchStatus.Final, 2),
            "AET" => (MatchStatus.Final, 4),
            "PEN" => (MatchStatus.Final, 5),
            "PST" => (MatchStatus.Postponed, 0),
            "CANC" or "ABD" => (MatchStatus.Cancelled, 0),
            _ => throw new FeedItemException(RejectReasons.UnknownStatus, $"unknown status '{FeedText.Clean(code)}'"),
        };

        var incidents = new FeedIncidents.Builder(vendorId, rejects);
        var events = item.OptionalArray("events");
        // One list carries every class: reporting it makes the vendor the truth for goals, cards and substitutions.
        foreach (var cls in (char[])[FeedIncidents.Goals, FeedIncidents.Cards, FeedIncidents.Substitutions])
        {
            incidents.Read(cls, events?.Where(e => ClassOf(e) == cls), e => AddEvent(incidents, cls, e, homeId, awayId));
        }

        return new FeedMatch
        {
            VendorId = vendorId,
            MatchId = matchId,
            CompetitionId = FeedText.Id(Prefix, item.Object("league").Id("id")),
            Home = new TeamScore { Id = FeedText.Id(Prefix, homeId), Name = FeedText.Clean(home.String("name"))!, Score = FeedText.Score(goals?.OptionalInteger("home"), "home") },
            Away = new TeamScore { Id = FeedText.Id(Prefix, awayId), Name = FeedText.Clean(away.String("name"))!, Score = FeedText.Score(goals?.OptionalInteger("away"), "away") },
            Status = status,
            Period = period,
            ClockSeconds = status is MatchStatus.Live or MatchStatus.Paused && minute is { } min && period <= 4 ? (min + (int)extra) * 60 : null,
            StartsAt = startsAt,
            Lines = FeedLines.Football(status, period, new ScorePair((int)(goals?.OptionalInteger("home") ?? 0), (int)(goals?.OptionalInteger("away") ?? 0)),
                FeedLines.Pair(score, "halftime"), FeedLines.Pair(score, "extratime"), FeedLines.Pair(score, "penalty")),
            Incidents = incidents.Incidents,
            IncidentClasses = incidents.Classes,
            Version = version,
        };
    }

    private static char? ClassOf(JsonElement e) => e.Optional("type")?.ValueKind == JsonValueKind.String
        ? e.GetProperty("type").GetString() switch
        {
            "Goal" => FeedIncidents.Goals,
            "Card" => FeedIncidents.Cards,
            "subst" => FeedIncidents.Substitutions,
            _ => null, // "Var" and others: no incident of their own
        }
        : null;

    private static void AddEvent(FeedIncidents.Builder incidents, char cls, JsonElement e, string homeId, string awayId)
    {
        var detail = e.OptionalString("detail");
        var type = cls switch
        {
            FeedIncidents.Goals when e.OptionalString("comments") == "Penalty Shootout" || detail == "Missed Penalty" => null,
            FeedIncidents.Goals => detail switch { "Own Goal" => IncidentTypes.OwnGoal, "Penalty" => IncidentTypes.PenaltyGoal, _ => IncidentTypes.Goal },
            FeedIncidents.Cards => detail is "Red Card" or "Second Yellow card" ? IncidentTypes.RedCard : IncidentTypes.YellowCard,
            _ => IncidentTypes.Substitution,
        };
        if (type is null)
        {
            return; // a missed penalty, or a kick of the shoot-out: not a goal of the match
        }
        var time = e.Object("time");
        var team = e.Object("team").Id("id");
        var side = team == homeId ? TeamSides.Home : team == awayId ? TeamSides.Away
            : throw new FeedItemException(RejectReasons.BadIncident, $"event of team {team}, which plays neither side");
        incidents.Add(cls, type, side, time.Integer("elapsed"), time.OptionalInteger("extra"),
            e.OptionalObject("player")?.OptionalString("name"),
            cls == FeedIncidents.Substitutions ? e.OptionalObject("assist")?.OptionalString("name")
            : detail == "Second Yellow card" ? "second yellow" : null);
    }
}
