using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ScoreFeed.Client;
using ScoreFeed.Contract;

// Usage: ScoreFeed.LatencyProbe --hub http://127.0.0.1:5101/hubs/scores [--updates 5000] [--timeout 120]
// Subscribes to "live" and measures, per received update, now - ts (ts is stamped by ingest when it
// publishes; both run on this machine's clock). Prints the distribution and the seq checks.
var hub = Arg("--hub", "http://127.0.0.1:5101/hubs/scores");
var wanted = int.Parse(Arg("--updates", "5000"), CultureInfo.InvariantCulture);
var timeout = TimeSpan.FromSeconds(double.Parse(Arg("--timeout", "120"), CultureInfo.InvariantCulture));

var tracker = new MatchTracker();
var latencies = new List<double>(wanted);
var gate = new object();
var done = new TaskCompletionSource();
await using var connection = new HubConnectionBuilder()
    .WithUrl(hub, o =>
    {
        o.SkipNegotiation = true;
        o.Transports = HttpTransportType.WebSockets;
    })
    .AddJsonProtocol(o =>
    {
        o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ScoreFeedJsonContext.Default);
        o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    })
    .Build();
connection.On<MatchUpdate>(ClientMethods.Update, update =>
{
    var received = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
    lock (gate)
    {
        tracker.OnUpdate(update);
        if (latencies.Count < wanted)
        {
            latencies.Add(received - update.Ts);
            if (latencies.Count == wanted)
            {
                done.TrySetResult();
            }
        }
    }
});
await connection.StartAsync();
lock (gate)
{
    tracker.BeginSubscribe();
}
var result = await connection.InvokeAsync<SubscribeResult>("Subscribe", new SubscribeRequest { Topics = [Topic.LiveName] });
lock (gate)
{
    tracker.CompleteSubscribe(result);
}
Console.WriteLine($"subscribed to live on {hub}: {result.Matches.Count} matches; waiting for {wanted} updates");
var watch = Stopwatch.StartNew();
await done.Task.WaitAsync(timeout);
var seconds = watch.Elapsed.TotalSeconds;

double[] sorted;
lock (gate)
{
    sorted = [.. latencies.Order()];
}
double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"updates: {sorted.Length} in {seconds:F1} s ({sorted.Length / seconds:F0}/s); gaps: {tracker.Gaps}; duplicates: {tracker.Duplicates}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"latency ms (publish ts → received): p50 {P(0.50):F2}  p90 {P(0.90):F2}  p99 {P(0.99):F2}  p99.9 {P(0.999):F2}  max {sorted[^1]:F2}"));
return tracker.Gaps == 0 ? 0 : 1;

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
