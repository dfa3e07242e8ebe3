using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScoreFeed.Ingest.Feeds;
using ScoreFeed.Redis;

namespace ScoreFeed.Ingest;

/// <summary>Ingest's meter and activity source (<c>ScoreFeed.Ingest</c>).</summary>
internal sealed class IngestMetrics
{
    public const string MeterName = "ScoreFeed.Ingest";

    public static readonly ActivitySource ActivitySource = new(MeterName);

    private readonly Counter<long> _changes;
    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private readonly Counter<long> _publishedLate;
    private readonly Counter<long> _publishDropped;
    private readonly Meter _meter;
    private readonly Histogram<double> _applyDuration;
    private readonly Counter<long> _stepsSkipped;
    private readonly Counter<long> _corrections;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _pinsCleared;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _feedPolls;
    private readonly Counter<long> _feedRejected;
    private readonly Counter<long> _feedSwitches;
    private readonly Counter<long> _leasesAcquired;
    private readonly Counter<long> _reissued;

    public IngestMetrics(IMeterFactory meterFactory, FeedHealth feeds)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        _changes = meter.CreateCounter<long>("scorefeed.ingest.changes", description: "Changes offered to the store, by outcome (applied, unchanged, stale, conflict) and source");
        _published = meter.CreateCounter<long>("scorefeed.ingest.updates.published", description: "Updates published to the hubs");
        _publishFailures = meter.CreateCounter<long>("scorefeed.ingest.publish.failures", description: "Updates stored but not published at once (Redis unavailable): queued for a later publish");
        _publishedLate = meter.CreateCounter<long>("scorefeed.ingest.publish.late", description: "Queued updates published once Redis answered again");
        _publishDropped = meter.CreateCounter<long>("scorefeed.ingest.publish.dropped", description: "Queued updates dropped because the publish queue was full (clients recover them from history)");
        _stepsSkipped = meter.CreateCounter<long>("scorefeed.ingest.simulator.steps_skipped", description: "Simulator steps dropped because every match was mid-step (rate above what Redis absorbs)");
        _corrections = meter.CreateCounter<long>("scorefeed.ingest.corrections", description: "Operator changes committed, by action (correction, undo, release)");
        _conflicts = meter.CreateCounter<long>("scorefeed.ingest.corrections.conflicts", description: "Operator changes refused because the match's seq was not the expected one (409)");
        _pinsCleared = meter.CreateCounter<long>("scorefeed.ingest.pins.cleared", description: "Pins that cleared themselves because the feed reported the pinned value");
        _authFailures = meter.CreateCounter<long>("scorefeed.ingest.auth.failures", description: "Operator sign-ins refused, by reason (credentials, rate-limited)");
        _applyDuration = meter.CreateHistogram<double>("scorefeed.ingest.apply.duration", unit: "s", description: "Read, apply and publish of one change",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

        _feedPolls = meter.CreateCounter<long>("scorefeed.ingest.feed.polls", description: "Requests to feed providers, by provider and outcome (ok, not-modified, failed)");
        _feedRejected = meter.CreateCounter<long>("scorefeed.ingest.feed.rejected", description: "Payloads and items rejected, by provider and reason");
        _feedSwitches = meter.CreateCounter<long>("scorefeed.ingest.feed.switches", description: "Matches that changed the provider they follow (failover and back), by from and to");
        _leasesAcquired = meter.CreateCounter<long>("scorefeed.ingest.feed.lease.acquired", description: "Provider leases this process took");
        _reissued = meter.CreateCounter<long>("scorefeed.ingest.store.reissued", description: "Matches this process moved to a new epoch after Redis restarted or failed over (the rewind rule)");
        meter.CreateObservableGauge("scorefeed.ingest.feed.last_success", () => Each(feeds, p => p.LastSuccessMs / 1000.0), unit: "s",
            description: "Time of the provider's last successful poll (Unix seconds; 0 if none)");
        meter.CreateObservableGauge("scorefeed.ingest.feed.consecutive_failures", () => Each(feeds, p => (double)p.ConsecutiveFailures),
            description: "Failed polls of the provider in a row");
        meter.CreateObservableGauge("scorefeed.ingest.feed.circuit", () => Each(feeds, p => (double)(int)p.Circuit),
            description: "The provider's circuit: 0 closed, 1 open, 2 half-open");
        meter.CreateObservableGauge("scorefeed.ingest.feed.lease.held", () => Each(feeds, p => p.Holding ? 1.0 : 0.0),
            description: "1 while this process holds the provider's lease (polls it)");
    }

    public void Change(ApplyOutcome outcome, string source) => _changes.Add(1,
        new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()),
        new KeyValuePair<string, object?>("source", source));

    public void Published() => _published.Add(1);

    public void Reissued(int matches) => _reissued.Add(matches);

    public void PublishFailed() => _publishFailures.Add(1);

    public void PublishedLate() => _publishedLate.Add(1);

    public void PublishDropped() => _publishDropped.Add(1);

    /// <summary>The gauge of updates waiting to be published.</summary>
    public void ObservePending(Func<int> pending) =>
        _meter.CreateObservableGauge("scorefeed.ingest.publish.pending", pending, description: "Committed updates waiting to be published (Redis unavailable)");

    public void StepSkipped() => _stepsSkipped.Add(1);

    public void Correction(string action) => _corrections.Add(1, new KeyValuePair<string, object?>("action", action));

    public void CorrectionConflict() => _conflicts.Add(1);

    public void PinsCleared(int count) => _pinsCleared.Add(count);

    public void AuthFailure(string reason) => _authFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ApplyDuration(TimeSpan elapsed) => _applyDuration.Record(elapsed.TotalSeconds);

    public void FeedPolled(string provider, string outcome) => _feedPolls.Add(1,
        new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome));

    public void FeedRejected(string provider, string reason) => _feedRejected.Add(1,
        new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("reason", reason));

    public void FeedSwitched(string from, string to) => _feedSwitches.Add(1,
        new KeyValuePair<string, object?>("from", from), new KeyValuePair<string, object?>("to", to));

    public void LeaseAcquired(string provider) => _leasesAcquired.Add(1, new KeyValuePair<string, object?>("provider", provider));

    private static IEnumerable<Measurement<double>> Each(FeedHealth feeds, Func<ProviderHealth, double> value) =>
        feeds.All.Select(p => new Measurement<double>(value(p), new KeyValuePair<string, object?>("provider", p.Name)));
}
