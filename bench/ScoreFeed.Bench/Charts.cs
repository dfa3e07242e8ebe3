using System.Globalization;
using System.Text.Json;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace ScoreFeed.Bench;

/// <summary>One target's cost at one connection count: a point of each of the cost curve's four panels.</summary>
internal sealed record CurvePoint(string Target, int Connections, double CpuUsPerDelivery, double RssKbPerConnection, double P99Ms, double SubscribeMs);

/// <summary>One line of a latency distribution chart: latency in ms at each quantile (0.5 .. 1.0).</summary>
internal sealed record LatencySeries(string Label, IReadOnlyList<(double Quantile, double Ms)> Points);

/// <summary>The benchmark's figures as PNG charts, drawn with ScottPlot: the cost curve over connection counts and the latency distribution.</summary>
internal static class Charts
{
    /// <summary>Draws the charts of the run whose JSON is <paramref name="json"/> next to it again.</summary>
    public static async Task<IReadOnlyList<string>> DrawAgainAsync(string json)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var options = document.RootElement.GetProperty("options").Deserialize<RunOptions>(Runner.JsonOptions)!;
        var results = document.RootElement.GetProperty("results").Deserialize<List<Result>>(Runner.JsonOptions)!;
        return Draw(options, results, Path.ChangeExtension(json, null));
    }

    /// <summary>
    /// {name}-latency.png: each result's latency by percentile (per target; per step of a curve or a sweep); and for a
    /// curve {name}-curve.png: CPU per delivery, memory per connection, p99 and Subscribe time against connections.
    /// </summary>
    public static List<string> Draw(RunOptions o, List<Result> results, string name)
    {
        var written = new List<string>();
        var measured = results.Where(r => r.LatencyQuantiles.Count > 0).ToList();
        if (measured.Count > 0)
        {
            string Label(Result r) => o.Scenario switch
            {
                "curve" => $"{r.Target}, {r.Connections:N0}",
                "sweep" => $"{r.Target}, {r.Rate:0}/s",
                _ => r.Target,
            };
            var latency = name + "-latency.png";
            Charts.LatencyDistribution([.. measured.Select(r => new LatencySeries(Label(r), r.LatencyQuantiles))],
                $"Delivery latency by percentile: {o.Scenario}, {o.Protocol}", latency);
            written.Add(latency);
        }
        var curve = results.Where(r => r.RssKbPerConnection is not null).ToList();
        if (curve.Count > 0)
        {
            var png = name + "-curve.png";
            Charts.CostCurve([.. curve.Select(r => new CurvePoint(r.Target, r.Connections, r.CpuUsPerDelivery, r.RssKbPerConnection!.Value, r.P99Ms, r.SubscribeP99Ms ?? double.NaN))],
                $"Cost by connections on one hub, {o.Rate:0} update/s to every connection", png);
            written.Add(png);
        }
        return written;
    }

    private const int TitleHeight = 50;
    private const double LeastMs = 0.01;

    /// <summary>The quantiles <see cref="Quantiles"/> reports; 1.0 is the maximum.</summary>
    private static readonly double[] ReportedQuantiles = [0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999, 1.0];

    /// <summary>The percentile ticks of the latency chart; the maximum is drawn one step past the last.</summary>
    private static readonly (double Quantile, string Label)[] PercentileTicks =
        [(0.5, "50%"), (0.9, "90%"), (0.99, "99%"), (0.999, "99.9%"), (0.9999, "99.99%")];

    /// <summary>
    /// Writes one PNG of four panels (CPU µs per delivery, RSS KB per connection, p99 ms, subscribe ms),
    /// each against connections on a log axis, one line with markers per target.
    /// </summary>
    public static void CostCurve(IReadOnlyList<CurvePoint> points, string title, string pngPath)
    {
        var panels = new (string Title, string YLabel, Func<CurvePoint, double> Value)[]
        {
            ("CPU per delivery", "CPU time per delivery (µs)", p => p.CpuUsPerDelivery),
            ("Memory per connection", "RSS per connection (KB)", p => p.RssKbPerConnection),
            ("Delivery latency, 99th percentile", "p99 latency (ms)", p => p.P99Ms),
            ("Time to subscribe", "subscribe time (ms)", p => p.SubscribeMs),
        };
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Length); // a total: it starts with one
        foreach (var ((panelTitle, yLabel, value), plot) in panels.Zip(multiplot.GetPlots()))
        {
            plot.Title(panelTitle);
            plot.XLabel("connections (log scale)");
            plot.YLabel(yLabel);
            foreach (var target in points.GroupBy(p => p.Target))
            {
                var line = target.OrderBy(p => p.Connections).ToList();
                var scatter = plot.Add.Scatter(line.Select(p => Math.Log10(p.Connections)).ToArray(), line.Select(value).ToArray());
                scatter.LegendText = target.Key;
                scatter.LineWidth = 2;
                scatter.MarkerSize = 8;
            }
            plot.Axes.Bottom.TickGenerator = LogTicks(1_000, 100_000, Connections);
            var top = points.Count == 0 ? 1 : points.Max(value);
            plot.Axes.SetLimits(Math.Log10(900), Math.Log10(110_000), 0, top > 0 ? top * 1.15 : 1);
            // Below the panel: the curves may rise or fall, so no corner of the data area is sure to be free.
            plot.ShowLegend(Edge.Bottom);
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 2);
        SaveWithTitle(multiplot, title, 1200, 900, pngPath);
    }

    /// <summary>
    /// Writes one PNG of latency against percentile, HDR-histogram style: x is -log10(1 - q), so 50%, 90%, 99%, 99.9%
    /// and 99.99% are evenly spaced, and the maximum sits one step past 99.99%; latency is on a log axis. One line per series.
    /// </summary>
    public static void LatencyDistribution(IReadOnlyList<LatencySeries> series, string title, string pngPath)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("percentile of deliveries");
        plot.YLabel("latency (ms, log scale)");
        var maxX = PercentileX(PercentileTicks[^1].Quantile) + 1;
        foreach (var s in series)
        {
            var scatter = plot.Add.Scatter(
                s.Points.Select(p => p.Quantile >= 1 ? maxX : PercentileX(p.Quantile)).ToArray(),
                s.Points.Select(p => Math.Log10(Math.Max(p.Ms, LeastMs))).ToArray());
            scatter.LegendText = s.Label;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 6;
        }
        var percentiles = new NumericManual();
        foreach (var (q, label) in PercentileTicks)
        {
            percentiles.AddMajor(PercentileX(q), label);
        }
        percentiles.AddMajor(maxX, "max");
        plot.Axes.Bottom.TickGenerator = percentiles;
        var all = series.SelectMany(s => s.Points).Select(p => Math.Max(p.Ms, LeastMs)).DefaultIfEmpty(1).ToList();
        var (low, high) = (all.Min(), all.Max());
        plot.Axes.Left.TickGenerator = LogTicks(low, high, Milliseconds);
        plot.Axes.SetLimits(PercentileX(0.5) - 0.15, maxX + 0.15, Math.Log10(low) - 0.1, Math.Log10(high) + 0.1);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(pngPath, 1000, 700);
    }

    /// <summary>The latency at each reported quantile of an ascending-sorted array (nearest rank); empty for an empty array.</summary>
    public static IReadOnlyList<(double Quantile, double Ms)> Quantiles(float[] sortedLatencies) =>
        sortedLatencies.Length == 0
            ? []
            : [.. ReportedQuantiles.Select(q => (q, (double)sortedLatencies[Math.Clamp((int)Math.Ceiling(q * sortedLatencies.Length) - 1, 0, sortedLatencies.Length - 1)]))];

    private static double PercentileX(double quantile) => -Math.Log10(1 - quantile);

    /// <summary>Ticks for an axis that plots log10 of its values: labelled majors at 1, 2 and 5 of each decade, minors at the rest.</summary>
    private static NumericManual LogTicks(double low, double high, Func<double, string> label)
    {
        var ticks = new NumericManual();
        for (var decade = Math.Pow(10, Math.Floor(Math.Log10(low))); decade <= high; decade *= 10)
        {
            for (var step = 1; step <= 9; step++)
            {
                var value = decade * step;
                if (step is 1 or 2 or 5)
                {
                    ticks.AddMajor(Math.Log10(value), label(value));
                }
                else
                {
                    ticks.AddMinor(Math.Log10(value));
                }
            }
        }
        return ticks;
    }

    private static string Connections(double n) =>
        n >= 1000 ? (n / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k" : n.ToString("0", CultureInfo.InvariantCulture);

    private static string Milliseconds(double ms) => ms.ToString(ms < 1 ? "0.##" : "0", CultureInfo.InvariantCulture);

    /// <summary>Renders the panels below a bold title and writes the PNG.</summary>
    private static void SaveWithTitle(Multiplot multiplot, string title, int width, int height, string pngPath)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        // The layout places panels from the canvas's origin and Render clears the whole canvas: so the panels are drawn
        // shifted down, and the title after them in the band left above.
        surface.Canvas.Save();
        surface.Canvas.Translate(0, TitleHeight);
        multiplot.Render(surface.Canvas, new PixelRect(new PixelSize(width, height - TitleHeight)));
        surface.Canvas.Restore();
        using (var typeface = SKTypeface.FromFamilyName(Fonts.Default, SKFontStyle.Bold))
        using (var font = new SKFont(typeface, 24))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            surface.Canvas.DrawText(title, width / 2f, TitleHeight * 0.7f, SKTextAlign.Center, font, paint);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(pngPath);
        png.SaveTo(file);
    }
}
