using System.Globalization;

namespace ScoreFeed.EndToEndTests.Infrastructure;

internal static class Prometheus
{
    /// <summary>Sum of a metric's samples in a Prometheus text exposition.</summary>
    public static double Sum(string exposition, string metric) => exposition.Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
