using System.Globalization;
using ScoreFeed.ApiDocs;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Limits;

namespace ScoreFeed.Ingest.Apis;

/// <summary><c>POST /api/v1/auth/token</c>: an operator signs in with a user name and password for a short-lived bearer token.</summary>
internal static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).AllowAnonymous().RequireCors(OperatorsRegistration.CorsPolicyName)
            .WithTags("Sign-in")
            .WithName("IssueToken")
            .WithSummary("Sign in")
            .WithDescription("A user name and password for a short-lived bearer token (a JWT). After repeated failures, 429 with " +
                "Retry-After (seconds); 503 when this ingest issues no tokens (an external issuer does).")
            .WithJsonBody<TokenRequest>()
            .Produces<TokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> IssueTokenAsync(HttpContext context, OperatorAccounts accounts, OperatorTokens tokens,
        SignInLimiter limiter, IngestMetrics metrics, ILoggerFactory loggers)
    {
        var (request, problem) = await ApiProblems.ReadAsync(context.Request, ScoreFeedJsonContext.Default.TokenRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrEmpty(request!.Username) || request.Username.Length > 64)
        {
            return ApiProblems.Invalid("username", "is required (at most 64 characters)");
        }
        if (string.IsNullOrEmpty(request.Password))
        {
            return ApiProblems.Invalid("password", "is required");
        }
        if (!tokens.CanIssue)
        {
            return TypedResults.Problem(title: "Sign-in unavailable", statusCode: StatusCodes.Status503ServiceUnavailable,
                detail: "This ingest issues no tokens: Operators:SigningKey is not set, or tokens come from the issuer in Operators:Authority.");
        }

        var logger = loggers.CreateLogger(typeof(AuthApi).FullName!);
        var address = AddressKey.Of(context.Connection.RemoteIpAddress);
        if (limiter.RetryAfter(request.Username, address) is { } retryAfter)
        {
            metrics.AuthFailure("rate-limited");
            IngestLog.SignInRefused(logger, request.Username, address);
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many failed sign-ins", statusCode: StatusCodes.Status429TooManyRequests,
                detail: $"Too many failed sign-ins from this address; try again in {seconds} s.");
        }
        if (limiter.Delay(request.Username) is { Ticks: > 0 } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        if (accounts.Verify(request.Username, request.Password) is not { } account)
        {
            limiter.Failed(request.Username, address);
            metrics.AuthFailure("credentials");
            IngestLog.SignInFailed(logger, request.Username, address);
            return TypedResults.Problem(title: "Sign-in failed", detail: "Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized);
        }
        IngestLog.SignedIn(logger, account.Name, address);
        return TypedResults.Ok(tokens.Issue(account.Name, account.Roles));
    }
}
