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

internal sealed record MatchLookup(MatchState? State, bool IsNotFound)
{
    public static readonly MatchLookup NotFound = new(null, true);
    public static readonly MatchLookup Unavailable = new(null, false);
}
