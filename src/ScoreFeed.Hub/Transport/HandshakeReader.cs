using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// Reads a new connection's first request head off its pipe, before HTTP/1.1 does, and takes it only when it is a hub
/// handshake (<see cref="HubUpgradeRequest"/>); anything else is left for HTTP/1.1, unread.
/// </summary>
internal static class HandshakeReader
{
    /// <summary>
    /// How long a new connection may take to send its first request head (Kestrel's own <c>RequestHeadersTimeout</c>
    /// for the heads HTTP/1.1 reads, also 10 s in appsettings.json). Past it the connection is closed, not handed to
    /// HTTP/1.1: that would start a second wait, and a client trickling a head would be held for both.
    /// </summary>
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The connection's first request head if it is a hub handshake, consumed; otherwise null with nothing consumed,
    /// for HTTP/1.1 to read (a head that came in pieces is handed over through a reader that returns it at once).
    /// </summary>
    public static async Task<HubUpgradeRequest?> ReadAsync(ConnectionContext transport)
    {
        var input = transport.Transport.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(transport.ConnectionClosed);
        timeout.CancelAfter(HeadTimeout);
        var examined = false;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // No whole head in time (or the connection closed): let it go; HTTP/1.1 then finds it closed.
                transport.Abort(new ConnectionAbortedException($"No whole request head within {HeadTimeout.TotalSeconds:F0} s."));
                return null;
            }
            var buffer = result.Buffer;
            var parse = HubUpgradeRequest.TryParse(buffer, out var request);
            if (parse == UpgradeParse.Ours)
            {
                input.AdvanceTo(buffer.GetPosition(request!.Length));
                return request;
            }
            if (parse == UpgradeParse.NeedMore && !result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                examined = true;
                continue;
            }
            if (examined)
            {
                // Once examined, these bytes would come back only with more: HTTP/1.1's first read gets this read's result.
                transport.Transport = new DuplexPipe(new ReplayingReader(input, result), transport.Transport.Output);
            }
            else
            {
                input.AdvanceTo(buffer.Start);
            }
            return null;
        }
    }

    /// <summary>
    /// The connection's input for HTTP/1.1 after <see cref="ReadAsync"/> examined a head it did not take: the first read
    /// returns <paramref name="pending"/>, the read that ended the hub's look (not advanced past).
    /// </summary>
    private sealed class ReplayingReader(PipeReader inner, ReadResult pending) : PipeReader
    {
        private bool _replayed;

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            TryReplay(out var result) ? new ValueTask<ReadResult>(result) : inner.ReadAsync(cancellationToken);

        public override bool TryRead(out ReadResult result) => TryReplay(out result) || inner.TryRead(out result);

        private bool TryReplay(out ReadResult result)
        {
            (result, var replay) = (pending, !_replayed);
            _replayed = true;
            return replay;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }
}
