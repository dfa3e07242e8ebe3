using System.Net;
using System.Net.Http.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Web.ReadApi;

/// <summary>The hubs' read API, for the server-rendered first paint (<c>{Web:HubBaseUrl}/api/v1/…</c>).</summary>
internal sealed class ReadApiClient(HttpClient http, ILogger<ReadApiClient> logger)
{
    /// <summary>Matches from two days ago to a week ahead (or one competition's); null when the hubs cannot be read.</summary>
    public async Task<IReadOnlyList<MatchState>?> MatchesAsync(string? competitionId, CancellationToken cancellationToken)
    {
        var path = competitionId is null ? "api/v1/matches" : $"api/v1/matches?competition={Uri.EscapeDataString(competitionId)}";
        try
        {
            var list = await http.GetFromJsonAsync(path, ScoreFeedJsonContext.Default.MatchList, cancellationToken);
            return list?.Matches ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            WebLog.ReadApiUnavailable(logger, e, path);
            return null;
        }
    }

    /// <summary>A partner's usage on a day (JSON, or CSV with <paramref name="csv"/>), read with its API secret.</summary>
    public async Task<UsageLookup> UsageAsync(string key, string secret, DateOnly day, bool csv, CancellationToken cancellationToken)
    {
        var path = $"api/v1/partners/{Uri.EscapeDataString(key)}/usage?day={day:yyyy-MM-dd}{(csv ? "&format=csv" : "")}";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new UsageLookup(null, null, (int)response.StatusCode);
            }
            return csv
                ? new UsageLookup(null, await response.Content.ReadAsStringAsync(cancellationToken), 200)
                : new UsageLookup(await response.Content.ReadFromJsonAsync(ScoreFeedJsonContext.Default.UsageDay, cancellationToken), null, 200);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            WebLog.ReadApiUnavailable(logger, e, path);
            return new UsageLookup(null, null, 0);
        }
    }

    /// <summary>One match: its state, or <see cref="MatchLookup.NotFound"/>, or <see cref="MatchLookup.Unavailable"/>.</summary>
    public Task<MatchLookup> MatchAsync(string matchId, CancellationToken cancellationToken) =>
        StateAsync($"api/v1/matches/{Uri.EscapeDataString(matchId)}", cancellationToken);

    /// <summary>A competition's standings document (its table in <c>table</c>), as <see cref="MatchAsync"/>.</summary>
    public Task<MatchLookup> StandingsAsync(string competitionId, CancellationToken cancellationToken) =>
        StateAsync($"api/v1/competitions/{Uri.EscapeDataString(competitionId)}/standings", cancellationToken);

    private async Task<MatchLookup> StateAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return MatchLookup.NotFound;
            }
            response.EnsureSuccessStatusCode();
            var state = await response.Content.ReadFromJsonAsync(ScoreFeedJsonContext.Default.MatchState, cancellationToken);
            return state is null ? MatchLookup.Unavailable : new MatchLookup(state, false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            WebLog.ReadApiUnavailable(logger, e, path);
            return MatchLookup.Unavailable;
        }
    }
}

/// <summary>A partner's usage day from a hub, or the HTTP status that refused it (401: key and secret do not match; 0: unreachable).</summary>
internal sealed record UsageLookup(UsageDay? Day, string? Csv, int Status);

internal sealed record MatchLookup(MatchState? State, bool IsNotFound)
{
    public static readonly MatchLookup NotFound = new(null, true);
    public static readonly MatchLookup Unavailable = new(null, false);
}
