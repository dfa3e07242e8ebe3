namespace ScoreFeed.Hub.Transport;

/// <summary>
/// A connection's way out for updates, set as a connection feature by whichever transport accepted it: the
/// <see cref="SocketWriter"/> when the hub holds the socket, the <see cref="GuardedWriter"/> on every other transport.
/// <see cref="Fanout.UpdateFanout"/> writes each update to it.
/// </summary>
internal interface IFrameSink
{
    /// <summary>
    /// Queues a complete frame in the connection's protocol. Never waits for the socket; the sink bounds what it
    /// holds. <paramref name="frame"/> is shared by every connection of the protocol and must not be changed.
    /// </summary>
    void Write(ReadOnlyMemory<byte> frame);
}
