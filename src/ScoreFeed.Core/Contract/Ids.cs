using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ScoreFeed.Contract;

/// <summary>Match, competition and team ids: <c>^[A-Za-z0-9_-]{1,64}$</c>.</summary>
public static partial class Ids
{
    public const string Pattern = "^[A-Za-z0-9_-]{1,64}$";

    // \z, not $: "$" would also accept an id followed by a newline.
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();

    public static bool IsValid([NotNullWhen(true)] string? id) => id is not null && id.Length <= 64 && IdRegex().IsMatch(id);

    public static string Describe(string? id) =>
        id is null ? "(null)" : id.Length > 80 ? string.Concat(id.AsSpan(0, 80), "…") : id;
}
