using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScoreFeed.Contract;
using ScoreFeed.Web.Localization;
using ScoreFeed.Web.Pages;

namespace ScoreFeed.UnitTests;

/// <summary>Every language says everything English says, with the same parameters; the server speaks the request's.</summary>
public sealed partial class LanguageCatalogTests
{
    public static TheoryData<string> OtherLanguages => [.. Text.Languages.Skip(1)];

    [Theory]
    [MemberData(nameof(OtherLanguages))]
    public void Each_catalog_has_every_message_with_the_same_parameters(string language)
    {
        var english = Catalog("en");
        var other = Catalog(language);

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), other.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in english)
        {
            Assert.True(Parameters(text).SetEquals(Parameters(other[key])), $"{language}: '{key}' has parameters {string.Join(",", Parameters(other[key]))}, English {string.Join(",", Parameters(text))}");
            Assert.False(string.IsNullOrWhiteSpace(other[key].ValueKind == JsonValueKind.String ? other[key].GetString() : other[key].GetProperty("other").GetString()), $"{language}: '{key}' is empty");
        }
    }

    [Fact]
    public void The_server_speaks_the_requests_language_and_falls_back_to_English()
    {
        var match = new MatchState { Status = MatchStatus.Paused, Sport = Sports.Football, Period = 1 };
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("es-MX");
            Assert.Equal("Descanso", MatchView.StatusLabel(match));
            Assert.Equal("Inicio de 2.ª parte", MatchView.IncidentLabel(Sports.Football, new Incident { Type = IncidentTypes.PeriodStart, Period = 2 }));
            Assert.Equal("Consola del operador", Text.Get("op.title"));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ar");
            Assert.True(Text.RightToLeft);
            Assert.Equal("استراحة", MatchView.StatusLabel(match));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ja");
            Assert.Equal("Half-time", MatchView.StatusLabel(match));
            Assert.Equal("en", Text.Language);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>A language's messages as its files say them: the pages' and the console's, no key in both.</summary>
    private static Dictionary<string, JsonElement> Catalog(string language)
    {
        var messages = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var file in Text.Files)
        {
            var path = Path.Combine(Root(), "src", "ScoreFeed.Web", "ClientApp", "src", string.Format(CultureInfo.InvariantCulture, file, language));
            foreach (var message in JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateObject())
            {
                Assert.True(messages.TryAdd(message.Name, message.Value.Clone()), $"{path}: '{message.Name}' is in another catalog too");
            }
        }
        Assert.Equal(messages.Keys.Order(StringComparer.Ordinal), Text.Keys(language).Order(StringComparer.Ordinal));
        return messages;
    }

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ScoreFeed.sln")))
        {
            directory = directory.Parent;
        }
        return directory!.FullName;
    }

    private static HashSet<string> Parameters(JsonElement entry) =>
        [.. (entry.ValueKind == JsonValueKind.String ? [entry.GetString()!] : entry.EnumerateObject().Select(p => p.Value.GetString()!))
            .SelectMany(text => Parameter().Matches(text).Select(m => m.Value))];

    [GeneratedRegex(@"\{\w+\}")]
    private static partial Regex Parameter();
}
