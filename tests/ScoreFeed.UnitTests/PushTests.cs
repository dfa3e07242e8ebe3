using Microsoft.Extensions.Configuration;
using ScoreFeed.Contract;
using ScoreFeed.Deployment;
using ScoreFeed.Redis;
using ScoreFeed.Web.Localization;
using ScoreFeed.Web.Push;

namespace ScoreFeed.UnitTests;

/// <summary>The pure parts of goal alerts: which update makes which alert, what the subscription API accepts, keys.</summary>
public sealed class PushTests
{
    private static readonly MatchState State = new()
    {
        MatchId = "m1",
        CompetitionId = "c1",
        Home = new TeamScore { Id = "ars", Name = "Arsenal", Score = 1 },
        Away = new TeamScore { Id = "che", Name = "Chelsea", Score = 0 },
        Status = MatchStatus.Live,
    };

    private static MatchUpdate Update(Incident? incident = null, string status = MatchStatus.Live, long seq = 7) =>
        new() { MatchId = "m1", CompetitionId = "c1", Epoch = "e1", Seq = seq, Ts = 1000, State = State with { Status = status }, Incident = incident };

    private static readonly string[] InPlay = ["live", "competition:c1", "match:m1"];

    [Theory]
    [InlineData(IncidentTypes.Goal, false, "goal")]
    [InlineData(IncidentTypes.PenaltyGoal, false, "goal")]
    [InlineData(IncidentTypes.OwnGoal, false, "goal")]
    [InlineData(IncidentTypes.RedCard, false, "red-card")]
    [InlineData(IncidentTypes.Goal, true, "goal-disallowed")]
    [InlineData(IncidentTypes.RedCard, true, null)]
    [InlineData(IncidentTypes.YellowCard, false, null)]
    [InlineData(IncidentTypes.Substitution, false, null)]
    public void An_incident_makes_its_alert(string type, bool removed, string? kind)
    {
        var alerts = AlertDecision.Decide(Update(new Incident { Id = "i1", Type = type, Team = TeamSides.Home, Player = "Saka", Seconds = 600, Removed = removed ? true : null }), InPlay);
        Assert.Equal(kind is null ? [] : [kind], alerts.Select(a => a.Kind));
        if (kind is not null)
        {
            var alert = alerts[0];
            Assert.Equal("i1", alert.EventId);
            Assert.Equal(["ars", "che"], alert.TeamIds);
            Assert.Equal("/matches/m1", alert.Payload.Url);
            Assert.Equal(("e1", 7L), (alert.Payload.Epoch, alert.Payload.Seq));
            Assert.Equal(1000, alert.CommittedAtMs);
        }
    }

    [Fact]
    public void A_goal_reads_like_a_score_line_and_its_disallowing_replaces_its_notification()
    {
        var goal = Assert.Single(AlertDecision.Decide(Update(new Incident { Id = "g1", Type = IncidentTypes.Goal, Team = TeamSides.Home, Player = "Saka", Seconds = 600 }), InPlay));
        var disallowed = Assert.Single(AlertDecision.Decide(Update(new Incident { Id = "g1", Type = IncidentTypes.Goal, Team = TeamSides.Home, Removed = true }), InPlay));
        Assert.Equal("Goal! Arsenal 1–0 Chelsea", goal.Payload.Title);
        Assert.Equal("Saka 11'", goal.Payload.Body);
        Assert.True(goal.Urgent);
        Assert.Equal(goal.Payload.Tag, disallowed.Payload.Tag);
        Assert.Equal("Goal disallowed — Arsenal", disallowed.Payload.Title);
    }

    [Fact]
    public void Each_fan_reads_the_alert_in_the_language_they_subscribed_in()
    {
        var ownGoal = Assert.Single(AlertDecision.Decide(Update(new Incident { Id = "g1", Type = IncidentTypes.OwnGoal, Team = TeamSides.Home, Player = "Saka", Seconds = 600 }), InPlay));
        var card = Assert.Single(AlertDecision.Decide(Update(new Incident { Id = "r1", Type = IncidentTypes.RedCard, Team = TeamSides.Away, Player = "James", Seconds = 600 }), InPlay));
        Assert.Equal(("¡Gol! Arsenal 1–0 Chelsea", "Saka (en propia puerta) 11'"), (ownGoal.In("es").Title, ownGoal.In("es").Body));
        Assert.Equal("Tor! Arsenal 1–0 Chelsea", ownGoal.In("de").Title);
        Assert.Equal("بطاقة حمراء — Chelsea", card.In("ar").Title);
        Assert.Equal("Carton rouge — Chelsea", card.In("fr").Title);
        Assert.Equal("Red card — Chelsea", card.In("ja").Title);
        // Only the words differ: the same notification, position and link in every language.
        Assert.All(Text.Languages, l => Assert.Equal((card.Payload.Tag, card.Payload.Seq, card.Payload.Url), (card.In(l).Tag, card.In(l).Seq, card.In(l).Url)));
        Assert.Equal(["es", "ar", "en", "en", "en"], new[] { "es-MX", "AR", "ja", "", null }.Select(PushValidation.Language));
    }

    [Fact]
    public void Full_time_is_the_status_turning_final_while_the_match_was_in_play()
    {
        Assert.Equal(["full-time"], AlertDecision.Decide(Update(status: MatchStatus.Final), InPlay).Select(a => a.Kind));
        Assert.Equal(AlertDecision.StatusEvent, AlertDecision.Decide(Update(status: MatchStatus.Final), InPlay)[0].EventId);
        // Not in "live": it was final already (an operator's later correction of a finished match).
        Assert.Empty(AlertDecision.Decide(Update(status: MatchStatus.Final), ["competition:c1", "match:m1"]));
        Assert.Empty(AlertDecision.Decide(Update(status: MatchStatus.Live), InPlay));
    }

    /// <summary>A tennis match, 2–1 in sets, as the update that ends it carries it.</summary>
    private static MatchUpdate TennisEnd(string status = MatchStatus.Final, string? retired = null, Incident? incident = null) => Update(incident, status) with
    {
        State = State with
        {
            Sport = Sports.Tennis,
            Status = status,
            Home = new TeamScore { Id = "kow", Name = "Lena Kowalczyk", Score = 1 },
            Away = new TeamScore { Id = "fer", Name = "Ana Ferreira", Score = 2 },
            Tennis = new TennisScore
            {
                Sets = [new SetScore { Home = 6, Away = 4 }, new SetScore { Home = 3, Away = 6 }, new SetScore { Home = 6, Away = 7, TieBreak = new ScorePair(5, 7) }],
                Retired = retired,
            },
        },
    };

    [Fact]
    public void A_tennis_match_ends_with_who_won_by_how_many_sets_never_full_time()
    {
        var won = Assert.Single(AlertDecision.Decide(TennisEnd(), InPlay));

        Assert.Equal((AlertDecision.MatchWon, AlertDecision.StatusEvent), (won.Kind, won.EventId));
        Assert.Equal(("Ana Ferreira wins 2–1", "Lena Kowalczyk 1–2 Ana Ferreira · 6–4 3–6 6–7"), (won.Payload.Title, won.Payload.Body));
        Assert.Equal("Ana Ferreira gana por 2–1", won.In("es").Title);
        Assert.Equal("Ana Ferreira gewinnt 2–1", won.In("de").Title);
        Assert.All(Text.Languages, l => Assert.DoesNotContain(Text.Format(l, "alert.final"), won.In(l).Title, StringComparison.Ordinal));
        // A retirement: the other player wins, whatever the sets say.
        Assert.Equal("Lena Kowalczyk wins, Ana Ferreira retired", Assert.Single(AlertDecision.Decide(TennisEnd(retired: TeamSides.Away), InPlay)).Payload.Title);
        Assert.Empty(AlertDecision.Decide(TennisEnd(), ["competition:c1", "match:m1"]));
    }

    [Fact]
    public void A_tennis_point_game_or_set_makes_no_alert_even_with_an_incident_that_looks_like_a_goal()
    {
        var setWon = new Incident { Id = "s2", Type = IncidentTypes.PeriodEnd, Period = 2, Team = TeamSides.Away };
        var goalLike = new Incident { Id = "op-1", Type = IncidentTypes.Goal, Team = TeamSides.Home };

        Assert.Empty(AlertDecision.Decide(TennisEnd(MatchStatus.Live, incident: setWon), InPlay));
        Assert.Empty(AlertDecision.Decide(TennisEnd(MatchStatus.Live, incident: goalLike), InPlay));
    }

    [Fact]
    public void Dedupe_keys_name_the_match_the_kind_and_the_event()
    {
        var keys = new RedisKeys("sf");
        Assert.Equal("sf:push:sent:m1:goal:g1", (string)keys.PushSent("m1", "goal", "g1")!);
        Assert.Equal("sf:push:sent:m1:full-time:status", (string)keys.PushSent("m1", AlertDecision.FullTime, AlertDecision.StatusEvent)!);
        Assert.Equal("sf:push:team:ars", (string)keys.PushTeam("ars")!);
        Assert.Equal("sf:push:match:m1", (string)keys.PushMatch("m1")!);
    }

    [Theory]
    [InlineData("https://fcm.googleapis.com/fcm/send/abc", false, null)]
    [InlineData("http://127.0.0.1:5000/push/x", false, "must be an https URL (a push service's endpoint)")]
    [InlineData("http://127.0.0.1:5000/push/x", true, null)]
    [InlineData("javascript:alert(1)", true, "must be an http(s) URL")]
    [InlineData("push/x", false, "must be an absolute URL")]
    [InlineData("", false, "is required")]
    public void Endpoints_are_https_unless_tests_allow_http(string endpoint, bool allowHttp, string? error) =>
        Assert.Equal(error, PushValidation.ValidateEndpoint(endpoint, allowHttp));

    [Fact]
    public void The_follow_list_takes_team_and_match_entries_up_to_fifty()
    {
        var (teams, matches, _, error) = PushValidation.ParseFollow(["t:ars", "m:m1", "t:ars", "t:che"]);
        Assert.Null(error);
        Assert.Equal(["ars", "che"], teams);
        Assert.Equal(["m1"], matches);
        Assert.Equal("follow[1]", PushValidation.ParseFollow(["t:ars", "x:1"]).Field);
        Assert.Equal("follow", PushValidation.ParseFollow([.. Enumerable.Range(0, 51).Select(i => $"t:t{i}")]).Field);
        Assert.Equal("follow", PushValidation.ParseFollow([]).Field);
    }

    [Fact]
    public void Generated_vapid_keys_are_a_matching_P256_pair_and_a_wrong_pair_is_refused()
    {
        var (publicKey, privateKey) = VapidKeys.Generate();
        var (otherPublic, _) = VapidKeys.Generate();
        Assert.True(VapidKeys.IsPublicKey(publicKey));
        Assert.True(VapidKeys.IsPrivateKey(privateKey));
        Assert.True(VapidKeys.PairMatches(publicKey, privateKey));
        Assert.False(VapidKeys.PairMatches(otherPublic, privateKey));
        Assert.False(VapidKeys.IsPublicKey("BAAA"));
        Assert.True(VapidKeys.IsSubject("mailto:ops@scores.example"));
        Assert.False(VapidKeys.IsSubject("http://scores.example"));
    }

    [Fact]
    public void Production_with_push_on_requires_the_vapid_keys_and_redis_credentials()
    {
        static IReadOnlyList<string> Check(params (string, string)[] values) =>
            ProductionRules.Check(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Web:PublicBaseUrl"] = "https://scores.example",
                ["Web:HubBaseUrl"] = "https://scores.example",
                ["Web:IngestBaseUrl"] = "https://scores.example",
            }.Concat(values.Select(v => new KeyValuePair<string, string?>(v.Item1, v.Item2)))).Build(), ProductionRequirements.Web, allowLoopback: false);

        Assert.Empty(Check());
        var errors = Check(("Push:Enabled", "true"), ("ConnectionStrings:redis", "redis:6379,user=web"));
        Assert.Contains(errors, e => e.StartsWith("Push:PublicKey is missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Push:PrivateKey is missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Push:Subject is missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ConnectionStrings:redis", StringComparison.Ordinal) && e.Contains("no password", StringComparison.Ordinal));
        Assert.Empty(Check(("Push:Enabled", "true"), ("ConnectionStrings:redis", "redis:6379,user=web"), ("Redis:Password", "secret"),
            ("Push:PublicKey", "k"), ("Push:PrivateKey", "k"), ("Push:Subject", "mailto:ops@scores.example")));
    }
}
