using Xunit;

namespace ScoreFeed.Testing;

/// <summary>What the fans applied, checked against what Redis holds at the end.</summary>
internal sealed record FanReport(int Fans, long Expected, long Applied, long Lost, long AppliedTwice, long OutOfOrder, long DuplicatesDropped,
    long Gaps, long Recovered, long Resnapshots, long Reconnects, List<string> Problems)
{
    /// <summary>
    /// For every fan and every match it follows: its position is the final one; in the final epoch it applied every seq
    /// after its first position exactly once, in order (and in earlier epochs, if the history was lost, a contiguous run).
    /// </summary>
    /// <param name="moving">
    /// The feed still plays (a rehearsal cannot stop its simulator): <paramref name="final"/> is a position read at the
    /// end, which a fan may have passed since. A fan ahead of it in the same epoch is checked up to its own seq.
    /// </param>
    public static FanReport Check(IReadOnlyList<Fan> fans, Func<Fan, IEnumerable<string>> follows, IReadOnlyDictionary<string, (string Epoch, long Seq)> final,
        bool moving = false)
    {
        var problems = new List<string>();
        long expected = 0, applied = 0, lost = 0, twice = 0, disorder = 0;
        foreach (var fan in fans)
        {
            var tracks = fan.Tracks();
            foreach (var matchId in follows(fan))
            {
                var (epoch, seq) = final[matchId];
                if (moving && tracks.TryGetValue(matchId, out var ahead) && ahead.Epoch == epoch)
                {
                    seq = Math.Max(seq, ahead.Seq);
                }
                if (!tracks.TryGetValue(matchId, out var track) || track.Epoch != epoch)
                {
                    lost += seq;
                    Note(problems, $"fan {fan.Index} ({string.Join(',', fan.Topics)}): {matchId} not held in epoch {epoch}");
                    continue;
                }
                expected += seq - track.First;
                applied += track.Applied.Count;
                lost += Math.Max(0, seq - track.Seq) + track.Skipped;
                twice += track.Applied.Count - track.Applied.Distinct().Count();
                for (var i = 0; i < track.Applied.Count; i++)
                {
                    if (track.Applied[i] != track.First + 1 + i)
                    {
                        disorder++;
                    }
                }
                if (track.Seq != seq || track.Skipped != 0)
                {
                    Note(problems, $"fan {fan.Index}: {matchId} at {track.Seq}/{seq}, {track.Skipped} skipped by a snapshot");
                }
            }
            foreach (var earlier in fan.EarlierEpochs())
            {
                twice += earlier.Applied.Count - earlier.Applied.Distinct().Count();
                disorder += earlier.Applied.Where((s, i) => s != earlier.First + 1 + i).Count();
            }
        }
        return new FanReport(fans.Count, expected, applied, lost, twice, disorder,
            fans.Sum(f => f.Duplicates), fans.Sum(f => f.Gaps), fans.Sum(f => f.Recovered), fans.Sum(f => f.Resnapshots),
            fans.Sum(f => f.Disconnects), problems);
    }

    private static void Note(List<string> problems, string problem)
    {
        if (problems.Count < 20)
        {
            problems.Add(problem);
        }
    }

    public override string ToString() =>
        $"{Fans} fans: {Applied} updates applied of {Expected} due, {Lost} lost, {AppliedTwice} applied twice, {OutOfOrder} out of order; " +
        $"{DuplicatesDropped} duplicates dropped, {Gaps} gaps recovered ({Recovered} updates replayed), {Resnapshots} re-snapshots, {Reconnects} reconnects" +
        (Problems.Count > 0 ? "\n  " + string.Join("\n  ", Problems) : "");

    public void AssertNothingLost()
    {
        Assert.True(Problems.Count == 0, ToString());
        Assert.Equal(0, Lost);
        Assert.Equal(0, AppliedTwice);
        Assert.Equal(0, OutOfOrder);
        Assert.Equal(Expected, Applied);
    }
}
