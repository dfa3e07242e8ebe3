using System.Text;
using System.Text.Json.Nodes;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Feeds;
using ScoreFeed.Ingest.Feeds.ApiFootball;
using ScoreFeed.Ingest.Feeds.FootballData;

namespace ScoreFeed.UnitTests;

/// <summary>The two vendor formats: statuses, periods, clock, scores, incidents, and bad input item by item.</summary>
public sealed class FeedMappingTests
{
    private static readonly DateTimeOffset Received = DateTimeOffset.Parse("2026-03-14T16:06:00Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A recorded vendor payload (tests/ScoreFeed.EndToEndTests/Feeds).</summary>
    internal static JsonNode Load(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Feeds", file)))!;

    internal static FeedBatch Parse(IFeedFormat format, string body, DateTimeOffset? date = null) =>
        format.Parse(new FeedResponse("test", 200, Encoding.UTF8.GetBytes(body), "application/json", date, Received));

    private static FeedMatch FootballData(Action<JsonNode> edit)
    {
        var payload = Load("footballdata-matches.json");
        edit(payload["matches"]![0]!);
        return Parse(new FootballDataFormat(), payload.ToJsonString()).Matches.Single(m => m.VendorId == "1001");
    }

    private static FeedMatch ApiFootball(Action<JsonNode> edit)
    {
        var payload = Load("apifootball-live.json");
        edit(payload["response"]![0]!);
        return Parse(new ApiFootballFormat(), payload.ToJsonString(), Received).Matches.Single(m => m.VendorId == "5001");
    }

    [Theory]
    [InlineData("SCHEDULED", null, MatchStatus.Scheduled, 0)]
    [InlineData("TIMED", null, MatchStatus.Scheduled, 0)]
    [InlineData("IN_PLAY", 30, MatchStatus.Live, 1)]
    [InlineData("IN_PLAY", 77, MatchStatus.Live, 2)]
    [InlineData("PAUSED", 45, MatchStatus.Paused, 1)]
    [InlineData("PAUSED", 90, MatchStatus.Paused, 2)]
    [InlineData("EXTRA_TIME", 110, MatchStatus.Live, 4)]
    [InlineData("PENALTY_SHOOTOUT", 120, MatchStatus.Live, 5)]
    [InlineData("SUSPENDED", 70, MatchStatus.Paused, 2)]
    [InlineData("FINISHED", null, MatchStatus.Final, 2)]
    [InlineData("AWARDED", null, MatchStatus.Final, 2)]
    [InlineData("POSTPONED", null, MatchStatus.Postponed, 0)]
    [InlineData("CANCELLED", null, MatchStatus.Cancelled, 0)]
    public void FootballData_statuses_and_periods(string status, int? minute, string expected, int period)
    {
        var match = FootballData(m =>
        {
            m["status"] = status;
            m["minute"] = minute;
        });

        Assert.Equal((expected, period), (match.Status, match.Period));
    }

    [Fact]
    public void FootballData_maps_ids_scores_clock_version_and_incidents()
    {
        var match = FootballData(m => m["minute"] = "45+2");

        Assert.Equal(("fd-1001", "fd-PL", "fd-57", "fd-61", 1, 0), (match.MatchId, match.CompetitionId, match.Home.Id, match.Away.Id, match.Home.Score, match.Away.Score));
        Assert.Equal((1, 47 * 60), (match.Period, match.ClockSeconds));
        Assert.Equal(DateTimeOffset.Parse("2026-03-14T16:05:30Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), match.Version);
        Assert.Equal("cgs", match.IncidentClasses);
        Assert.Equal(["feed-g-h-23-0-1", "feed-c-a-40-0-1"], match.Incidents.Select(i => i.Id));
    }

    [Fact]
    public void FootballData_after_a_shoot_out_scores_regular_and_extra_time_without_the_penalties()
    {
        var match = FootballData(m =>
        {
            m["status"] = "FINISHED";
            m["score"] = JsonNode.Parse("""{ "duration": "PENALTY_SHOOTOUT", "fullTime": { "home": 5, "away": 4 }, "regularTime": { "home": 1, "away": 1 }, "extraTime": { "home": 0, "away": 0 }, "penalties": { "home": 4, "away": 3 } }""");
        });

        Assert.Equal((MatchStatus.Final, 5, 1, 1), (match.Status, match.Period, match.Home.Score, match.Away.Score));
    }

    [Theory]
    [InlineData("TBD", MatchStatus.Scheduled, 0)]
    [InlineData("NS", MatchStatus.Scheduled, 0)]
    [InlineData("1H", MatchStatus.Live, 1)]
    [InlineData("HT", MatchStatus.Paused, 1)]
    [InlineData("2H", MatchStatus.Live, 2)]
    [InlineData("ET", MatchStatus.Live, 3)]
    [InlineData("BT", MatchStatus.Paused, 2)]
    [InlineData("P", MatchStatus.Live, 5)]
    [InlineData("SUSP", MatchStatus.Paused, 2)]
    [InlineData("INT", MatchStatus.Paused, 2)]
    [InlineData("LIVE", MatchStatus.Live, 2)]
    [InlineData("FT", MatchStatus.Final, 2)]
    [InlineData("AET", MatchStatus.Final, 4)]
    [InlineData("PEN", MatchStatus.Final, 5)]
    [InlineData("PST", MatchStatus.Postponed, 0)]
    [InlineData("CANC", MatchStatus.Cancelled, 0)]
    [InlineData("ABD", MatchStatus.Cancelled, 0)]
    [InlineData("AWD", MatchStatus.Final, 2)]
    [InlineData("WO", MatchStatus.Final, 2)]
    public void ApiFootball_statuses_and_periods(string code, string expected, int period)
    {
        var match = ApiFootball(m => m["fixture"]!["status"]!["short"] = code);

        Assert.Equal((expected, period), (match.Status, match.Period));
    }

    [Fact]
    public void ApiFootball_maps_elapsed_to_the_clock_the_response_date_to_the_version_and_events_to_incidents()
    {
        var match = ApiFootball(m => m["fixture"]!["status"]!["extra"] = 3);

        Assert.Equal(("af-5001", "af-39", 62 * 60 + 180), (match.MatchId, match.CompetitionId, match.ClockSeconds));
        Assert.Equal(Received.ToUnixTimeMilliseconds(), match.Version);
        Assert.Equal([IncidentTypes.Goal, IncidentTypes.YellowCard, IncidentTypes.Substitution], match.Incidents.Select(i => i.Type));
    }

    [Fact]
    public void ApiFootball_vendor_errors_in_a_200_reject_the_payload()
    {
        var batch = Parse(new ApiFootballFormat(), """{ "get": "fixtures", "errors": { "requests": "You have reached the request limit for the day" }, "results": 0, "response": [] }""");

        Assert.Equal(RejectReasons.VendorError, batch.Broken!.Reason);
        Assert.Contains("request limit", batch.Broken.Detail);
        Assert.Empty(batch.Matches);
    }

    [Theory]
    [InlineData("score", """{ "fullTime": { "home": -1, "away": 0 } }""", RejectReasons.BadScore)]
    [InlineData("score", """{ "fullTime": { "home": 250, "away": 0 } }""", RejectReasons.BadScore)]
    [InlineData("score", """{ "fullTime": { "home": "2", "away": 0 } }""", RejectReasons.WrongType)]
    [InlineData("status", "\"HALFWAY\"", RejectReasons.UnknownStatus)]
    [InlineData("id", "\"../etc\"", RejectReasons.BadId)]
    [InlineData("id", "null", RejectReasons.MissingField)]
    [InlineData("utcDate", "\"yesterday\"", RejectReasons.BadTime)]
    [InlineData("homeTeam", "\"Arsenal\"", RejectReasons.WrongType)]
    [InlineData("minute", "\"soon\"", RejectReasons.WrongType)]
    public void A_bad_item_is_rejected_with_its_reason_and_the_others_still_apply(string field, string value, string reason)
    {
        var payload = Load("footballdata-matches.json");
        payload["matches"]![0]![field] = JsonNode.Parse(value);

        var batch = Parse(new FootballDataFormat(), payload.ToJsonString());

        Assert.Equal(reason, Assert.Single(batch.Rejects).Reason);
        Assert.Equal(["1002", "1003", "1004"], batch.Matches.Select(m => m.VendorId));
        Assert.Null(batch.Broken);
    }

    [Fact]
    public void A_bad_incident_drops_its_class_for_this_payload_but_not_the_match()
    {
        var match = FootballData(m => m["goals"]![0]!["team"]!["id"] = 999);

        Assert.Equal("cs", match.IncidentClasses);
        Assert.DoesNotContain(match.Incidents, i => i.Type == IncidentTypes.Goal);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Bad gateway</body></html>", RejectReasons.NotJson)]
    [InlineData("", RejectReasons.NotJson)]
    [InlineData("[1, 2]", RejectReasons.WrongShape)]
    [InlineData("""{ "matches": "none" }""", RejectReasons.WrongShape)]
    [InlineData("""{ "matches": [ { "id": 1, """, RejectReasons.MalformedJson)]
    public void Unreadable_payloads_are_rejected_whole(string body, string reason)
    {
        var batch = Parse(new FootballDataFormat(), body);

        Assert.Equal(reason, batch.Broken!.Reason);
        Assert.Empty(batch.Matches);
    }

    [Fact]
    public void A_truncated_payload_keeps_the_items_complete_before_the_cut()
    {
        var body = Load("footballdata-matches.json").ToJsonString();
        var cut = body[..body.IndexOf("\"id\":1003", StringComparison.Ordinal)];

        var batch = Parse(new FootballDataFormat(), cut);

        Assert.Equal(RejectReasons.MalformedJson, batch.Broken!.Reason);
        Assert.Equal(["1001", "1002"], batch.Matches.Select(m => m.VendorId));
    }
}
