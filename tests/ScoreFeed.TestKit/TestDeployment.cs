using System.Security.Cryptography;

namespace ScoreFeed.Testing;

/// <summary>
/// The test apps run in Production (as deployed), but on 127.0.0.1 with a Redis without a password. So each gets
/// <c>Deployment:AllowLoopback=true</c> (the documented opt-out of the loopback part of the Production rule, which
/// also accepts a password-less Redis on loopback), and what Production requires that the test did not set itself:
/// the local web app's origin for the hub's site and ingest's operator console (what appsettings.json gave before it
/// lost its localhost defaults) and a random signing key. Settings a test gives win.
/// </summary>
internal static class TestDeployment
{
    public const string AllowLoopbackKey = "Deployment:AllowLoopback";

    private static readonly string[] LocalSite = ["http://127.0.0.1:5000", "http://localhost:5000"];

    public static Dictionary<string, string> With(string project, IDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(settings, StringComparer.OrdinalIgnoreCase);
        all.TryAdd(AllowLoopbackKey, "true");
        switch (project)
        {
            case "ScoreFeed.Hub":
                AddList(all, "Hub:SiteOrigins", LocalSite);
                break;
            case "ScoreFeed.Ingest":
                AddList(all, "Operators:CorsOrigins", LocalSite);
                if (!all.ContainsKey("Operators:SigningKey") && !all.ContainsKey("Operators:Authority"))
                {
                    all["Operators:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                }
                break;
        }
        return all;
    }

    private static void AddList(Dictionary<string, string> settings, string key, string[] values)
    {
        if (settings.Keys.Any(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }
        for (var i = 0; i < values.Length; i++)
        {
            settings[$"{key}:{i}"] = values[i];
        }
    }
}
