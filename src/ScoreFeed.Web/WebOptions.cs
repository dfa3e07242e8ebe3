using System.ComponentModel.DataAnnotations;

namespace ScoreFeed.Web;

/// <summary>Configuration section <c>Web</c>.</summary>
internal sealed class WebOptions : IValidatableObject
{
    public const string Section = "Web";

    // No defaults in code for the URLs: appsettings.Development.json has the local ones, and Production must set them
    // (ProductionRequirements.Web), so a deployment never runs with localhost by accident.

    /// <summary>
    /// Public base URL of a hub, or of the balancer in front of the hubs: browsers connect to
    /// <c>{HubBaseUrl}/hubs/scores</c>; this app reads <c>{HubBaseUrl}/api/v1/…</c> for the first paint unless
    /// <see cref="HubInternalUrl"/> is set.
    /// </summary>
    [Required]
    public Uri HubBaseUrl { get; set; } = null!;

    /// <summary>
    /// Where this app itself reads the hubs' API for the first paint (server-side only, never sent to browsers), e.g.
    /// the hubs' service inside the cluster (<c>http://hub:5100</c>); may be loopback. Unset: <see cref="HubBaseUrl"/>.
    /// </summary>
    public Uri? HubInternalUrl { get; set; }

    /// <summary>
    /// Public base URL of ingest's operator API, which the operator console (<c>/operator</c>) calls from the browser;
    /// ingest must allow this app's origin (<c>Operators:CorsOrigins</c>).
    /// </summary>
    [Required]
    public Uri IngestBaseUrl { get; set; } = null!;

    /// <summary>This app's own public base URL, as partner pages load it (the demo partner page uses it).</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = null!;

    /// <summary>A second port on which this app serves only the demo partner page (another origin); 0 = none.</summary>
    [Range(0, 65535)]
    public int PartnerDemoPort { get; set; }

    /// <summary>The partner key the demo partner page uses.</summary>
    public string PartnerDemoKey { get; set; } = "demo";

    /// <summary>Display names of competitions by id; others are shown from their id.</summary>
    public Dictionary<string, string> CompetitionNames { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a page waits for the read API before it renders without it (the page then loads live).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The base URL this app reads the hubs' API from: <see cref="HubInternalUrl"/>, else <see cref="HubBaseUrl"/>.</summary>
    public Uri HubApiBaseUrl => HubInternalUrl ?? HubBaseUrl;

    /// <summary>The hub endpoint browsers connect to.</summary>
    public string HubUrl => Combine(HubBaseUrl, "hubs/scores");

    /// <summary>The hub's origin (scheme://host:port), for the pages' Content-Security-Policy.</summary>
    public string HubOrigin => HubBaseUrl.GetLeftPart(UriPartial.Authority);

    /// <summary>Ingest's origin, for the operator console's Content-Security-Policy.</summary>
    public string IngestOrigin => IngestBaseUrl.GetLeftPart(UriPartial.Authority);

    public static string Combine(Uri baseUrl, string path) => baseUrl.AbsoluteUri.TrimEnd('/') + "/" + path;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, url) in new[] { (nameof(HubBaseUrl), HubBaseUrl), (nameof(PublicBaseUrl), PublicBaseUrl), (nameof(IngestBaseUrl), IngestBaseUrl), (nameof(HubInternalUrl), HubInternalUrl) })
        {
            if (url is null)
            {
                continue; // [Required] reports the required ones
            }
            if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || url.Query.Length > 0)
            {
                yield return new ValidationResult($"'{url}' must be an absolute http(s) URL without a query.", [name]);
            }
        }
    }
}
