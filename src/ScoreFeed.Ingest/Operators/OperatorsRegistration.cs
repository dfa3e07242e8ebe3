using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ScoreFeed.Ingest.Operators;

internal static class OperatorsRegistration
{
    /// <summary>
    /// Operator sign-in (accounts, tokens, failure limits), JwtBearer for the operator routes with the policies
    /// <c>operator</c> and <c>viewer</c>, and corrections.
    /// </summary>
    public static IHostApplicationBuilder AddOperators(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<OperatorOptions>(OperatorOptions.Section);
        builder.Services.AddSingleton<OperatorAccounts>();
        builder.Services.AddSingleton<OperatorTokens>();
        builder.Services.AddSingleton<SignInLimiter>();
        builder.Services.AddSingleton<CorrectionService>();

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
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

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
