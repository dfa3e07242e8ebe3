using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScoreFeed.Contract;
using ScoreFeed.Web.ReadApi;

namespace ScoreFeed.Web.Pages;

/// <summary>
/// <c>/partners/usage</c>: a partner reads its usage on a day (the hubs' <c>GET /api/v1/partners/{key}/usage</c>) with
/// its key and API secret, posted to this app and passed on to a hub, never stored: totals, a chart of the updates
/// delivered per minute and the table of minutes, or the day as CSV. Painted by the server; no script.
/// </summary>
internal sealed class UsageModel(ReadApiClient api, TimeProvider time) : PageModel
{
    [BindProperty, Required, StringLength(64)] public string Key { get; set; } = "";

    [BindProperty, Required, StringLength(512)] public string Secret { get; set; } = "";

    [BindProperty] public string Day { get; set; } = "";

    public UsageDay? Usage { get; private set; }

    /// <summary>A message key for what went wrong (usage.unauthorized, usage.unavailable), or null.</summary>
    public string? Problem { get; private set; }

    public void OnGet()
    {
        Day = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Response.Headers.CacheControl = "no-store";
    }

    public async Task<IActionResult> OnPostAsync(string? format, CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        var day = DateOnly.TryParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : Today;
        Day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (!ModelState.IsValid || !Ids.IsValid(Key))
        {
            Problem = "usage.unauthorized";
            return Page();
        }
        var csv = format == "csv";
        var result = await api.UsageAsync(Key, Secret, day, csv, cancellationToken);
        if (result.Status != 200)
        {
            Problem = result.Status is 401 or 400 ? "usage.unauthorized" : "usage.unavailable";
            return Page();
        }
        if (csv)
        {
            return File(System.Text.Encoding.UTF8.GetBytes(result.Csv ?? ""), "text/csv; charset=utf-8", $"scorefeed-usage-{Key}-{Day}.csv");
        }
        Usage = result.Day;
        return Page();
    }

    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>Bars of the chart: each minute's updates as a height in 0–100 of the day's busiest minute.</summary>
    public IEnumerable<(string Minute, long Updates, double Height)> Bars()
    {
        var minutes = Usage?.Minutes ?? [];
        var most = Math.Max(1, minutes.Count == 0 ? 1 : minutes.Max(m => m.Updates));
        return minutes.Select(m => (m.Minute, m.Updates, 100.0 * m.Updates / most));
    }
}
