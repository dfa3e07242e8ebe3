using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Redis;
using ScoreFeed.Scoring;

namespace ScoreFeed.UnitTests;

/// <summary>Pins, corrections and operator configuration, without Redis (the end-to-end tests cover the rest).</summary>
public sealed class OperatorTests
{
    private static readonly OperatorAction Fix = new("alice", AuditActions.Correction, "wrong score");

    private static StoredMatch Match(int home, IReadOnlyDictionary<string, Pin>? pins = null, params Incident[] incidents) => new(
        new MatchState
        {
            MatchId = "m1",
            CompetitionId = "c1",
            Home = new TeamScore { Score = home },
            Status = MatchStatus.Live,
            Period = 1,
            Seq = 7,
            Incidents = incidents,
        },
        pins ?? new Dictionary<string, Pin>(),
        PinsVersion: 3);

    private static KeyValuePair<string, JsonElement> Set(string field, int value) => new(field, JsonSerializer.SerializeToElement(value));

    [Fact]
    public void A_correction_pins_what_it_changes_and_remembers_what_the_feed_says()
    {
        var change = Pins.Correct(Match(home: 1), [Set(MatchFields.Home, 0), Set(MatchFields.Period, 1)], Fix, now: 1000)!;

        Assert.Equal(0, change.State.Home.Score);
        Assert.Equal(UpdateSources.Operator, change.Source);
        var pin = Assert.Single(change.Pins!);
        Assert.Equal(("home", 0, 1, "alice", 1000L), (pin.Key, pin.Value.Value.GetInt32(), pin.Value.Feed.GetInt32(), pin.Value.By, pin.Value.At));
        Assert.Equal(["home"], change.Audit!.Before.Keys); // the period did not change
        Assert.Null(Pins.Correct(Match(home: 1), [Set(MatchFields.Home, 1)], Fix, now: 1000));
    }

    [Fact]
    public void Correcting_a_field_back_to_what_the_feed_says_releases_its_pin()
    {
        var pinned = Pins.Correct(Match(home: 1), [Set(MatchFields.Home, 0)], Fix, now: 1000)!;
        var stored = Match(home: 0, pinned.Pins);

        var back = Pins.Correct(stored, [Set(MatchFields.Home, 1)], Fix, now: 2000)!;

        Assert.Empty(back.Pins!);
        Assert.Equal(["home"], back.Audit!.Released);
    }

    [Fact]
    public void The_feed_derives_from_its_own_values_and_cannot_change_a_pinned_field()
    {
        var pins = Pins.Correct(Match(home: 1), [Set(MatchFields.Home, 0)], Fix, now: 1000)!.Pins;
        var seen = -1;

        var change = Pins.ForFeed(Match(home: 0, pins), current =>
        {
            seen = current!.Home.Score;
            return new MatchChange { State = current with { Home = current.Home with { Score = 2 }, Period = 2 } };
        })!;

        Assert.Equal(1, seen);
        Assert.Equal((0, 2), (change.State.Home.Score, change.State.Period));
        Assert.Equal(2, change.Pins!["home"].Feed.GetInt32());
        Assert.Null(change.Audit);
    }

    [Fact]
    public void A_pin_clears_itself_when_the_feed_reports_its_value()
    {
        var pins = Pins.Correct(Match(home: 1), [Set(MatchFields.Home, 0)], Fix, now: 1000)!.Pins;

        var change = Pins.ForFeed(Match(home: 0, pins), current => new MatchChange { State = current! with { Home = current.Home with { Score = 0 } } })!;

        Assert.Empty(change.Pins!);
        Assert.Equal((Pins.Feed, AuditActions.PinCleared), (change.Audit!.Operator, change.Audit.Action));
        Assert.Equal(["home"], change.Audit.Released);
    }

    [Fact]
    public void Correcting_the_score_moves_the_line_score_and_the_feeds_line_score_follows_the_pin()
    {
        var stored = Match(home: 2);
        stored = stored with { State = stored.State with { Period = 2, Lines = FeedLineScoreTests.Lines((1, 0), (1, 0)) } };

        var corrected = Pins.Correct(stored, [Set(MatchFields.Home, 1)], Fix, now: 1000)!;
        LineScore? seen = null;
        var feed = Pins.ForFeed(stored with { State = corrected.State, Pins = corrected.Pins! }, current =>
        {
            seen = current!.Lines;
            // The feed scores again for home in the second half.
            return new MatchChange { State = current with { Home = current.Home with { Score = 3 }, Lines = LineScores.Add(current.Lines, current.Sport, 2, TeamSides.Home, 1) } };
        })!;

        Assert.Equal(FeedLineScoreTests.Lines((1, 0), (0, 0)), corrected.State.Lines);
        Assert.Equal(["home"], corrected.Audit!.Before.Keys); // the lines follow the score: no field of their own
        Assert.Equal(stored.State.Lines, seen); // the feed derives from its own line score
        Assert.Equal((1, 3), (feed.State.Home.Score, feed.Pins!["home"].Feed.GetInt32()));
        Assert.Equal(FeedLineScoreTests.Lines((1, 0), (0, 0)), feed.State.Lines);
    }

    [Fact]
    public void A_removed_incident_stays_removed_while_the_feed_still_sends_it()
    {
        var goal = new Incident { Id = "g1", Type = IncidentTypes.Goal, Period = 1, Seconds = 600, Team = TeamSides.Home };
        var removal = new KeyValuePair<string, JsonElement>(MatchFields.Incident("g1"), FieldValues.Absent);
        var corrected = Pins.Correct(Match(1, null, goal), [removal], Fix, now: 1000)!;

        var feed = Pins.ForFeed(Match(1, corrected.Pins), current => new MatchChange { State = current!, Incident = goal with { Player = "Amended" } })!;

        Assert.Equal(goal with { Removed = true }, corrected.Incident);
        Assert.Empty(corrected.State.Incidents!);
        Assert.Empty(feed.State.Incidents!);
        Assert.Null(feed.Incident);
    }

    [Fact]
    public void An_added_incident_takes_its_place_in_match_time()
    {
        var early = new Incident { Id = "a", Period = 1, Seconds = 100 };
        var late = new Incident { Id = "b", Period = 2, Seconds = 3000 };
        var added = new Incident { Id = "op-1", Period = 1, Seconds = 2000 };

        var state = FieldValues.Set(Match(0, null, early, late).State, MatchFields.Incident("op-1"), FieldValues.Of(added));

        Assert.Equal(["a", "op-1", "b"], state.Incidents!.Select(i => i.Id));
    }

    [Theory]
    [InlineData("Operators:SigningKey", "c2hvcnQ=", "Operators:SigningKey:")]
    [InlineData("Operators:Accounts:alice:PasswordHash", "plain-text-password", "Operators:Accounts:alice:PasswordHash:")]
    [InlineData("Operators:Authority", "not a url", "Operators:Authority:")]
    [InlineData("Operators:CorsOrigins:0", "http://127.0.0.1:5000/operator", "Operators:CorsOrigins:0:")]
    [InlineData("Operators:CorsOrigins:0", "null", "Operators:CorsOrigins:0:")]
    public void Bad_operator_configuration_fails_with_its_key(string key, string value, string expected)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build());
        services.AddValidatedOptions<OperatorOptions>(OperatorOptions.Section);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OperatorOptions>>().Value);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_hash_password_command_prints_a_hash_that_verifies_and_the_configuration_lines()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = HashPasswordCommand.TryRun(["hash-password", "alice", "viewer"], new StringReader("s3cret\n"), output, error);

        Assert.Equal(0, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([
            new("Operators:Accounts:alice:PasswordHash", lines[0]), new("Operators:Accounts:alice:Roles:0", "viewer")]).Build();
        var accounts = new OperatorAccounts(Options.Create(configuration.GetSection("Operators").Get<OperatorOptions>()!), configuration);
        var account = accounts.Verify("alice", "s3cret");
        Assert.Equal("alice", account?.Name);
        Assert.Equal(["viewer"], account?.Roles ?? []);
        Assert.Null(accounts.Verify("alice", "wrong"));
        Assert.Contains("Operators__Accounts__alice__PasswordHash=" + lines[0], lines);
        Assert.Contains("Operators__Accounts__alice__Roles__0=viewer", lines);
        Assert.Null(HashPasswordCommand.TryRun([], TextReader.Null, output, error));
        Assert.Equal(2, HashPasswordCommand.TryRun(["hash-password", "bad name"], TextReader.Null, output, error));
    }
}
