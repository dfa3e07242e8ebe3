using System.Globalization;

namespace ScoreFeed.Testing;

internal static class Prometheus
{
    /// <summary>
    /// The sum of a metric's samples in a Prometheus text exposition, with or without labels: only those whose labels
    /// include each of <paramref name="labels"/> (e.g. <c>kind="x"</c>) if given. A sample's value is the first field
    /// after its name and labels (a timestamp may follow it).
    /// </summary>
    public static double Sum(string exposition, string metric, params string[] labels) => exposition.Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
        .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
        .Sum(line => double.Parse(line[(line.LastIndexOf('}') is var end and >= 0 ? end + 1 : metric.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}
