using System.Runtime.InteropServices;

namespace ScoreFeed.Testing;

/// <summary>POSIX signals to processes the tests started (what Kubernetes, Docker and an operator send).</summary>
internal static class Signals
{
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
