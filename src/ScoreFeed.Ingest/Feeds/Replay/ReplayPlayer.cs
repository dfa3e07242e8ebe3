using System.Text.Json;
using Microsoft.Extensions.Options;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Feeds.Replay;

/// <summary>
/// The replay provider (<c>Ingest:Providers:Replay</c>): plays a recording back at <c>Speed</c> through the same
/// mapping, de-duplication and write path as the live provider that recorded it, under its own lease. Versions
/// are the recorded ones, so replay into a fresh store (or another <c>Store:KeyPrefix</c>): what a store already
/// holds in a newer version is dropped as stale.
/// </summary>
internal sealed class ReplayPlayer(
    IOptions<ReplayOptions> options,
    IEnumerable<IFeedFormat> formats,
    ProviderLease lease,
    FeedIngestor ingestor,
    ProviderHealth health,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    TimeProvider time,
    ILogger<ReplayPlayer> logger) : BackgroundService
{
    public const string ProviderName = "Replay";

    private readonly ReplayOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recordings = Read(_options.Path!);
        IngestLog.ReplayStarted(logger, _options.Path!, recordings.Count, _options.Speed);
        var leaseLoop = lease.RunAsync(stoppingToken);
        try
        {
            await lease.WaitUntilHeldAsync(stoppingToken).ConfigureAwait(false);
            var start = time.GetTimestamp();
            foreach (var recording in recordings)
            {
                var due = TimeSpan.FromMilliseconds((recording.At - recordings[0].At) / _options.Speed) - time.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, time, stoppingToken).ConfigureAwait(false);
                }
                await PlayAsync(recording, stoppingToken).ConfigureAwait(false);
            }
            IngestLog.ReplayFinished(logger, recordings.Count);
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false); // keep the lease: the replay is done, not to be restarted
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await leaseLoop.ConfigureAwait(false);
    }

    private async Task PlayAsync(FeedRecording recording, CancellationToken cancellationToken)
    {
        var format = formats.FirstOrDefault(f => f.Name.Equals(recording.Provider, StringComparison.OrdinalIgnoreCase));
        if (format is null || recording.Status != 200)
        {
            health.Failed(format is null ? $"unknown provider '{recording.Provider}'" : $"http-{recording.Status}");
            return;
        }
        try
        {
            var applied = await ingestor.ApplyAsync(ProviderName, format, recording.ToResponse(), cancellationToken).ConfigureAwait(false);
            if (applied.Broken is null)
            {
                health.Succeeded(time.GetUtcNow().ToUnixTimeMilliseconds());
            }
            else
            {
                health.Failed(applied.Broken.Reason);
            }
            await health.PublishAsync(redis, keys).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            IngestLog.ReplayRedisFailed(logger, e);
        }
    }

    private List<FeedRecording> Read(string path)
    {
        var recordings = new List<FeedRecording>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                recordings.Add(JsonSerializer.Deserialize(line, FeedRecordingJsonContext.Default.FeedRecording)!);
            }
            catch (JsonException e)
            {
                IngestLog.ReplayBadLine(logger, path, number, e.Message);
            }
        }
        return [.. recordings.OrderBy(r => r.At)];
    }
}
