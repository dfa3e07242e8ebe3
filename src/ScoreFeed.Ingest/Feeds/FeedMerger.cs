using ScoreFeed.Contract;
using ScoreFeed.Redis;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>One change derived from a vendor's view of a match; <see cref="More"/> when further incidents wait for their own change.</summary>
internal sealed record FeedStep(MatchChange Change, bool More);

/// <summary>
/// Turns a vendor's view of a match into the match's next state, derived from the current one so the store's
/// compare-and-set can order it against every other writer. It is a pure function of its inputs: a payload that
/// says nothing new derives exactly the stored state, which the store then reports unchanged (nothing published).
/// <list type="bullet">
/// <item>Incidents: the vendor is the truth for the classes it reports (goals, cards, substitutions); other incidents,
/// e.g. an operator's, stay. Each new or amended incident gets a change of its own, because an update carries one
/// incident: a poll that finds a goal and a card publishes two updates.</item>
/// <item>Versions: the vendor's version V (ms) becomes <c>V × 64 + n</c>, n the number of the payload's incidents the
/// state holds after the change, so the store drops a repeated or older payload, yet takes the remaining steps of a
/// payload another process applied only in part.</item>
/// <item>Clock: derived from the vendor's minute, but the running clock is kept while it agrees with that minute, so
/// re-polls do not move it and publish nothing.</item>
/// </list>
/// </summary>
internal static class FeedMerger
{
    public const int VersionSteps = 64;

    /// <summary>How far (s) a running clock may be from the vendor's minute before it is set again.</summary>
    private const int ClockSlack = 30;

    public static FeedStep Next(MatchState? current, FeedMatch feed, string providerKey, long nowMs)
    {
        var kept = (current?.Incidents ?? []).Where(i => FeedIncidents.ClassOf(i.Id) is not { } c || !feed.IncidentClasses.Contains(c)).ToList();
        var held = current?.Incidents?.ToHashSet() ?? [];
        var pending = feed.Incidents.Where(i => !held.Contains(i)).ToList();
        var stepwise = current is not null && pending.Count > 1 && feed.Incidents.Count < VersionSteps - 1;
        var added = stepwise ? pending[0] : pending.Count == 1 && current is not null ? pending[0] : null;
        var taken = stepwise ? feed.Incidents.Where(i => held.Contains(i) || ReferenceEquals(i, added)).ToList() : feed.Incidents;

        var period = feed.Status == MatchStatus.Scheduled ? 0 : feed.Period ?? Math.Max(current?.Period ?? 1, 1);
        var identity = feed.Joined && current is not null ? current : null;
        var state = new MatchState
        {
            MatchId = feed.MatchId,
            CompetitionId = identity?.CompetitionId ?? feed.CompetitionId,
            Sport = Sports.Football,
            Home = identity is null ? feed.Home : identity.Home with { Score = feed.Home.Score },
            Away = identity is null ? feed.Away : identity.Away with { Score = feed.Away.Score },
            Status = feed.Status,
            Period = period,
            Clock = Clock(current, feed, period, nowMs),
            StartsAt = identity?.StartsAt ?? feed.StartsAt,
            Lines = feed.Lines,
            // Stable order (by match time, then as given), so the same inputs always give the same stored body.
            Incidents = [.. kept.Concat(taken).OrderBy(i => i.Period).ThenBy(i => i.Seconds)],
        };
        var change = new MatchChange
        {
            State = state,
            Incident = added,
            Source = UpdateSources.Feed,
            ProviderKey = providerKey,
            ProviderVersion = feed.Version * VersionSteps + Math.Min(taken.Count, VersionSteps - 1),
        };
        return new FeedStep(change, stepwise);
    }

    private static MatchClock Clock(MatchState? current, FeedMatch feed, int period, long nowMs)
    {
        var clock = current?.Clock;
        // What the current clock shows now, if it runs in this period.
        int? shown = clock is { Running: true } && current!.Period == period
            ? clock.Seconds + (int)Math.Max(0, (nowMs - clock.At) / 1000)
            : null;
        switch (feed.Status)
        {
            case MatchStatus.Scheduled or MatchStatus.Postponed or MatchStatus.Cancelled:
                return new MatchClock();
            case MatchStatus.Live when period is >= 1 and <= 4:
                var target = feed.ClockSeconds ?? shown ?? Estimate(period, feed.StartsAt, nowMs);
                return shown is { } s && s >= target - ClockSlack && s < target + 60 + ClockSlack
                    ? clock!
                    : new MatchClock { Running = true, Seconds = target, At = nowMs };
            default:
                // Half-time, breaks, penalties, the end: the clock stands.
                var stop = feed.ClockSeconds ?? shown ?? clock?.Seconds ?? FootballTime.PeriodEnd(period);
                return clock is { Running: false } && clock.Seconds == stop
                    ? clock
                    : new MatchClock { Running = false, Seconds = stop, At = nowMs };
        }
    }

    /// <summary>The clock from the kick-off time, for vendors that give no minute (half-time counted as 15 minutes).</summary>
    private static int Estimate(int period, long startsAt, long nowMs)
    {
        var sinceKickOff = (int)Math.Clamp((nowMs - startsAt) / 1000, 0, 4 * 3600);
        return period switch
        {
            1 => Math.Min(sinceKickOff, FootballTime.Half + 5 * 60),
            2 => Math.Clamp(sinceKickOff - 15 * 60, FootballTime.Half, 2 * FootballTime.Half + 10 * 60),
            _ => FootballTime.PeriodStart(period),
        };
    }
}
