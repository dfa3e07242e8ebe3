using System.Text.RegularExpressions;
using ScoreFeed.Contract;

namespace ScoreFeed.Web.Pages;

/// <summary>
/// What a fan's browser said on an earlier visit, in cookies the page script sets (ClientApp/src/ui/follow.ts and
/// ClientApp/src/ui/zone.ts): the time zone to show times in (<c>sf-tz</c>), the teams and matches the fan follows
/// (<c>sf-follow</c>) and whether the scoreboard shows only those (<c>sf-filter</c>). With them the server paints
/// what the script would, so the first paint has no wrong time and no card that moves. Without them: UTC, following
/// nothing.
/// </summary>
internal sealed partial record Viewer(TimeZoneInfo Zone, bool ZoneKnown, Following Following, bool FollowingOnly)
{
    public const string ZoneCookie = "sf-tz";
    public const string FollowCookie = "sf-follow";
    public const string FilterCookie = "sf-filter";

    public static Viewer Anonymous { get; } = new(TimeZoneInfo.Utc, false, Following.None, false);

    public static Viewer From(HttpRequest request)
    {
        var zone = FindZone(request.Cookies[ZoneCookie]);
        return new Viewer(zone ?? TimeZoneInfo.Utc, zone is not null, Following.Parse(request.Cookies[FollowCookie]),
            request.Cookies[FilterCookie] == "following");
    }

    /// <summary>An IANA zone id the server knows (e.g. <c>Europe/Madrid</c>), else null.</summary>
    public static TimeZoneInfo? FindZone(string? id) =>
        id is not null && ZoneId().IsMatch(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$")]
    private static partial Regex ZoneId();
}

/// <summary>
/// The teams (<c>t:{id}</c>) and matches (<c>m:{id}</c>) a fan follows, as the <c>sf-follow</c> cookie holds them:
/// entries joined by <c>.</c>, at most <see cref="Max"/>; anything else in the cookie is ignored.
/// </summary>
internal sealed class Following
{
    public const int Max = 50;

    public static Following None { get; } = new([], []);

    private readonly HashSet<string> _matches;
    private readonly HashSet<string> _teams;

    private Following(HashSet<string> matches, HashSet<string> teams) => (_matches, _teams) = (matches, teams);

    public bool IsEmpty => _matches.Count == 0 && _teams.Count == 0;

    public bool FollowsMatch(string matchId) => _matches.Contains(matchId);

    public bool FollowsTeam(string teamId) => _teams.Contains(teamId);

    /// <summary>The match is followed, or one of its teams is.</summary>
    public bool Follows(MatchState match) => FollowsMatch(match.MatchId) || FollowsTeam(match.Home.Id) || FollowsTeam(match.Away.Id);

    public static Following Parse(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return None;
        }
        var (matches, teams) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        foreach (var entry in cookie.Split('.', Max + 1).Take(Max))
        {
            var id = entry.Length > 2 ? entry[2..] : "";
            if (!Ids.IsValid(id))
            {
                continue;
            }
            if (entry.StartsWith("m:", StringComparison.Ordinal))
            {
                matches.Add(id);
            }
            else if (entry.StartsWith("t:", StringComparison.Ordinal))
            {
                teams.Add(id);
            }
        }
        return new Following(matches, teams);
    }
}
