using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Protection;

namespace ScoreFeed.UnitTests;

/// <summary>
/// Which requests open a connection, and who is admitted: per address and per partner key in fixed windows (429), then
/// at the hub's own rate (503 past its line), both with <c>Retry-After</c>.
/// </summary>
public sealed class ConnectionAdmissionTests
{
    private static ConnectionAdmission Admission(ConnectionLimitsOptions limits) =>
        new(Options.Create(limits), new ProtectionMetrics(HubParts.Meters), NullLogger<ConnectionAdmission>.Instance);

    private static DefaultHttpContext Request(string method, string path, string query = "", bool webSocket = false)
    {
        var context = new DefaultHttpContext();
        (context.Request.Method, context.Request.Path, context.Request.QueryString) = (method, path, new QueryString(query));
        if (webSocket)
        {
            context.Request.Headers.Upgrade = "websocket";
        }
        return context;
    }

    [Theory]
    [InlineData("POST", "/hubs/scores/negotiate", "", false, true)]
    [InlineData("POST", "/HUBS/Scores/Negotiate/", "", false, true)]
    [InlineData("GET", "/hubs/scores/negotiate", "", false, false)]
    [InlineData("GET", "/hubs/scores", "", true, true)]
    [InlineData("GET", "/hubs/scores/", "?key=partner-1", true, true)]
    [InlineData("GET", "/hubs/scores", "?id=abc", true, false)] // a negotiated connection's WebSocket: counted at negotiate
    [InlineData("GET", "/hubs/scores", "", false, false)]
    [InlineData("POST", "/hubs/scores", "?id=abc", false, false)] // long polling of an open connection
    [InlineData("GET", "/api/v1/matches", "", false, false)]
    public void Only_requests_that_open_a_connection_are_counted(string method, string path, string query, bool webSocket, bool opens) =>
        Assert.Equal(opens, ConnectionAdmission.OpensConnection(Request(method, path, query, webSocket)));

    [Fact]
    public async Task An_address_over_its_limit_is_refused_for_the_window_and_others_are_not()
    {
        using var admission = Admission(new ConnectionLimitsOptions { PerAddress = 2, Window = TimeSpan.FromSeconds(30), PerSecond = 1000 });

        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("10.0.0.1"), null, default));
        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("10.0.0.1"), null, default));
        var refused = await admission.AdmitAsync(IPAddress.Parse("10.0.0.1"), null, default);

        Assert.NotNull(refused);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Status);
        Assert.Equal("30", refused.RetryAfterSeconds);
        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("10.0.0.2"), null, default));
    }

    [Fact]
    public async Task The_addresses_of_one_IPv6_64_share_one_limit()
    {
        using var admission = Admission(new ConnectionLimitsOptions { PerAddress = 2, Window = TimeSpan.FromSeconds(30), PerSecond = 1000 });

        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("2001:db8:0:7::1"), null, default));
        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("2001:db8:0:7::2"), null, default));
        Assert.NotNull(await admission.AdmitAsync(IPAddress.Parse("2001:db8:0:7:ffff::3"), null, default));
        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("2001:db8:0:8::1"), null, default));
    }

    [Fact]
    public async Task A_partner_key_over_its_limit_is_refused_whatever_the_address_and_no_key_is_not_counted()
    {
        using var admission = Admission(new ConnectionLimitsOptions { PerAddress = 0, PerKey = 1, PerSecond = 1000 });

        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("10.0.0.1"), "partner-1", default));
        Assert.Equal(StatusCodes.Status429TooManyRequests, (await admission.AdmitAsync(IPAddress.Parse("10.0.0.2"), "partner-1", default))?.Status);
        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("10.0.0.2"), "partner-2", default));
        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("10.0.0.3"), "", default));
        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("10.0.0.3"), null, default));
    }

    [Fact]
    public async Task Past_the_hubs_rate_and_its_line_a_connection_is_refused_as_busy()
    {
        // One a second, no line: the second connection within the second has nowhere to wait.
        using var admission = Admission(new ConnectionLimitsOptions { PerAddress = 0, PerSecond = 1, QueueLimit = 0 });

        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("10.0.0.1"), null, default));
        var refused = await admission.AdmitAsync(IPAddress.Parse("10.0.0.2"), null, default);

        Assert.NotNull(refused);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, refused.Status);
        Assert.InRange(int.Parse(refused.RetryAfterSeconds, System.Globalization.CultureInfo.InvariantCulture), 1, 4);
    }

    [Fact]
    public async Task A_connection_waiting_its_turn_is_admitted_when_the_rate_allows()
    {
        using var admission = Admission(new ConnectionLimitsOptions { PerAddress = 0, PerSecond = 1, QueueLimit = 1 });
        Assert.Null(await admission.AdmitAsync(IPAddress.Parse("10.0.0.1"), null, default));

        var waiting = admission.AdmitAsync(IPAddress.Parse("10.0.0.2"), null, default).AsTask();

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_refused_request_gets_the_status_retry_after_and_a_line_and_never_reaches_the_hub()
    {
        using var admission = Admission(new ConnectionLimitsOptions { PerAddress = 1, Window = TimeSpan.FromSeconds(10), PerSecond = 1000 });
        var reached = 0;
        Task Next(HttpContext _)
        {
            reached++;
            return Task.CompletedTask;
        }

        var first = await NegotiateAsync(admission, Next);
        var second = await NegotiateAsync(admission, Next);

        Assert.Equal(StatusCodes.Status200OK, first.Response.StatusCode);
        Assert.Equal(StatusCodes.Status429TooManyRequests, second.Response.StatusCode);
        Assert.Equal("10", second.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("text/plain", second.Response.ContentType, StringComparison.Ordinal);
        Assert.NotEqual(0, second.Response.Body.Length);
        Assert.Equal(1, reached);
    }

    private static async Task<HttpContext> NegotiateAsync(ConnectionAdmission admission, RequestDelegate next)
    {
        var request = Request("POST", "/hubs/scores/negotiate");
        request.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.0.0.1");
        request.Response.Body = new MemoryStream();
        await admission.InvokeAsync(request, next);
        return request;
    }
}
