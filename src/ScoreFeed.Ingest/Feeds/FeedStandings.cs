using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// A vendor's league table, read from its standings payload into the contract's <see cref="StandingsTable"/> (team ids as
/// the vendor's match payloads make them, so the table joins the matches). Meant as the base that live adjustments
/// apply to (docs/standings.md); a row that cannot be read fails the whole table: half a table is a wrong table.
/// </summary>
internal static class FeedStandings
{
    /// <summary>
    /// The table in <paramref name="body"/>: <paramref name="rowsOf"/> finds its rows (null: none, <paramref name="where"/>
    /// says where they should have been), <paramref name="map"/> reads each. Null with the reason when it cannot be read.
    /// </summary>
    public static (StandingsTable? Table, string? Error) Parse(byte[] body, Func<JsonElement, IEnumerable<JsonElement>?> rowsOf, string where,
        Func<JsonElement, StandingsRow> map)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return rowsOf(json.RootElement) is { } rows ? Read(rows, map) : (null, $"no table in {where}");
        }
        catch (Exception e) when (e is JsonException or FeedItemException or InvalidOperationException)
        {
            return (null, $"{where}: {e.Message}");
        }
    }

    private static (StandingsTable? Table, string? Error) Read(IEnumerable<JsonElement> rows, Func<JsonElement, StandingsRow> map)
    {
        var table = new List<StandingsRow>();
        foreach (var row in rows)
        {
            try
            {
                table.Add(map(row));
            }
            catch (Exception e) when (e is FeedItemException or InvalidOperationException or FormatException)
            {
                return (null, $"row {table.Count + 1}: {e.Message}");
            }
        }
        if (table.Count == 0)
        {
            return (null, "no rows");
        }
        return (new StandingsTable { Rows = [.. table.OrderBy(r => r.Position)] }, null);
    }

    /// <summary>Form as the contract has it: the letters W, D and L only (vendors add commas, or send null).</summary>
    public static string Form(string? vendorForm) =>
        vendorForm is null ? "" : string.Concat(vendorForm.Where(c => c is 'W' or 'D' or 'L').Take(Scoring.Standings.FormLength));

    public static int Count(this JsonElement e, string name) => checked((int)e.Integer(name));
}
