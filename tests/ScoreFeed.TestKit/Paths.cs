namespace ScoreFeed.Testing;

internal static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Configuration the tests were built in (Debug/Release), read from our own output path.</summary>
    private static string Configuration =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)) is { Name: var framework, Parent: { } built }
        && framework.StartsWith("net", StringComparison.Ordinal)
            ? built.Name
            : "Debug";

    /// <summary>The built app, e.g. src/ScoreFeed.Hub/bin/Debug/net10.0/ScoreFeed.Hub.dll.</summary>
    public static string AppDll(string project) => AppDll(project, Configuration);

    /// <summary>The app built in <paramref name="configuration"/> (the benchmark runs Release).</summary>
    public static string AppDll(string project, string configuration)
    {
        var path = Path.Combine(RepoRoot, "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built at {path}; build the solution first.", path);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScoreFeed.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ScoreFeed.sln not found above " + AppContext.BaseDirectory);
    }
}
