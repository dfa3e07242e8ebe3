using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// A football line score (<see cref="LineScore"/>) from what vendors report: the half-time score, the goals of extra
/// time, the shoot-out, and the running score. The second half is what the running score holds beyond the first half
/// and extra time, so it is known from half-time on; before, the first half is the running score.
/// </summary>
internal static class FeedLines
{
    /// <summary>A <c>{ "home": n, "away": n }</c> object of the vendor's, or null while either side is null (not known yet).</summary>
    public static ScorePair? Pair(JsonElement? score, string name) =>
        score?.OptionalObject(name) is { } pair && pair.OptionalInteger("home") is { } home && pair.OptionalInteger("away") is { } away
            ? new ScorePair(FeedText.Score(home, $"{name}.home"), FeedText.Score(away, $"{name}.away"))
            : null;

    /// <summary>
    /// The line score of a match in <paramref name="status"/> and <paramref name="period"/> whose score without the
    /// shoot-out is <paramref name="goals"/>; null when the vendor's parts say nothing, or disagree with its score.
    /// </summary>
    public static LineScore? Football(string status, int? period, ScorePair goals, ScorePair? halfTime, ScorePair? extraTime, ScorePair? penalties)
    {
        if (status is MatchStatus.Scheduled or MatchStatus.Postponed or MatchStatus.Cancelled)
        {
            return null;
        }
        if (halfTime is null)
        {
            // In the first half every goal is a first-half goal; later, without the half-time score, halves are unknown.
            return period == 1 && MatchStatus.IsInPlay(status) ? new LineScore { Periods = [goals] }
                : extraTime is null && penalties is null ? null
                : new LineScore { ExtraTime = extraTime, Penalties = penalties };
        }
        var second = new ScorePair(goals.Home - halfTime.Home - (extraTime?.Home ?? 0), goals.Away - halfTime.Away - (extraTime?.Away ?? 0));
        if (second.Home < 0 || second.Away < 0)
        {
            return null;
        }
        return new LineScore
        {
            Periods = period is 1 && status != MatchStatus.Final ? [halfTime] : [halfTime, second],
            ExtraTime = extraTime,
            Penalties = penalties,
        };
    }
}
