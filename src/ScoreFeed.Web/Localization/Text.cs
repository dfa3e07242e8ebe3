using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace ScoreFeed.Web.Localization;

/// <summary>
/// The words of the pages in the request's language (<see cref="CultureInfo.CurrentUICulture"/>, set by request
/// localization: <see cref="Languages"/>). They come from the same catalogs the scripts use
/// (<c>ClientApp/src/i18n/{lang}.json</c>, embedded in this assembly), so a page the server painted reads exactly as
/// the script repaints it; one file per language, no words in code.
/// </summary>
internal static class Text
{
    /// <summary>The languages we speak; the first is the default.</summary>
    public static readonly string[] Languages = ["en", "es", "de", "fr", "ar"];

    /// <summary>
    /// The catalog files of each language (before Catalogs, which reads them): the pages' and the widget's, the
    /// operator console's (keys <c>op.*</c>), the goal alerts' (keys <c>alert.*</c>) and the partners' usage page's
    /// (keys <c>usage.*</c>), the last two the server's only.
    /// </summary>
    public static readonly string[] Files = ["i18n/{0}.json", "i18n/operator/{0}.json", "i18n/alerts/{0}.json", "i18n/partners/{0}.json"];

    private static readonly FrozenDictionary<string, FrozenDictionary<string, JsonElement>> Catalogs =
        Languages.ToFrozenDictionary(l => l, Load);

    /// <summary>The request's language: one of <see cref="Languages"/>.</summary>
    public static string Language
    {
        get
        {
            var name = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            return Catalogs.ContainsKey(name) ? name : Languages[0];
        }
    }

    public static bool RightToLeft => Language == "ar";

    /// <summary>The message <paramref name="key"/> with its <c>{name}</c> parameters filled in (numbers in Latin digits).</summary>
    public static string Get(string key, params (string Name, object Value)[] args) => Format(Language, key, args);

    /// <summary>The message <paramref name="key"/> in <paramref name="language"/> (one of <see cref="Languages"/>, else English).</summary>
    public static string Format(string language, string key, params (string Name, object Value)[] args)
    {
        var catalog = Catalogs.GetValueOrDefault(language) ?? Catalogs[Languages[0]];
        if (!catalog.TryGetValue(key, out var entry) && !Catalogs[Languages[0]].TryGetValue(key, out entry))
        {
            throw new KeyNotFoundException($"No message '{key}' in ClientApp/src/i18n/en.json.");
        }
        // Plurals are the scripts' (Intl.PluralRules); the server paints none, so it takes "other".
        var text = entry.ValueKind == JsonValueKind.String ? entry.GetString()! : entry.GetProperty("other").GetString()!;
        foreach (var (name, value) in args)
        {
            text = text.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>The message <paramref name="key"/> as <paramref name="language"/> says it (a language's own name).</summary>
    public static string In(string language, string key) => Catalogs[language][key].GetString()!;

    /// <summary>Every key of a language's catalog (tests check each language has English's).</summary>
    public static IReadOnlyCollection<string> Keys(string language) => Catalogs[language].Keys;

    private static FrozenDictionary<string, JsonElement> Load(string language) =>
        Files.SelectMany(file => Entries(string.Format(CultureInfo.InvariantCulture, file, language)))
            .ToFrozenDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    private static IEnumerable<JsonProperty> Entries(string name)
    {
        using var stream = typeof(Text).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The catalog {name} is not embedded (ScoreFeed.Web.csproj: ClientApp/src/i18n).");
        using var document = JsonDocument.Parse(stream);
        return [.. document.RootElement.Clone().EnumerateObject()];
    }
}
