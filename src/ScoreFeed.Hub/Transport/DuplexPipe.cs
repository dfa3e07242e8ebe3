using System.IO.Pipelines;

namespace ScoreFeed.Hub.Transport;

/// <summary>A connection's two pipes as <see cref="Microsoft.AspNetCore.Connections.ConnectionContext.Transport"/> takes them.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input => input;

    public PipeWriter Output => output;
}
