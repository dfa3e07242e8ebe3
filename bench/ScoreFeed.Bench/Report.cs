using System.Globalization;
using System.Text;

namespace ScoreFeed.Bench;

/// <summary>What one target measured in one scenario (one rate of a sweep).</summary>
internal sealed record Result
{
    public string Target { get; init; } = "";
    public string Scenario { get; init; } = "";
    public string Protocol { get; init; } = "";
    public int Connections { get; init; }
    public double Rate { get; init; }
    public double OfferedDeliveriesPerSecond { get; init; }
    public double DeliveriesPerSecond { get; init; }
    public double P50Ms { get; init; }
    public double P90Ms { get; init; }
    public double P99Ms { get; init; }
    public double P999Ms { get; init; }
    public double MaxMs { get; init; }
    public long Gaps { get; init; }
    public long Duplicates { get; init; }
    public long Errors { get; init; }
    public double CpuUsPerDelivery { get; init; }
    /// <summary>The load generator's own CPU (this process) per delivery: what receiving costs on the shared cores.</summary>
    public double ClientCpuUsPerDelivery { get; init; }
    public double RssMb { get; init; }
    public double PeakRssMb { get; init; }
    public double? IdleKbPerConnection { get; init; }
    public double? StormSeconds { get; init; }
    public int? StormResumed { get; init; }
    /// <summary>Curve: (RSS now − RSS before any connection) ÷ connections, under the step's load.</summary>
    public double? RssKbPerConnection { get; init; }
    /// <summary>Curve: time from opening a connection to its Subscribe result, for the connections the step added.</summary>
    public double? SubscribeP50Ms { get; init; }
    public double? SubscribeP99Ms { get; init; }
    /// <summary>Idle: seconds from the first connection opened to the last one's Subscribe result (admission's pace).</summary>
    public double? ConnectSeconds { get; init; }
    /// <summary>Latency at the quantiles of <see cref="Charts.Quantiles"/>, for the distribution chart.</summary>
    public IReadOnlyList<(double Quantile, double Ms)> LatencyQuantiles { get; init; } = [];
}

/// <summary>The benchmark's figures as a console line, a markdown table with ratios to the baselines, and the machine they ran on.</summary>
internal static class Report
{
    /// <summary>The latency at quantile <paramref name="q"/> of ascending <paramref name="sorted"/> (nearest rank), NaN if empty.</summary>
    public static double Percentile<T>(T[] sorted, double q) where T : System.Numerics.INumber<T> =>
        sorted.Length == 0 ? double.NaN : double.CreateChecked(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)]);

    public static object Machine() => new
    {
        cores = Environment.ProcessorCount,
        os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        runtime = Environment.Version.ToString(),
        date = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
    };

    public static string Describe(Result r) =>
        string.Create(CultureInfo.InvariantCulture,
            $"   {r.Target,-9} rate {r.Rate,6:F0}/s  deliveries {r.DeliveriesPerSecond,9:F0}/s of {r.OfferedDeliveriesPerSecond,9:F0}  p50 {r.P50Ms,7:F1} p90 {r.P90Ms,7:F1} p99 {r.P99Ms,7:F1} p99.9 {r.P999Ms,7:F1} max {r.MaxMs,7:F1} ms  cpu {r.CpuUsPerDelivery,5:F2} µs/delivery (client {r.ClientCpuUsPerDelivery:F2})  rss {r.RssMb,6:F0} MB (peak {r.PeakRssMb:F0})  gaps {r.Gaps} dups {r.Duplicates} errors {r.Errors}")
        + (r.IdleKbPerConnection is { } kb ? string.Create(CultureInfo.InvariantCulture, $"  idle {kb:F1} KB/conn") : "")
        + (r.StormSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"  storm {r.StormResumed} resumed in {s:F2} s") : "")
        + (r.RssKbPerConnection is { } rkb ? string.Create(CultureInfo.InvariantCulture, $"  {rkb:F1} KB/conn, Subscribe p50 {r.SubscribeP50Ms:F0} p99 {r.SubscribeP99Ms:F0} ms") : "")
        + (r.ConnectSeconds is { } cs ? string.Create(CultureInfo.InvariantCulture, $"  {r.Connections} connected in {cs:F1} s ({r.Connections / cs:F0}/s), Subscribe p50 {r.SubscribeP50Ms:F0} p99 {r.SubscribeP99Ms:F0} ms") : "");

    public static string Markdown(RunOptions o, List<Result> results)
    {
        var sb = new StringBuilder();
        var connections = o.Scenario == "curve" ? string.Join(", ", results.Select(r => r.Connections).Distinct()) : $"{o.Connections}";
        sb.AppendLine(CultureInfo.InvariantCulture, $"### {o.Scenario} — {o.Protocol}, {connections} connections, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine("| target | connections | updates/s | deliveries/s (offered) | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | CPU µs/delivery | client CPU µs/delivery | RSS MB (peak) | gaps | dups | idle KB/conn | KB/conn under load | Subscribe p50 / p99 ms | storm | connected in s |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Target} | {r.Connections} | {r.Rate:F0} | {r.DeliveriesPerSecond:F0} ({r.OfferedDeliveriesPerSecond:F0}) | {r.P50Ms:F1} | {r.P90Ms:F1} | {r.P99Ms:F1} | {r.P999Ms:F1} | {r.MaxMs:F1} | {r.CpuUsPerDelivery:F2} | {r.ClientCpuUsPerDelivery:F2} | {r.RssMb:F0} ({r.PeakRssMb:F0}) | {r.Gaps} | {r.Duplicates} | {(r.IdleKbPerConnection is { } kb ? kb.ToString("F1", CultureInfo.InvariantCulture) : "")} | {(r.RssKbPerConnection is { } rkb ? rkb.ToString("F1", CultureInfo.InvariantCulture) : "")} | {(r.SubscribeP50Ms is { } sp ? $"{sp:F0} / {r.SubscribeP99Ms:F0}" : "")} | {(r.StormSeconds is { } s ? $"{r.StormResumed} in {s:F2} s" : "")} | {(r.ConnectSeconds is { } cs ? cs.ToString("F1", CultureInfo.InvariantCulture) : "")} |");
        }
        var sf = results.Where(r => r.Target == "scorefeed").ToList();
        foreach (var baseline in new[] { "signalr", "raw" })
        {
            var b = results.Where(r => r.Target == baseline).ToList();
            if (sf.Count == 0 || b.Count == 0)
            {
                continue;
            }
            sb.AppendLine();
            if (o.Scenario == "curve")
            {
                // Step by step: each connection count against the baseline's at the same count.
                foreach (var s in sf)
                {
                    if (b.FirstOrDefault(r => r.Connections == s.Connections) is { } at)
                    {
                        sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Connections} connections, ScoreFeed ÷ {baseline}: {string.Join("; ", Ratios([s], [at]).Skip(1))}");
                    }
                }
                continue;
            }
            sb.AppendLine(CultureInfo.InvariantCulture, $"ScoreFeed ÷ {baseline}: {string.Join("; ", Ratios(sf, b))}");
        }
        return sb.ToString();
    }

    private static IEnumerable<string> Ratios(List<Result> sf, List<Result> b)
    {
        static string R(double x, double y) => y == 0 || double.IsNaN(x) || double.IsNaN(y) ? "n/a" : (x / y).ToString("F2", CultureInfo.InvariantCulture);
        var s = sf[^1];
        var o = b.FirstOrDefault(r => r.Rate == s.Rate) ?? b[^1];
        // The sweep's figure: the most delivered at a rate still kept up with (as the sweep's stopping rule says).
        static double KeptUp(List<Result> results) =>
            results.Where(r => r.P99Ms <= 1000 && r.DeliveriesPerSecond >= 0.9 * r.OfferedDeliveriesPerSecond).Select(r => r.DeliveriesPerSecond).DefaultIfEmpty(double.NaN).Max();
        yield return $"max deliveries/s kept up with {R(KeptUp(sf), KeptUp(b))}";
        yield return $"p90 {R(s.P90Ms, o.P90Ms)}";
        yield return $"p99 {R(s.P99Ms, o.P99Ms)}";
        yield return $"CPU/delivery {R(s.CpuUsPerDelivery, o.CpuUsPerDelivery)}";
        yield return $"RSS {R(s.RssMb, o.RssMb)}";
        if (s.IdleKbPerConnection is { } kb && o.IdleKbPerConnection is { } okb)
        {
            yield return $"idle KB/conn {R(kb, okb)}";
        }
    }
}
