using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.EndToEndTests;

/// <summary>Operator sign-in and who may do what, against a real ingest process.</summary>
[Collection(OperatorCollection.Name)]
public sealed class OperatorAuthTests(OperatorCluster cluster)
{
    /// <summary>Every operator route: method, path, whether it writes (operator) or reads (viewer too).</summary>
    public static TheoryData<string, string, bool> Routes => new()
    {
        { "POST", "/api/v1/matches/{0}/corrections", true },
        { "DELETE", "/api/v1/matches/{0}/pins", true },
        { "DELETE", "/api/v1/matches/{0}/pins/home", true },
        { "POST", "/api/v1/matches/{0}/audit/1-0/undo", true },
        { "GET", "/api/v1/matches/{0}/pins", false },
        { "GET", "/api/v1/matches/{0}/audit", false },
    };

    [Fact]
    public async Task A_token_is_issued_for_the_right_password_and_refused_with_problem_json_otherwise()
    {
        var before = DateTimeOffset.UtcNow;
        using var ok = await cluster.SendAsync(HttpMethod.Post, "/api/v1/auth/token", null, """{ "username": "operator", "password": "local operator password" }""");
        using var wrong = await cluster.SendAsync(HttpMethod.Post, "/api/v1/auth/token", null, """{ "username": "viewer", "password": "not it" }""");
        using var unknown = await cluster.SendAsync(HttpMethod.Post, "/api/v1/auth/token", null, """{ "username": "nobody", "password": "x" }""");
        using var missing = await cluster.SendAsync(HttpMethod.Post, "/api/v1/auth/token", null, """{ "username": "operator" }""");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        var token = new JsonWebToken(body.RootElement.GetProperty("accessToken").GetString());
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(body.RootElement.GetProperty("expiresAt").GetInt64());
        Assert.InRange(expiresAt, before.AddMinutes(29), before.AddMinutes(31));
        Assert.Equal("operator", token.GetClaim("name").Value);
        Assert.Equal("operator", token.GetClaim("role").Value);
        Assert.Equal(SecurityAlgorithms.HmacSha256, token.Alg);
        foreach (var refused in new[] { wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Wrong user name or password", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("\"password\"", await missing.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/v1/auth/token", "POST")]
    [InlineData("/api/v1/matches/m1/corrections", "POST")]
    [InlineData("/api/v1/matches/m1/pins/home", "DELETE")]
    [InlineData("/api/v1/matches/m1/audit", "GET")]
    public async Task The_operator_console_s_origin_may_call_the_api_from_a_browser_and_no_other_origin(string path, string method)
    {
        // The cluster's ingest allows the local web app (Operators:CorsOrigins).
        var console = await PreflightAsync(path, method, OperatorCluster.ConsoleOrigin);
        var other = await PreflightAsync(path, method, "http://evil.example");

        Assert.Equal(HttpStatusCode.NoContent, console.StatusCode);
        Assert.Equal(OperatorCluster.ConsoleOrigin, console.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", console.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(console.Headers.Contains("Access-Control-Allow-Credentials"), "tokens travel in a header, never with cookies");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

        // The actual request's answer (here a 401 without a token) is readable by the console, not by another origin.
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Origin", OperatorCluster.ConsoleOrigin);
        using var answer = await cluster.Http.SendAsync(request);
        Assert.Equal(OperatorCluster.ConsoleOrigin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        console.Dispose();
        other.Dispose();
    }

    private async Task<HttpResponseMessage> PreflightAsync(string path, string method, string origin)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, path);
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", method);
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await cluster.Http.SendAsync(preflight);
    }

    [Fact]
    public async Task An_account_made_with_the_hash_password_command_signs_in()
    {
        var token = new JsonWebToken(await cluster.TokenAsync("chief"));

        Assert.Equal("chief", token.GetClaim("name").Value);
        Assert.Equal("operator", token.GetClaim("role").Value);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_operator_route_answers_401_without_a_valid_token_and_403_to_the_wrong_role(string method, string path, bool writes)
    {
        var matchId = "auth-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Feed.CreateMatchAsync(matchId);
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, path, matchId);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "scorefeed-ingest",
            Audience = "scorefeed-operators",
            Claims = new Dictionary<string, object> { ["name"] = "mallory", ["role"] = "operator" },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256),
        });

        async Task<HttpStatusCode> StatusAsync(string? token)
        {
            using var response = await cluster.SendAsync(new HttpMethod(method), url, token, method == "GET" ? null : """{ "reason": "matrix" }""");
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(forged));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(await cluster.TokenAsync("guest")));
        var asViewer = await StatusAsync(await cluster.TokenAsync("viewer"));
        Assert.Equal(writes ? HttpStatusCode.Forbidden : HttpStatusCode.OK, asViewer);
        var asOperator = await StatusAsync(await cluster.TokenAsync("operator"));
        Assert.NotEqual(HttpStatusCode.Unauthorized, asOperator);
        Assert.NotEqual(HttpStatusCode.Forbidden, asOperator);
    }

    [Fact]
    public async Task Failed_sign_ins_refuse_the_guessing_address_but_never_lock_the_operator_out_nor_tell_which_names_exist()
    {
        await using var ingest = await cluster.StartIngestAsync(new Dictionary<string, string>
        {
            // Each request says which client it is (X-Forwarded-For), as behind the production proxy.
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["Operators:FailuresPerUser"] = "3",
            ["Operators:FailuresPerAddress"] = "5",
            ["Operators:FailuresPerUserEverywhere"] = "6",
            ["Operators:SlowSignInDelay"] = "00:00:01.500",
            ["Operators:FailureWindow"] = "00:10:00",
            ["Operators:Accounts:alice:PasswordHash"] = ScoreFeed.Ingest.Operators.OperatorAccounts.Hash("alice's"),
            ["Operators:Accounts:alice:Roles:0"] = "operator",
        });
        using var http = new HttpClient { BaseAddress = ingest.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        async Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string? Type, TimeSpan Took)> SignInAsync(string from, string user, string password)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
            {
                Content = new StringContent($$"""{ "username": "{{user}}", "password": "{{password}}" }""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Forwarded-For", from);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType, watch.Elapsed);
        }

        // A guesser at 203.0.113.7 fails three times for alice and three times for a name that has no account.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("203.0.113.7", "alice", "guess " + i)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("203.0.113.8", "mallory", "guess " + i)).Status);
        }
        // Refused at the guesser's address, alike for the known and the unknown name (nothing tells them apart)...
        var alice = await SignInAsync("203.0.113.7", "alice", "alice's");
        var mallory = await SignInAsync("203.0.113.8", "mallory", "guess");
        Assert.Equal((HttpStatusCode.TooManyRequests, "application/problem+json"), (alice.Status, alice.Type));
        Assert.Equal((HttpStatusCode.TooManyRequests, "application/problem+json"), (mallory.Status, mallory.Type));
        Assert.InRange(alice.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.NotNull(mallory.RetryAfter);

        // ... while alice at her own address signs in.
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("198.51.100.1", "alice", "alice's")).Status);

        // Guessing alice from many addresses slows every sign-in for her name (6 failures everywhere), never refuses it.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync($"192.0.2.{i + 1}", "alice", "guess")).Status);
        }
        var slowed = await SignInAsync("198.51.100.1", "alice", "alice's");
        Assert.Equal(HttpStatusCode.OK, slowed.Status);
        Assert.True(slowed.Took >= TimeSpan.FromSeconds(1.4), $"the sign-in took {slowed.Took.TotalMilliseconds:F0} ms; a name under attack waits 1.5 s");

        // One address is refused after FailuresPerAddress failures, whatever the names.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("203.0.113.9", "user" + i, "guess")).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync("203.0.113.9", "alice", "alice's")).Status);
    }
}
