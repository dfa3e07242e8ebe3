using System.Globalization;
using System.Text;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// Incidents taken from vendors. Their ids say what happened, not which vendor said it —
/// <c>feed-{class}-{side}-{minute}-{stoppage}-{n}</c> — so a re-poll, or the other vendor of the same match after a
/// failover, names the same goal the same way and replaces it instead of adding it twice; a corrected player name
/// keeps the id and amends the incident.
/// </summary>
internal static class FeedIncidents
{
    public const char Goals = 'g';
    public const char Cards = 'c';
    public const char Substitutions = 's';

    private const string Prefix = "feed-";

    /// <summary>The class of a feed incident id, or null for any other incident (operator's, simulator's).</summary>
    public static char? ClassOf(string id) => id.Length > Prefix.Length && id.StartsWith(Prefix, StringComparison.Ordinal) ? id[Prefix.Length] : null;

    /// <summary>
    /// Builds one vendor match's incident list, numbering incidents that share class, side and minute. A class the
    /// vendor reports is authoritative (incidents of it that the vendor no longer lists are removed); a class with an
    /// unreadable incident is dropped for this payload, so a half-read list never removes anything.
    /// </summary>
    internal sealed class Builder(string vendorId, List<FeedReject> rejects)
    {
        private readonly List<Incident> _incidents = [];
        private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);
        private readonly HashSet<char> _reported = [];
        private readonly HashSet<char> _failed = [];

        public IReadOnlyList<Incident> Incidents => [.. _incidents.Where(i => !_failed.Contains(ClassOf(i.Id)!.Value))];

        public string Classes => new([.. _reported.Except(_failed).Order()]);

        /// <summary>Reads the vendor's list of one class; <paramref name="readOne"/> calls <see cref="Add"/> for each entry it takes.</summary>
        public void Read(char cls, IEnumerable<System.Text.Json.JsonElement>? list, Action<System.Text.Json.JsonElement> readOne)
        {
            if (list is null)
            {
                return;
            }
            _reported.Add(cls);
            foreach (var entry in list)
            {
                try
                {
                    readOne(entry);
                }
                catch (FeedItemException e)
                {
                    _failed.Add(cls);
                    rejects.Add(new FeedReject(RejectReasons.BadIncident, vendorId, e.Message));
                }
            }
        }

        public void Add(char cls, string type, string side, long minute, long? stoppage, string? player, string? detail = null)
        {
            var extra = stoppage ?? 0;
            if (minute is < 0 or > 200 || extra is < 0 or > 60)
            {
                throw new FeedItemException(RejectReasons.BadIncident, $"incident minute {minute}+{extra} is out of range");
            }
            var key = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{cls}-{side[0]}-{minute}-{extra}");
            var n = _ordinals[key] = _ordinals.GetValueOrDefault(key) + 1;
            _incidents.Add(new Incident
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{key}-{n}"),
                Type = type,
                Period = FootballTime.PeriodOf((int)minute),
                Seconds = (int)(minute + extra) * 60,
                Team = side,
                Player = FeedText.Clean(player),
                Detail = FeedText.Clean(detail),
            });
        }
    }
}

/// <summary>Football time as vendors give it (minutes) and as ScoreFeed shows it (clock seconds, up from kick-off).</summary>
internal static class FootballTime
{
    public const int Half = 45 * 60;
    public const int ExtraHalf = 15 * 60;

    /// <summary>1–2 halves, 3–4 extra time, from the minute (45 and 90 with stoppage stay in their half).</summary>
    public static int PeriodOf(int minute) => minute switch
    {
        <= 45 => 1,
        <= 90 => 2,
        <= 105 => 3,
        _ => 4,
    };

    /// <summary>The clock when <paramref name="period"/> ends (before stoppage).</summary>
    public static int PeriodEnd(int period) => period switch
    {
        <= 1 => Half,
        2 => 2 * Half,
        3 => 2 * Half + ExtraHalf,
        _ => 2 * Half + 2 * ExtraHalf,
    };

    public static int PeriodStart(int period) => period <= 1 ? 0 : PeriodEnd(period - 1);
}

internal static class FeedText
{
    /// <summary>At most this many characters (text elements: an emoji or a letter with its accents is one).</summary>
    public const int MaxLength = 100;

    /// <summary>
    /// Vendor text fit to show: control and format characters dropped (bidi overrides and isolates, zero-width spaces,
    /// a BOM: they can reverse or hide what a page shows next to them; the zero-width joiner and non-joiner stay, as
    /// names and emoji need them), unpaired surrogates dropped, trimmed, at most <see cref="MaxLength"/> text
    /// elements (never a half character); null when nothing is left.
    /// </summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    kept.Append(c).Append(text[++i]);
                }
                continue;
            }
            if (char.IsControl(c) || (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format && c is not ('\u200C' or '\u200D')))
            {
                continue;
            }
            kept.Append(c);
        }
        var clean = kept.ToString().Trim();
        var elements = new StringInfo(clean);
        return clean.Length == 0 ? null
            : elements.LengthInTextElements > MaxLength ? elements.SubstringByTextElements(0, MaxLength).TrimEnd()
            : clean;
    }

    /// <summary>A ScoreFeed id <c>{prefix}-{vendorId}</c>; the item is rejected if the vendor's id makes no valid id.</summary>
    public static string Id(string prefix, string vendorId) =>
        Ids.IsValid(prefix + "-" + vendorId) ? prefix + "-" + vendorId : throw new FeedItemException(RejectReasons.BadId, $"'{Ids.Describe(vendorId)}' makes no valid id");

    /// <summary>A score the vendor reports (null before kick-off is 0); negative or absurd scores reject the item.</summary>
    public static int Score(long? goals, string side) => goals switch
    {
        null => 0,
        >= 0 and <= 200 => (int)goals.Value,
        _ => throw new FeedItemException(RejectReasons.BadScore, $"{side} score {goals} is out of range 0..200"),
    };
}
