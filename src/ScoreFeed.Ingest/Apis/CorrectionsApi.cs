using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.JsonWebTokens;
using ScoreFeed.ApiDocs;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Redis;

namespace ScoreFeed.Ingest.Apis;

/// <summary>
/// The operator API on ingest (docs/wire-contract.md, "Operator API"): corrections, pins, the audit and undo.
/// Writes need the <c>operator</c> role, reads <c>viewer</c> or <c>operator</c>; without a valid token, 401.
/// </summary>
internal static partial class CorrectionsApi
{
    public static IEndpointRouteBuilder MapCorrectionsApi(this IEndpointRouteBuilder app)
    {
        var match = app.MapGroup("/api/v1/matches/{id}").RequireCors(OperatorsRegistration.CorsPolicyName).WithTags("Corrections");
        match.MapPost("/corrections", CorrectAsync).RequireAuthorization(OperatorRoles.Operator)
            .Documented("CorrectMatch", "Correct a match", "Scores, status, period, clock or one incident; the fields set are pinned. " + ChangeNote)
            .Changes<CorrectionRequest>();
        match.MapGet("/pins", GetPinsAsync).RequireAuthorization(OperatorRoles.Viewer)
            .Documented("GetPins", "Get a match's pins", "The match as operators see it: its state and its pins (\"feed says\").");
        match.MapDelete("/pins", ReleaseAllAsync).RequireAuthorization(OperatorRoles.Operator)
            .Documented("ReleaseAllPins", "Release every pin", "Each field takes the feed's value at once. " + ChangeNote)
            .Changes();
        match.MapDelete("/pins/{field}", ReleaseAsync).RequireAuthorization(OperatorRoles.Operator)
            .Documented("ReleasePin", "Release one pin", "field: home, away, status, period, clock or incident:{id}; it takes the feed's value at once. " + ChangeNote)
            .Changes();
        match.MapGet("/audit", GetAuditAsync).RequireAuthorization(OperatorRoles.Viewer)
            .Documented("GetAudit", "Get a match's audit", "The match's append-only audit, oldest first.");
        match.MapPost("/audit/{entryId}/undo", UndoAsync).RequireAuthorization(OperatorRoles.Operator)
            .Documented("UndoAuditEntry", "Undo an audit entry", "Sets the entry's fields back to their values before it, as a new correction. " + ChangeNote)
            .Changes<UndoRequest>();
        return app;
    }

    private const string ChangeNote = "One change through the same atomic step as feed updates: the next seq, an update with " +
        "source \"operator\" to every fan, an audit entry. With expectedSeq, a match no longer at that seq answers 409 with the " +
        "current state and pins as members of the problem, and nothing changes.";

    /// <summary>
    /// The OpenAPI metadata every route here shares: its name and summary, 400 with errors naming the field, 401 and 403
    /// (problem+json from UseStatusCodePages), 404. Handlers that return <c>IResult</c> say nothing the generator sees.
    /// </summary>
    private static RouteHandlerBuilder Documented(this RouteHandlerBuilder endpoint, string name, string summary, string description) => endpoint
        .WithName(name)
        .WithSummary(summary)
        .WithDescription(description)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>A change: answers the match and its pins, or 409 (with the current <c>state</c> and <c>pins</c>) when <c>expectedSeq</c> is stale.</summary>
    private static RouteHandlerBuilder Changes(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<OperatorMatch>()
        .Produces<ConflictProblem>(StatusCodes.Status409Conflict, ConflictProblem.ContentType);

    private static RouteHandlerBuilder Changes<TBody>(this RouteHandlerBuilder endpoint) => endpoint
        .WithJsonBody<TBody>()
        .Changes();

    private static async Task<IResult> CorrectAsync(string id, HttpRequest http, ClaimsPrincipal user, CorrectionService corrections)
    {
        if (ApiProblems.InvalidId(id) is { } invalidId)
        {
            return invalidId;
        }
        var (request, problem) = await ApiProblems.ReadAsync(http, ScoreFeedJsonContext.Default.CorrectionRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (CorrectionRequests.Validate(request!) is var (field, detail))
        {
            return ApiProblems.Invalid(field, detail);
        }
        return ToResult(await corrections.CorrectAsync(id, request!, NameOf(user), http.HttpContext.RequestAborted));
    }

    private static async Task<IResult> UndoAsync(string id, string entryId, HttpRequest http, ClaimsPrincipal user, CorrectionService corrections)
    {
        if (ApiProblems.InvalidId(id) is { } invalidId)
        {
            return invalidId;
        }
        if (!AuditEntryId().IsMatch(entryId))
        {
            return ApiProblems.Invalid("entryId", "is not an audit entry id (e.g. 1795633447622-0)");
        }
        var (request, problem) = await ApiProblems.ReadAsync(http, ScoreFeedJsonContext.Default.UndoRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (CorrectionRequests.ValidateReason(request!.Reason) is { } reason)
        {
            return ApiProblems.Invalid("reason", reason);
        }
        return ToResult(await corrections.UndoAsync(id, entryId, request, NameOf(user), http.HttpContext.RequestAborted));
    }

    private static Task<IResult> ReleaseAllAsync(string id, ClaimsPrincipal user, CorrectionService corrections,
        CancellationToken cancellationToken, long? expectedSeq = null, string? reason = null) =>
        ReleaseAsync(id, null, user, corrections, cancellationToken, expectedSeq, reason);

    private static async Task<IResult> ReleaseAsync(string id, string? field, ClaimsPrincipal user, CorrectionService corrections,
        CancellationToken cancellationToken, long? expectedSeq = null, string? reason = null)
    {
        if (ApiProblems.InvalidId(id) is { } invalidId)
        {
            return invalidId;
        }
        if (field is not null && !MatchFields.IsValid(field))
        {
            return ApiProblems.Invalid("field", $"must be one of {string.Join(", ", MatchFields.Scalars)} or {MatchFields.IncidentPrefix}{{incidentId}}");
        }
        if (reason is not null && CorrectionRequests.ValidateReason(reason) is { } invalidReason)
        {
            return ApiProblems.Invalid("reason", invalidReason);
        }
        return ToResult(await corrections.ReleaseAsync(id, field, expectedSeq, NameOf(user), reason ?? "pin released", cancellationToken));
    }

    private static async Task<Results<Ok<OperatorMatch>, ProblemHttpResult>> GetPinsAsync(string id, CorrectionService corrections)
    {
        if (ApiProblems.InvalidId(id) is { } invalidId)
        {
            return invalidId;
        }
        return await corrections.GetAsync(id) is { } match ? TypedResults.Ok(match) : ApiProblems.NotFound($"No match '{id}'.");
    }

    private static async Task<Results<Ok<AuditLog>, ProblemHttpResult>> GetAuditAsync(string id, MatchStore store)
    {
        if (ApiProblems.InvalidId(id) is { } invalidId)
        {
            return invalidId;
        }
        var entries = await store.ReadAuditAsync(id);
        if (entries.Count == 0 && await store.GetAsync(id) is null)
        {
            return ApiProblems.NotFound($"No match '{id}'.");
        }
        return TypedResults.Ok(new AuditLog { MatchId = id, Entries = entries });
    }

    private static IResult ToResult(CorrectionOutcome outcome) => outcome.Status switch
    {
        CorrectionStatus.Applied or CorrectionStatus.Unchanged => TypedResults.Ok(outcome.Match),
        CorrectionStatus.NotFound => ApiProblems.NotFound(outcome.Detail!),
        CorrectionStatus.Invalid => ApiProblems.Invalid(outcome.Field!, outcome.Detail!),
        _ => TypedResults.Json(new ConflictProblem { Detail = outcome.Detail, State = outcome.Match?.State, Pins = outcome.Match?.Pins },
            ScoreFeedJsonContext.Default.ConflictProblem, ConflictProblem.ContentType, StatusCodes.Status409Conflict),
    };

    /// <summary>The operator's name for the audit: the name claim, else the subject (an external issuer may omit the name).</summary>
    private static string NameOf(ClaimsPrincipal user) =>
        user.Identity?.Name ?? user.FindFirstValue(JwtRegisteredClaimNames.Sub) ?? "unknown";

    [GeneratedRegex(@"^[0-9]{1,20}-[0-9]{1,20}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AuditEntryId();
}
