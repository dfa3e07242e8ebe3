using System.Text.Json;
using System.Text.Json.Serialization;
using ScoreFeed.Contract;

namespace ScoreFeed.Web.Pages;

/// <summary>
/// What a page hands its script in <c>&lt;script type="application/json" id="sf-config"&gt;</c>: where the hub is,
/// what to follow, and the states the server rendered (so the script subscribes with their positions).
/// </summary>
internal sealed record PageConfig
{
    public required string Page { get; init; }
    public required string Hub { get; init; }
    public string? Key { get; init; }
    public required IReadOnlyList<string> Topics { get; init; }
    public required IReadOnlyList<MatchState> Matches { get; init; }
    public required long ServerNow { get; init; }
    public IReadOnlyDictionary<string, string>? Names { get; init; }
    public int? TimelineLimit { get; init; }

    /// <summary>Our own fan pages: stars to follow teams and matches (cookie <c>sf-follow</c>); not on embed pages.</summary>
    public bool? Follow { get; init; }

    /// <summary>The operator console only: ingest's base URL (its operator API).</summary>
    public string? Ingest { get; init; }

    /// <summary>
    /// JSON safe inside a script element: the default encoder escapes &lt;, &gt;, &amp; and quotes, so feed text such as
    /// <c>&lt;/script&gt;</c> cannot end the element.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(this, PageJsonContext.Default.PageConfig);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PageConfig))]
internal sealed partial class PageJsonContext : JsonSerializerContext;
