using System.Diagnostics;
using StackExchange.Redis;

namespace ScoreFeed.EndToEndTests.Infrastructure;

/// <summary>A real redis-server on a free 127.0.0.1 port, without persistence, stopped on dispose.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static Task<RedisServer> StartAsync(params string[] extraArgs) => StartOnPortAsync(Ports.Free(), extraArgs);

    public static async Task<RedisServer> StartOnPortAsync(int port, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", .. extraArgs])
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh (it installs it) or apt-get install redis-server.", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port);
        await Wait.UntilAsync(async () =>
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return true;
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), $"redis-server on port {port}");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }
}
