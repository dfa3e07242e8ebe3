namespace ScoreFeed.Testing;

/// <summary>
/// Every operation of the read API (hubs) and the operator API (ingest), with the status codes it answers, as
/// docs/wire-contract.md describes them. The unit tests hold the apps' mapped endpoints to this list, the end-to-end
/// tests the served OpenAPI documents: an endpoint or an answer added in one place and not the others fails a test.
/// </summary>
internal static class ApiOperations
{
    public sealed record Operation(string Method, string Path, params int[] Codes)
    {
        public string Key => $"{Method} {Path}";
    }

    public static readonly IReadOnlyList<Operation> Read =
    [
        new("GET", "/api/v1/matches", 200, 400),
        new("GET", "/api/v1/matches/{id}", 200, 400, 404),
        new("GET", "/api/v1/competitions/{id}/standings", 200, 400, 404),
        new("POST", "/api/v1/partners/{key}/tokens", 200, 400, 401),
        new("GET", "/api/v1/partners/{key}/usage", 200, 400, 401),
    ];

    public static readonly IReadOnlyList<Operation> Operator =
    [
        new("POST", "/api/v1/auth/token", 200, 400, 401, 429, 503),
        new("POST", "/api/v1/matches/{id}/corrections", 200, 400, 401, 403, 404, 409),
        new("GET", "/api/v1/matches/{id}/pins", 200, 400, 401, 403, 404),
        new("DELETE", "/api/v1/matches/{id}/pins", 200, 400, 401, 403, 404, 409),
        new("DELETE", "/api/v1/matches/{id}/pins/{field}", 200, 400, 401, 403, 404, 409),
        new("GET", "/api/v1/matches/{id}/audit", 200, 400, 401, 403, 404),
        new("POST", "/api/v1/matches/{id}/audit/{entryId}/undo", 200, 400, 401, 403, 404, 409),
    ];

    /// <summary>Operations that need a bearer token (all of the operator API but sign-in).</summary>
    public static bool NeedsToken(Operation operation) => operation.Path.StartsWith("/api/v1/matches/", StringComparison.Ordinal) && Operator.Contains(operation);
}
