using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Web.ReadApi;
using ScoreFeed.Web.Security;

namespace ScoreFeed.Web.Pages;

/// <summary>
/// <c>/operator</c>: the operator console. The page is a shell; its script (operator.js) signs in against ingest's
/// operator API, which it calls directly from the browser (CORS on ingest, CSP here), and follows the matches live
/// over the hub like the fan pages. The matches of the read API seed its list. No secret ever reaches this app.
/// </summary>
internal sealed class OperatorModel(ReadApiClient api, IOptions<WebOptions> options, TimeProvider time) : PageModel
{
    public PageConfig Config { get; private set; } = null!;

    public bool Unavailable { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var web = options.Value;
        var now = MatchView.Now(time);
        var all = await api.MatchesAsync(null, cancellationToken);
        Unavailable = all is null;
        Config = new PageConfig
        {
            Page = "operator",
            Hub = web.HubUrl,
            Ingest = web.IngestBaseUrl.AbsoluteUri.TrimEnd('/'),
            // "live" brings matches that start and end; the console subscribes to the match it shows as well.
            Topics = [Topic.LiveName],
            Matches = [.. MatchView.InListOrder(all ?? []).Select(m => m with { Incidents = null })],
            ServerNow = now,
            Names = web.CompetitionNames.Count > 0 ? web.CompetitionNames : null,
        };
        SecurityHeaders.AllowConnect(HttpContext, web.IngestOrigin);
        // The console's state is the operator's: never cached, never stored.
        Response.Headers.CacheControl = "no-store";
    }
}
