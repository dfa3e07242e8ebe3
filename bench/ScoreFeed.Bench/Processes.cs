using System.Diagnostics;
using System.Globalization;

namespace ScoreFeed.Bench;

/// <summary>A child process of the benchmark, with its CPU time and memory read from /proc.</summary>
internal sealed class Child : IAsyncDisposable
{
    private static readonly double TickMs = 1000.0 / 100; // CLK_TCK is 100 on Linux x64

    private readonly Process _process;

    private Child(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public static Child Start(string name, string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("fail", StringComparison.OrdinalIgnoreCase) == true) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrEmpty(e.Data)) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Child(process, name);
    }

    /// <summary>User + system CPU time so far, in milliseconds, of the process and its children (nginx's workers).</summary>
    public double CpuMs() => Tree().Sum(pid =>
    {
        var fields = Stat(pid);
        // After "pid (comm) ", field 3 is index 0: utime is field 14 → index 11, stime field 15 → index 12.
        return fields is null ? 0 : (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * TickMs;
    });

    /// <summary>(current RSS, peak RSS) in MB, of the process and its children.</summary>
    public (double Rss, double Peak) MemoryMb()
    {
        double rss = 0, peak = 0;
        foreach (var pid in Tree())
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        rss += Kb(line) / 1024;
                    }
                    else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        peak += Kb(line) / 1024;
                    }
                }
            }
            catch (IOException)
            {
                // A child that ended meanwhile.
            }
        }
        return (rss, peak);
        static double Kb(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>This process and its direct children (a .NET app has none; nginx's master has its workers).</summary>
    private IEnumerable<int> Tree() =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid == Pid || (pid > 0 && Stat(pid) is { } f && f[1] == Pid.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The fields of /proc/{pid}/stat after "pid (comm) " (state is index 0, ppid 1), or null if it ended.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Kills the process and its children (SIGKILL) at once, as a crash would end it.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        _process.Dispose();
    }
}
