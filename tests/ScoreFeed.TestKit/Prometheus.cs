using System.Globalization;

namespace ScoreFeed.Testing;

internal static class Prometheus
{
    /// <summary>Sum of a metric's samples in a Prometheus text exposition (those with <paramref name="label"/>, e.g. <c>kind="x"</c>, if given).</summary>
    public static double Sum(string exposition, string metric, string? label = null) => exposition.Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
        .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
