using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ScoreFeed.EndToEndTests.Infrastructure;

/// <summary>A fault the vendor answers one request with, in script order.</summary>
internal abstract record VendorFault
{
    public sealed record Status(int Code, int? RetryAfterSeconds = null) : VendorFault;

    /// <summary>Sends nothing for this long (the client's attempt timeout fires first).</summary>
    public sealed record Hang(TimeSpan For) : VendorFault;

    /// <summary>Headers at once, then the body a few bytes at a time, slowly.</summary>
    public sealed record SlowDrip(TimeSpan Between) : VendorFault;

    /// <summary>A body of <paramref name="Bytes"/> bytes, streamed without a Content-Length.</summary>
    public sealed record Huge(long Bytes) : VendorFault;

    public sealed record Body(string Text, string ContentType = "application/json", int Code = 200) : VendorFault;

    /// <summary>The current payload cut off after this share of its bytes.</summary>
    public sealed record Truncated(double Share) : VendorFault;
}

internal sealed record VendorRequest(DateTimeOffset At, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, int Status);

/// <summary>
/// A sports-data vendor on 127.0.0.1 (real Kestrel, dynamic port) serving payloads written from the vendors'
/// public documentation, with ETags and 304s like a well-behaved API, and faults injected on a script.
/// </summary>
internal sealed class FakeVendor : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _payloads = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<VendorFault> _script = new();
    private readonly ConcurrentQueue<VendorRequest> _log = new();
    private readonly ConcurrentDictionary<string, VendorFault> _always = new(StringComparer.Ordinal);

    private FakeVendor(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<VendorRequest> Requests => [.. _log];

    public int FaultsLeft => _script.Count;

    public static async Task<FakeVendor> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var vendor = new FakeVendor(app);
        app.Run(vendor.HandleAsync);
        await app.StartAsync().Within();
        vendor.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return vendor;
    }

    /// <summary>Serves <paramref name="json"/> to requests whose path and query start with <paramref name="route"/> (e.g. "/v4/matches", "/fixtures?live=").</summary>
    public void Serve(string route, JsonNode json) => _payloads[route] = json.ToJsonString();

    public static JsonNode Load(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Feeds", file)))!;

    /// <summary>Queues faults: each answers one request, in order.</summary>
    public void Script(params VendorFault[] faults)
    {
        foreach (var fault in faults)
        {
            _script.Enqueue(fault);
        }
    }

    /// <summary>Answers every request on <paramref name="route"/> with this fault until called with null.</summary>
    public void FailAll(string route, VendorFault? fault)
    {
        if (fault is null)
        {
            _always.TryRemove(route, out _);
        }
        else
        {
            _always[route] = fault;
        }
    }

    public int CountSince(DateTimeOffset since, Func<VendorRequest, bool>? match = null) =>
        _log.Count(r => r.At >= since && (match?.Invoke(r) ?? true));

    private async Task HandleAsync(HttpContext context)
    {
        var pathAndQuery = context.Request.Path + context.Request.QueryString.ToString();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var payload = _payloads.Where(p => pathAndQuery.StartsWith(p.Key, StringComparison.Ordinal)).Select(p => p.Value).FirstOrDefault();
        var fault = _always.Where(a => pathAndQuery.StartsWith(a.Key, StringComparison.Ordinal)).Select(a => a.Value).FirstOrDefault()
            ?? (_script.TryDequeue(out var next) ? next : null);
        try
        {
            await AnswerAsync(context, fault, payload);
        }
        finally
        {
            _log.Enqueue(new VendorRequest(DateTimeOffset.UtcNow, pathAndQuery, headers, context.Response.StatusCode));
        }
    }

    private static async Task AnswerAsync(HttpContext context, VendorFault? fault, string? payload)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        switch (fault)
        {
            case VendorFault.Status s:
                response.StatusCode = s.Code;
                if (s.RetryAfterSeconds is { } seconds)
                {
                    response.Headers.RetryAfter = seconds.ToString();
                }
                await response.WriteAsync("""{"message":"try again later"}""", aborted);
                return;
            case VendorFault.Hang h:
                await Task.Delay(h.For, aborted).ContinueWith(_ => { });
                return;
            case VendorFault.SlowDrip d:
                response.ContentType = "application/json";
                await response.StartAsync(aborted);
                foreach (var b in Encoding.UTF8.GetBytes(payload ?? "{}"))
                {
                    await response.Body.WriteAsync(new[] { b }, aborted);
                    await response.Body.FlushAsync(aborted);
                    await Task.Delay(d.Between, aborted);
                }
                return;
            case VendorFault.Huge huge:
                response.ContentType = "application/json";
                var chunk = Encoding.UTF8.GetBytes(new string(' ', 64 * 1024));
                await response.Body.WriteAsync("{\"matches\": ["u8.ToArray(), aborted);
                for (long sent = 0; sent < huge.Bytes && !aborted.IsCancellationRequested; sent += chunk.Length)
                {
                    await response.Body.WriteAsync(chunk, aborted);
                }
                return;
            case VendorFault.Body body:
                response.StatusCode = body.Code;
                response.ContentType = body.ContentType;
                await response.WriteAsync(body.Text, aborted);
                return;
            case VendorFault.Truncated t when payload is not null:
                response.ContentType = "application/json";
                var bytes = Encoding.UTF8.GetBytes(payload);
                await response.Body.WriteAsync(bytes.AsMemory(0, (int)(bytes.Length * t.Share)), aborted);
                return;
        }
        if (payload is null)
        {
            response.StatusCode = 404;
            return;
        }
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)))[..16] + "\"";
        response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            response.StatusCode = 304;
            return;
        }
        response.ContentType = "application/json";
        await response.WriteAsync(payload, aborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().Within();
        await _app.DisposeAsync();
    }
}
