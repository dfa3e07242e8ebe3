using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Operators;

namespace ScoreFeed.EndToEndTests.Infrastructure;

/// <summary>
/// The system as operators meet it: a real redis-server, two hub processes, an ingest process with the operator
/// API (simulator off; accounts from configuration, from the hash-password command and from
/// an account with its hash; a generated signing key), and an in-process ingest as the feed.
/// </summary>
public sealed class OperatorCluster : IAsyncLifetime
{
    /// <summary>The account <c>operator</c>.</summary>
    public const string OperatorPassword = "local operator password";
    /// <summary><c>chief</c>, an operator whose hash comes from <c>ScoreFeed.Ingest hash-password chief</c>.</summary>
    public const string ChiefPassword = "chief's password, from the command";
    public const string ViewerPassword = "viewer password";
    /// <summary><c>guest</c> has a role that is neither operator nor viewer.</summary>
    public const string GuestPassword = "guest password";

    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    internal RedisServer Redis { get; private set; } = null!;
    internal AppProcess HubA { get; private set; } = null!;
    internal AppProcess HubB { get; private set; } = null!;
    internal AppProcess Ingest { get; private set; } = null!;
    /// <summary>The feed: ingest's real write path (MatchUpdater.UpdateAsync), hosted in the test.</summary>
    internal InProcessIngest Feed { get; private set; } = null!;
    internal HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(15) };
    internal const string ConsoleOrigin = "http://127.0.0.1:5000";

    internal string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    internal Dictionary<string, string> Settings => new() { ["ConnectionStrings:redis"] = Redis.ConnectionString };

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        var chiefHash = HashPasswordAsync("chief", ChiefPassword);
        var hubs = new[] { AppProcess.StartAsync("ScoreFeed.Hub", Settings), AppProcess.StartAsync("ScoreFeed.Hub", Settings) };
        Ingest = await StartIngestAsync(new Dictionary<string, string>
        {
            // Production: an account with its hash (SCOREFEED_OPERATOR_PASSWORD is for Development only).
            [$"Operators:Accounts:{OperatorOptions.LocalOperatorName}:PasswordHash"] = OperatorAccounts.Hash(OperatorPassword),
            [$"Operators:Accounts:{OperatorOptions.LocalOperatorName}:Roles:0"] = OperatorRoles.Operator,
            ["Operators:Accounts:chief:PasswordHash"] = await chiefHash,
            ["Operators:Accounts:chief:Roles:0"] = OperatorRoles.Operator,
            ["Operators:Accounts:viewer:PasswordHash"] = OperatorAccounts.Hash(ViewerPassword),
            ["Operators:Accounts:viewer:Roles:0"] = OperatorRoles.Viewer,
            ["Operators:Accounts:guest:PasswordHash"] = OperatorAccounts.Hash(GuestPassword),
            ["Operators:Accounts:guest:Roles:0"] = "guest",
        });
        Http.BaseAddress = Ingest.BaseAddress;
        HubA = await hubs[0];
        HubB = await hubs[1];
        Feed = await InProcessIngest.StartAsync(Settings);
    }

    /// <summary>An ingest process with the operator API and these extra settings (simulator off).</summary>
    internal Task<AppProcess> StartIngestAsync(IDictionary<string, string> settings) =>
        AppProcess.StartAsync("ScoreFeed.Ingest", new Dictionary<string, string>(Settings)
        {
            ["Ingest:Simulator:Enabled"] = "false",
            ["Operators:SigningKey"] = SigningKey,
            // The operator console's origin: the local web app (OperatorAuthTests checks CORS against it).
            ["Operators:CorsOrigins:0"] = ConsoleOrigin,
        }.Concat(settings).ToDictionary());

    /// <summary>A bearer token for a user of the fixture (cached: tokens live 30 minutes).</summary>
    internal async Task<string> TokenAsync(string user)
    {
        if (_tokens.TryGetValue(user, out var cached))
        {
            return cached;
        }
        var password = user switch
        {
            "operator" => OperatorPassword,
            "chief" => ChiefPassword,
            "viewer" => ViewerPassword,
            "guest" => GuestPassword,
            _ => throw new ArgumentException($"No test account '{user}'.", nameof(user)),
        };
        using var response = await Http.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative), new TokenRequest { Username = user, Password = password }, ScoreFeedJsonContext.Default.TokenRequest);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync(ScoreFeedJsonContext.Default.TokenResponse))!.AccessToken;
        return _tokens[user] = token;
    }

    /// <summary>Sends a request to ingest with an optional bearer token and raw JSON body.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return await Http.SendAsync(request).Within();
    }

    /// <summary>Sends a correction of <paramref name="matchId"/> as <paramref name="user"/>.</summary>
    internal async Task<HttpResponseMessage> CorrectAsync(string matchId, string json, string user = "operator") =>
        await SendAsync(HttpMethod.Post, $"/api/v1/matches/{matchId}/corrections", await TokenAsync(user), json);

    internal static async Task<OperatorMatch> ReadMatchAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync(ScoreFeedJsonContext.Default.OperatorMatch))!;
    }

    internal async Task<AuditLog> AuditAsync(string matchId)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/v1/matches/{matchId}/audit", await TokenAsync("viewer"));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync(ScoreFeedJsonContext.Default.AuditLog))!;
    }

    internal async Task<OperatorMatch> PinsAsync(string matchId)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/v1/matches/{matchId}/pins", await TokenAsync("viewer"));
        return await ReadMatchAsync(response);
    }

    /// <summary>Runs <c>ScoreFeed.Ingest hash-password NAME</c> as README.md documents it, the password on standard input.</summary>
    internal static async Task<string> HashPasswordAsync(string name, string password)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[Paths.AppDll("ScoreFeed.Ingest"), HashPasswordCommand.Verb, name])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(password);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"hash-password exited with {process.ExitCode}: {await error}");
        }
        return (await output).Split('\n')[0].Trim();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Feed.DisposeAsync();
        await Ingest.DisposeAsync();
        await HubA.DisposeAsync();
        await HubB.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OperatorCollection : ICollectionFixture<OperatorCluster>
{
    public const string Name = "operators";
}
