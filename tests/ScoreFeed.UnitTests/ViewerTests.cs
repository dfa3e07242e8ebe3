using ScoreFeed.Contract;
using ScoreFeed.Web.Pages;

namespace ScoreFeed.UnitTests;

/// <summary>
/// The first paint in the viewer's zone and with what they follow, from their cookies (ClientApp/test/zone.test.ts has
/// the same time cases for the scripts).
/// </summary>
public sealed class ViewerTests
{
    private static long Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static readonly TimeZoneInfo Kolkata = Viewer.FindZone("Asia/Kolkata")!;

    [Fact]
    public void Zone_labels_are_UTC_itself_or_the_offset_from_Greenwich()
    {
        Assert.Equal("UTC", MatchView.ZoneLabel(TimeZoneInfo.Utc, TimeSpan.Zero));
        Assert.Equal("GMT", MatchView.ZoneLabel(Viewer.FindZone("Europe/London")!, TimeSpan.Zero));
        Assert.Equal("GMT+1", MatchView.ZoneLabel(Viewer.FindZone("Europe/Madrid")!, TimeSpan.FromHours(1)));
        Assert.Equal("GMT+5:30", MatchView.ZoneLabel(Kolkata, TimeSpan.FromMinutes(330)));
        Assert.Equal("GMT+5:45", MatchView.ZoneLabel(Viewer.FindZone("Asia/Kathmandu")!, TimeSpan.FromMinutes(345)));
        Assert.Equal("GMT-3", MatchView.ZoneLabel(Viewer.FindZone("America/Sao_Paulo")!, TimeSpan.FromHours(-3)));
        Assert.Equal("GMT-3:30", MatchView.ZoneLabel(Viewer.FindZone("America/St_Johns")!, TimeSpan.FromMinutes(-210)));
    }

    [Fact]
    public void Kick_off_times_are_the_viewers_with_the_zone_and_the_day_when_not_today()
    {
        var now = Utc("2026-12-03T10:00:00Z");
        Assert.Equal("20:30 GMT+5:30", MatchView.Kickoff(Utc("2026-12-03T15:00:00Z"), now, Kolkata));
        Assert.Equal("Fri 00:30 GMT+5:30", MatchView.Kickoff(Utc("2026-12-03T19:00:00Z"), now, Kolkata));
        Assert.Equal("19:00 UTC", MatchView.Kickoff(Utc("2026-12-03T19:00:00Z"), now, TimeZoneInfo.Utc));
        Assert.Equal("Asia/Kolkata (GMT+5:30)", MatchView.ZoneName(Kolkata, now));
        Assert.Equal("UTC", MatchView.ZoneName(TimeZoneInfo.Utc, now));
    }

    [Fact]
    public void Today_is_the_viewers_calendar_day_and_a_match_in_play_is_always_today()
    {
        var now = Utc("2026-12-03T10:00:00Z");
        MatchState M(string status, string startsAt) => new() { Status = status, StartsAt = Utc(startsAt) };
        Assert.True(MatchView.IsToday(M(MatchStatus.Scheduled, "2026-12-03T18:00:00Z"), now, Kolkata));
        Assert.False(MatchView.IsToday(M(MatchStatus.Scheduled, "2026-12-03T18:45:00Z"), now, Kolkata));
        Assert.True(MatchView.IsToday(M(MatchStatus.Final, "2026-12-02T18:45:00Z"), now, Kolkata));
        Assert.False(MatchView.IsToday(M(MatchStatus.Final, "2026-12-02T18:00:00Z"), now, Kolkata));
        Assert.True(MatchView.IsToday(M(MatchStatus.Live, "2026-12-01T18:00:00Z"), now, Kolkata));
        // Without a zone: UTC's day.
        Assert.True(MatchView.IsToday(M(MatchStatus.Scheduled, "2026-12-03T18:45:00Z"), now));
    }

    [Theory]
    [InlineData("Europe/Madrid", true)]
    [InlineData("America/Argentina/Buenos_Aires", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("Europe/Madrid; path=/", false)]
    [InlineData("", false)]
    public void Only_a_known_zone_id_is_taken_from_the_cookie(string id, bool known) =>
        Assert.Equal(known, Viewer.FindZone(id) is not null);

    [Fact]
    public void The_follow_cookie_gives_teams_and_matches_and_ignores_the_rest()
    {
        var following = Following.Parse("m:final-1.t:harbour.x:nope.t:bad id.m:.t:" + new string('a', 65) + ".m:semi-2");

        Assert.True(following.FollowsMatch("final-1"));
        Assert.True(following.FollowsMatch("semi-2"));
        Assert.True(following.FollowsTeam("harbour"));
        Assert.False(following.FollowsTeam("nope"));
        Assert.False(following.FollowsTeam("bad id"));
        Assert.True(following.Follows(new MatchState { MatchId = "other", Home = new TeamScore { Id = "x" }, Away = new TeamScore { Id = "harbour" } }));
        Assert.False(following.Follows(new MatchState { MatchId = "other", Home = new TeamScore { Id = "x" }, Away = new TeamScore { Id = "y" } }));
        Assert.True(Following.Parse(null).IsEmpty);
    }

    [Fact]
    public void The_follow_cookie_is_read_up_to_its_limit()
    {
        var cookie = string.Join('.', Enumerable.Range(0, Following.Max + 10).Select(i => $"m:m{i}"));
        var following = Following.Parse(cookie);

        Assert.True(following.FollowsMatch($"m{Following.Max - 1}"));
        Assert.False(following.FollowsMatch($"m{Following.Max}"));
    }
}
