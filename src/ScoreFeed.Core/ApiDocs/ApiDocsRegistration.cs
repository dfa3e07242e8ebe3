using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ScoreFeed.ApiDocs;

/// <summary>
/// The OpenAPI document of an app's HTTP API, generated from its endpoints at <c>/openapi/v1.json</c> in every
/// environment (it is the public contract, as docs/api.md says), and the Scalar API reference page at
/// <c>/scalar</c> in Development only.
/// </summary>
public static class ApiDocsRegistration
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";
    public const string BearerScheme = "bearer";

    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder, string title, string description)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = title, Version = "1.0.0", Description = description };
                // Served by one app behind many addresses (a balancer, the public origin): relative to where it is read.
                document.Servers = [];
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer(ContractSchemas.TransformAsync);
            options.AddOperationTransformer(SecureOperationAsync);
        });
        return builder;
    }

    /// <summary><c>/openapi/v1.json</c> always; the reference page only in Development.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(ReferencePath, options => options.WithTitle("ScoreFeed API reference")).AllowAnonymous();
        }
        return app;
    }

    /// <summary>
    /// Says, in the OpenAPI document only, that an endpoint reads a JSON body of <typeparamref name="T"/>. For handlers
    /// that read their body themselves (to name the field of a JSON error): <c>Accepts&lt;T&gt;</c> would also make
    /// routing answer another Content-Type with 415, where those handlers answer 400 naming <c>body</c>.
    /// </summary>
    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var document = context.Document!;
            var name = typeof(T).Name;
            document.AddComponent(name, await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken));
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(name, document) } },
            };
        });

    /// <summary>Operations that need a token name the bearer scheme (their 401 and 403 are said where they are mapped).</summary>
    private static Task SecureOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes.TryAdd(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A token from POST /api/v1/auth/token (or the configured external issuer), in Authorization: Bearer ….",
        });
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
        return Task.CompletedTask;
    }
}
