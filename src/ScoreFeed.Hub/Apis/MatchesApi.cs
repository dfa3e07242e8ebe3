using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Redis;

namespace ScoreFeed.Hub.Apis;

/// <summary>The read API every hub serves: <c>GET /api/v1/matches</c> and <c>GET /api/v1/matches/{id}</c>.</summary>
internal static class MatchesApi
{
    /// <summary>Without filters the list covers matches starting from two days ago to a week ahead.</summary>
    private static readonly TimeSpan Behind = TimeSpan.FromDays(2);
    private static readonly TimeSpan Ahead = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapMatchesApi(this IEndpointRouteBuilder app)
    {
        var cache = app.ServiceProvider.GetRequiredService<IOptions<ScoresHubOptions>>().Value.ReadApiCache;
        var api = app.MapGroup("/api/v1/matches").CacheOutput(new ReadApiCache(cache)).WithTags("Matches");
        // problem+json answers (TypedResults.Problem) carry no type the generator sees: said here for the OpenAPI document.
        api.MapGet("/", ListAsync)
            .WithName("ListMatches")
            .WithSummary("List matches")
            .WithDescription("Matches by start time: without filters from two days ago to a week ahead. " +
                "status=live or paused reads the live index; competition reads that competition's index. " +
                "Each match carries its epoch and seq: Subscribe with them to go live from this answer.")
            .ProducesValidationProblem();
        api.MapGet("/{id}", GetAsync)
            .WithName("GetMatch")
            .WithSummary("Get a match")
            .WithDescription("One match's state, with its incidents.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<MatchList>, ProblemHttpResult>> ListAsync(
        MatchStore store, TimeProvider time,
        [Description("Only matches with this status: scheduled, live, paused, final, postponed or cancelled.")] string? status = null,
        [Description("Only the matches of this competition (an id).")] string? competition = null)
    {
        if (status is not null && !MatchStatus.IsValid(status))
        {
            return Problem("status", $"Unknown status '{Ids.Describe(status)}'; expected one of {string.Join(", ", MatchStatus.All)}.");
        }
        if (competition is not null && !Ids.IsValid(competition))
        {
            return Problem("competition", $"Invalid competition id '{Ids.Describe(competition)}'; ids match {Ids.Pattern}.");
        }
        var now = time.GetUtcNow();
        IReadOnlyList<string> ids = competition is not null
            ? await store.CompetitionMatchIdsAsync(competition)
            : MatchStatus.IsInPlay(status)
                ? await store.LiveMatchIdsAsync()
                : await store.MatchIdsAsync((now - Behind).ToUnixTimeMilliseconds(), (now + Ahead).ToUnixTimeMilliseconds());
        var matches = await store.GetManyAsync(ids);
        return TypedResults.Ok(new MatchList
        {
            Matches = [.. matches.Where(m => status is null || m.Status == status).OrderBy(m => m.StartsAt).ThenBy(m => m.MatchId, StringComparer.Ordinal)],
        });
    }

    private static async Task<Results<Ok<MatchState>, ProblemHttpResult>> GetAsync(MatchStore store, [Description("The match's id.")] string id)
    {
        if (!Ids.IsValid(id))
        {
            return Problem("id", $"Invalid match id '{Ids.Describe(id)}'; ids match {Ids.Pattern}.");
        }
        var match = await store.GetAsync(id);
        return match is null
            ? TypedResults.Problem(title: "Unknown match", detail: $"No match '{id}'.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(match);
    }

    private static ProblemHttpResult Problem(string field, string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
}
