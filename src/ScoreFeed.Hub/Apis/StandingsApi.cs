using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Redis;

namespace ScoreFeed.Hub.Apis;

/// <summary>
/// <c>GET /api/v1/competitions/{id}/standings</c>: the competition's standings document (its table in <c>table</c>, with
/// the epoch and seq a client continues from on the <c>standings:{id}</c> topic).
/// </summary>
internal static class StandingsApi
{
    public static IEndpointRouteBuilder MapStandingsApi(this IEndpointRouteBuilder app)
    {
        var cache = app.ServiceProvider.GetRequiredService<IOptions<ScoresHubOptions>>().Value.ReadApiCache;
        app.MapGroup("/api/v1/competitions").CacheOutput(new ReadApiCache(cache)).WithTags("Standings")
            .MapGet("/{id}/standings", GetAsync)
            .WithName("GetStandings")
            .WithSummary("Get a competition's live table")
            .WithDescription("The standings document of a football or basketball competition: its table in `table` (its sport in `sport`), " +
                "with the epoch and seq to Subscribe to standings:{id} from. 404 for a competition with no table (unknown, or no football or basketball match).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<MatchState>, ProblemHttpResult>> GetAsync(MatchStore store, [System.ComponentModel.Description("The competition's id.")] string id)
    {
        if (!Ids.IsValid(id))
        {
            var detail = $"Invalid competition id '{Ids.Describe(id)}'; ids match {Ids.Pattern}.";
            return TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["id"] = [detail] } });
        }
        var standings = await store.GetAsync(StandingsDocument.IdFor(id));
        return standings is null
            ? TypedResults.Problem(title: "No standings", detail: $"Competition '{id}' has no table (unknown, or no football or basketball match yet).", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(standings);
    }
}
