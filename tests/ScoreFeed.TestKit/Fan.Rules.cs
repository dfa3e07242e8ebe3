using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Testing;

/// <summary>What a fan holds for one match in one epoch: its position and every seq it applied, in order.</summary>
internal sealed class FanTrack(string epoch, long seq)
{
    public string Epoch { get; } = epoch;
    /// <summary>The position the fan first held in this epoch (a snapshot's seq, or the seq before its first update).</summary>
    public long First { get; } = seq;
    public long Seq { get; set; } = seq;
    public List<long> Applied { get; } = [];
    /// <summary>Seqs a snapshot jumped over in this epoch (a position that had left the history): not applied one by one.</summary>
    public long Skipped { get; set; }
}

/// <summary>
/// What a fan does with what it reads, as the contract's client rules say: hold updates while Subscribe runs; apply a
/// match's update only if its seq is the next; drop duplicates; on a gap subscribe again with positions; on a new
/// epoch re-snapshot. Every applied seq is kept, per match and epoch.
/// </summary>
internal sealed partial class Fan
{
    private readonly Dictionary<string, FanTrack> _tracks = new(StringComparer.Ordinal);
    private readonly List<FanTrack> _earlierEpochs = [];
    private readonly List<(string MatchId, string Epoch, long Seq)> _held = [];

    public long Gaps;
    public long Duplicates;
    public long Recovered;
    /// <summary>Updates applied as the hub pushed them (not recovered by Subscribe).</summary>
    public long Pushed;
    public long Resnapshots;

    public Dictionary<string, FanTrack> Tracks()
    {
        lock (_gate)
        {
            return new Dictionary<string, FanTrack>(_tracks, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// The fan's position in one match, or null while it holds none: before its first snapshot, and between seeing a new
    /// epoch (it lets the old one go) and the snapshot of the new one.
    /// </summary>
    public FanTrack? Track(string matchId)
    {
        lock (_gate)
        {
            return _tracks.GetValueOrDefault(matchId);
        }
    }

    public IReadOnlyList<FanTrack> EarlierEpochs()
    {
        lock (_gate)
        {
            return [.. _earlierEpochs];
        }
    }

    /// <summary>An update the hub pushed: held while Subscribe runs, applied otherwise. True when the fan must subscribe again.</summary>
    private bool OnUpdate(string matchId, string epoch, long seq)
    {
        lock (_gate)
        {
            if (_subscribeId is not null)
            {
                _held.Add((matchId, epoch, seq));
                return false;
            }
            return Apply(matchId, epoch, seq, pushed: true);
        }
    }

    /// <summary>Under <see cref="_gate"/>: the positions held now, for Subscribe.</summary>
    private Dictionary<string, StreamPosition> Positions() =>
        _tracks.ToDictionary(kv => kv.Key, kv => new StreamPosition { Epoch = kv.Value.Epoch, Seq = kv.Value.Seq }, StringComparer.Ordinal);

    /// <summary>Under <see cref="_gate"/>: the result, then what was held meanwhile. True when another Subscribe is needed.</summary>
    private bool Complete(SubscribeResult result)
    {
        var again = false;
        foreach (var state in result.Matches)
        {
            if (!_tracks.TryGetValue(state.MatchId, out var track))
            {
                _tracks[state.MatchId] = new FanTrack(state.Epoch, state.Seq);
            }
            else if (track.Epoch != state.Epoch)
            {
                _earlierEpochs.Add(track);
                _tracks[state.MatchId] = new FanTrack(state.Epoch, state.Seq);
                Resnapshots++;
            }
            else if (track.Seq < state.Seq)
            {
                track.Skipped += state.Seq - track.Seq;
                track.Seq = state.Seq;
            }
        }
        foreach (var update in result.Recovered)
        {
            Recovered++;
            again |= Apply(update.MatchId, update.Epoch, update.Seq, pushed: false);
        }
        foreach (var (matchId, epoch, seq) in _held)
        {
            again |= Apply(matchId, epoch, seq, pushed: true);
        }
        _held.Clear();
        return again;
    }

    /// <summary>Under <see cref="_gate"/>. True when the fan must subscribe again (a gap, or a new epoch).</summary>
    private bool Apply(string matchId, string epoch, long seq, bool pushed)
    {
        if (!_tracks.TryGetValue(matchId, out var track))
        {
            // A match the fan has not seen (it just went live): it starts here.
            track = _tracks[matchId] = new FanTrack(epoch, seq - 1);
        }
        if (track.Epoch != epoch)
        {
            // The match's history was lost: forget it and take its full state.
            _earlierEpochs.Add(track);
            _tracks.Remove(matchId);
            Resnapshots++;
            return true;
        }
        if (seq <= track.Seq)
        {
            Duplicates++;
            return false;
        }
        if (seq != track.Seq + 1)
        {
            Gaps++;
            return true;
        }
        track.Seq = seq;
        track.Applied.Add(seq);
        if (pushed)
        {
            Pushed++;
        }
        return false;
    }

    private static (string? Id, SubscribeResult? Result, string? Error) ParseCompletion(ReadOnlySpan<byte> record)
    {
        string? id = null, error = null;
        SubscribeResult? result = null;
        var reader = new Utf8JsonReader(record);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }
            if (reader.ValueTextEquals("invocationId"u8))
            {
                reader.Read();
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                error = reader.GetString();
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                reader.Read();
                result = JsonSerializer.Deserialize(ref reader, ScoreFeedJsonContext.Default.SubscribeResult);
            }
        }
        return (id, result, error);
    }
}
