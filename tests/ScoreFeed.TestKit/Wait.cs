using System.Diagnostics;

namespace ScoreFeed.Testing;

/// <summary>Polls a condition until it holds or a deadline passes; never a fixed sleep standing in for a condition.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.");
            }
            await Task.Delay(20);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Polls GET <paramref name="url"/> until it answers with a success status; a refused or timed-out request is
    /// "not yet". <paramref name="check"/> runs before each try and may throw (e.g. the app under test exited).
    /// </summary>
    public static async Task UntilAnswersAsync(Uri url, TimeSpan timeout, string what, Action? check = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await UntilAsync(async () =>
        {
            check?.Invoke();
            try
            {
                return (await http.GetAsync(url)).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, timeout, what);
    }

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));

    public static Task Within(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
}
