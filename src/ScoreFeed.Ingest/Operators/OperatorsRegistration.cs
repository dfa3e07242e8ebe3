using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ScoreFeed.Partners;

namespace ScoreFeed.Ingest.Operators;

internal static class OperatorsRegistration
{
    /// <summary>The CORS policy of the operator API: the operator console's origins (<see cref="OperatorOptions.CorsOrigins"/>).</summary>
    public const string CorsPolicyName = "operator-console";

    /// <summary>
    /// Operator sign-in (accounts, tokens, failure limits), JwtBearer for the operator routes with the policies
    /// <c>operator</c> and <c>viewer</c>, and corrections.
    /// </summary>
    public static IHostApplicationBuilder AddOperators(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment() && !string.IsNullOrEmpty(builder.Configuration[OperatorOptions.PasswordVariable]))
        {
            // A password in the environment, hashed at start, with a well-known name: for a developer's machine only.
            throw new OptionsValidationException(OperatorOptions.PasswordVariable, typeof(OperatorOptions),
            [
                $"{OperatorOptions.PasswordVariable} is set, but it signs in '{OperatorOptions.LocalOperatorName}' only in Development " +
                $"(this is {builder.Environment.EnvironmentName}): unset it and give each operator an account, " +
                "Operators__Accounts__NAME__PasswordHash (from 'dotnet ScoreFeed.Ingest.dll hash-password NAME') and Operators__Accounts__NAME__Roles__0",
            ]);
        }
        builder.Services.AddValidatedOptions<OperatorOptions>(OperatorOptions.Section);
        builder.Services.AddSingleton<OperatorAccounts>();
        builder.Services.AddSingleton<OperatorTokens>();
        builder.Services.AddSingleton<SignInLimiter>();
        builder.Services.AddSingleton<CorrectionService>();

        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>()
            .Configure<IOptions<OperatorOptions>>((cors, operators) => cors.AddPolicy(CorsPolicyName, ConsolePolicy(operators.Value.CorsOrigins)));

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<OperatorOptions>>((jwt, operators) => ConfigureJwtBearer(jwt, operators.Value));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OperatorRoles.Operator, policy => policy.RequireRole(OperatorRoles.Operator))
            .AddPolicy(OperatorRoles.Viewer, policy => policy.RequireRole(OperatorRoles.Viewer, OperatorRoles.Operator));
        return builder;
    }

    /// <summary>Problem+json for every error without a body (401 and 403 included), then authentication.</summary>
    public static WebApplication UseOperators(this WebApplication app)
    {
        app.UseStatusCodePages();
        // Before authentication: a preflight carries no token, and a 401 must still tell the console what happened.
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// The browser's operator console on another origin: bearer tokens in the Authorization header, never cookies
    /// (no credentials mode), so another site cannot ride on a signed-in operator. Retry-After is readable (429).
    /// </summary>
    public static CorsPolicy ConsolePolicy(IEnumerable<string> origins) => new CorsPolicyBuilder()
        .WithOrigins([.. origins.Select(o => Origins.TryNormalize(o, out var normalized) ? normalized : null).OfType<string>().Distinct(StringComparer.Ordinal)])
        .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete)
        .WithHeaders("Authorization", "Content-Type")
        .WithExposedHeaders("Retry-After")
        .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
        .Build();

    private static void ConfigureJwtBearer(JwtBearerOptions jwt, OperatorOptions operators)
    {
        jwt.MapInboundClaims = false;
        var validation = jwt.TokenValidationParameters;
        validation.NameClaimType = operators.NameClaimType;
        validation.RoleClaimType = operators.RoleClaimType;
        validation.ValidAudience = operators.Audience;
        if (!string.IsNullOrEmpty(operators.Authority))
        {
            // An external OpenID Connect issuer: its discovery document gives the issuer and the signing keys.
            jwt.Authority = operators.Authority;
            return;
        }
        validation.ValidIssuer = operators.Issuer;
        validation.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        validation.ClockSkew = TimeSpan.FromSeconds(30);
        // Without a key no token validates: every operator route answers 401.
        validation.IssuerSigningKey = operators.SigningKeyBytes() is { } key ? new SymmetricSecurityKey(key) : null;
    }
}
