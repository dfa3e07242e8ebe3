using System.Diagnostics.Metrics;

namespace ScoreFeed.Web;

/// <summary>The web app's meter (<see cref="MeterName"/>): goal alerts through Web Push (docs/push.md, "Metrics").</summary>
internal sealed class WebMetrics
{
    public const string MeterName = "ScoreFeed.Web";

    private readonly Counter<long> _alerts;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _removed;
    private readonly Counter<long> _skipped;
    private readonly Histogram<double> _latency;
    private long _queued;

    public WebMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _alerts = meter.CreateCounter<long>("scorefeed_push_alerts", description: "Alerts claimed for sending (one per event), by kind");
        _pushes = meter.CreateCounter<long>("scorefeed_push_messages", description: "Pushes to one subscription, by kind and outcome (sent, failed, gone)");
        _retries = meter.CreateCounter<long>("scorefeed_push_retries", description: "Push attempts retried after 429, 5xx, a timeout or a network error");
        _removed = meter.CreateCounter<long>("scorefeed_push_subscriptions_removed", description: "Subscriptions removed, by reason (unsubscribed, gone: 404/410 from the push service)");
        _skipped = meter.CreateCounter<long>("scorefeed_push_updates_skipped", description: "Updates not considered for alerts, by reason (older: behind the match's last (epoch, seq); duplicate: alert already claimed)");
        _latency = meter.CreateHistogram<double>("scorefeed_push_latency", unit: "ms",
            description: "From the update's commit (its ts) to the push service accepting the push",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] });
        meter.CreateObservableGauge("scorefeed_push_queue_length", () => Interlocked.Read(ref _queued), description: "Alerts waiting in the per-match queues");
    }

    public void AlertClaimed(string kind) => _alerts.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Pushed(string kind, string outcome) =>
        _pushes.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    public void Retried() => _retries.Add(1);

    public void SubscriptionRemoved(string reason) => _removed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void UpdateSkipped(string reason) => _skipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Latency(double ms) => _latency.Record(ms);

    public void Queued(int delta) => Interlocked.Add(ref _queued, delta);
}
