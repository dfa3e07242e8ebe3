using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ScoreFeed.Web.ReadApi;

namespace ScoreFeed.Web.Pages;

/// <summary><c>/matches/{id}</c>: one match and its incident timeline, server-rendered, then live.</summary>
internal sealed class MatchModel(ReadApiClient api, IOptions<WebOptions> options, TimeProvider time)
    : MatchPageModel(api, options, time)
{
    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        ShowAsync(id, "match", key: null, timelineLimit: null, cancellationToken);
}
