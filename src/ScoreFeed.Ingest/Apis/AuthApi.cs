using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Limits;

namespace ScoreFeed.Ingest.Apis;

/// <summary><c>POST /api/v1/auth/token</c>: an operator signs in with a user name and password for a short-lived bearer token.</summary>
internal static partial class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).AllowAnonymous().RequireCors(OperatorsRegistration.CorsPolicyName);
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
            LogLimited(logger, request.Username, address);
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
            LogFailed(logger, request.Username, address);
            return TypedResults.Problem(title: "Sign-in failed", detail: "Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized);
        }
        LogSignedIn(logger, account.Name, address);
        return TypedResults.Ok(tokens.Issue(account.Name, account.Roles));
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Operator {User} signed in from {Address}")]
    private static partial void LogSignedIn(ILogger logger, string user, string address);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Failed sign-in for {User} from {Address}")]
    private static partial void LogFailed(ILogger logger, string user, string address);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Sign-in for {User} from {Address} refused: too many failures")]
    private static partial void LogLimited(ILogger logger, string user, string address);
}
