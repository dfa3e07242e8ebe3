using System.ComponentModel.DataAnnotations;
using ScoreFeed.Partners;

namespace ScoreFeed.Hub.Access;

/// <summary>
/// Who may connect, and how hubs share their counts: keys of section <c>Hub</c> that only the hub app reads.
/// (The rest of section <c>Hub</c> is <see cref="ScoreFeed.Realtime.ScoresHubOptions"/>.)
/// </summary>
internal sealed class HubAccessOptions : IValidatableObject
{
    public const string Section = "Hub";

    /// <summary>Origins of our own pages: they connect without a partner key.</summary>
    public string[] SiteOrigins { get; set; } = [];

    /// <summary>How often each hub publishes its partner and audience counts and reads the other hubs'.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PresenceInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far a partner's server clock may be off: an embed token is accepted this long before its <c>nbf</c> and
    /// after its <c>exp</c>, and its connection closed this long after <c>exp</c> unless renewed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan EmbedTokenClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in SiteOrigins)
        {
            if (!Origins.TryNormalize(origin, out _))
            {
                yield return new ValidationResult($"'{origin}' is not a browser origin; expected scheme://host[:port], e.g. https://scores.example", [nameof(SiteOrigins)]);
            }
        }
    }
}
