using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScoreFeed.Ingest.Feeds.Replay;

/// <summary>One recorded response: a line of a recording (JSON lines).</summary>
internal sealed record FeedRecording
{
    /// <summary>When it arrived, ms since the Unix epoch.</summary>
    public long At { get; init; }
    public string Provider { get; init; } = "";
    public string Path { get; init; } = "";
    public int Status { get; init; }
    /// <summary>The response's Date header (ms), which versions some formats.</summary>
    public long? Date { get; init; }
    public string? ContentType { get; init; }
    /// <summary>The body as UTF-8 text (bytes that are not UTF-8 become U+FFFD).</summary>
    public string Body { get; init; } = "";

    public FeedResponse ToResponse() => new(Path, Status, Encoding.UTF8.GetBytes(Body), ContentType,
        Date is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null, DateTimeOffset.FromUnixTimeMilliseconds(At));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FeedRecording))]
internal sealed partial class FeedRecordingJsonContext : JsonSerializerContext;

/// <summary>
/// Writes every response of a provider (status, Date, content type, body) as a line of
/// <c>{RecordTo}/{provider}-{start}-{pid}.jsonl</c>, for replaying a day, a demo or an incident later.
/// </summary>
internal sealed class FeedRecorder(string directory, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _stamp = $"{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}";

    public async Task WriteAsync(string provider, FeedResponse response)
    {
        var line = JsonSerializer.Serialize(new FeedRecording
        {
            At = response.ReceivedAt.ToUnixTimeMilliseconds(),
            Provider = provider,
            Path = response.PathAndQuery,
            Status = response.Status,
            Date = response.Date?.ToUnixTimeMilliseconds(),
            ContentType = response.ContentType,
            Body = Encoding.UTF8.GetString(response.Body),
        }, FeedRecordingJsonContext.Default.FeedRecording);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(directory);
            await File.AppendAllTextAsync(Path.Combine(directory, $"{provider}-{_stamp}.jsonl"), line + "\n").ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
