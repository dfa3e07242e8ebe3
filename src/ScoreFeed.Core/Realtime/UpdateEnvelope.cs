using System.Text;
using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Realtime;

/// <summary>
/// What ingest publishes on <see cref="Redis.RedisKeys.UpdatesChannel"/> once per committed update, and every hub reads:
/// the topics the update goes to (space-separated), a newline, then the update's JSON (the contract's <c>MatchUpdate</c>).
/// </summary>
public static class UpdateEnvelope
{
    private const byte Separator = (byte)'\n';

    public static byte[] Format(MatchUpdate update, IReadOnlyCollection<string> topics)
    {
        var head = Encoding.UTF8.GetBytes(string.Join(' ', topics));
        var body = JsonSerializer.SerializeToUtf8Bytes(update, ScoreFeedJsonContext.Default.MatchUpdate);
        var message = new byte[head.Length + 1 + body.Length];
        head.CopyTo(message, 0);
        message[head.Length] = Separator;
        body.CopyTo(message, head.Length + 1);
        return message;
    }

    public static bool TryParse(ReadOnlySpan<byte> message, out MatchUpdate update, out string[] topics, out string error)
    {
        (update, topics, error) = (null!, [], "");
        var newline = message.IndexOf(Separator);
        if (newline <= 0)
        {
            error = "no topic line";
            return false;
        }
        topics = Encoding.UTF8.GetString(message[..newline]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            update = JsonSerializer.Deserialize(message[(newline + 1)..], ScoreFeedJsonContext.Default.MatchUpdate)!;
        }
        catch (JsonException e)
        {
            error = $"update is not valid JSON: {e.Message}";
            return false;
        }
        if (update is null || !StandingsDocument.IsValidStreamId(update.MatchId) || update.Seq < 1 || string.IsNullOrEmpty(update.Epoch) || update.State is null)
        {
            error = "update lacks matchId, epoch, seq or state";
            return false;
        }
        return true;
    }

    /// <summary>
    /// The topics an update goes to: <c>match:{id}</c>, <c>competition:{id}</c> and, while the match is or just was in
    /// play (so that "live" subscribers see the final whistle), <c>live</c>.
    /// </summary>
    public static string[] TopicsFor(MatchUpdate update, string previousStatus) => TopicsOf(update.State, previousStatus);

    /// <summary>
    /// The topics of a match in <paramref name="state"/>, as <see cref="TopicsFor"/>; a standings document's one topic is
    /// <c>standings:{competitionId}</c>.
    /// </summary>
    public static string[] TopicsOf(MatchState state, string previousStatus)
    {
        if (StandingsDocument.IsDocument(state.MatchId))
        {
            // A competition's standings document goes to its one topic, whose name is the document's id.
            return [state.MatchId];
        }
        var match = Topic.ForMatch(state.MatchId).Name;
        var competition = Topic.ForCompetition(state.CompetitionId).Name;
        return MatchStatus.IsInPlay(state.Status) || MatchStatus.IsInPlay(previousStatus)
            ? [Topic.LiveName, competition, match]
            : [competition, match];
    }
}
