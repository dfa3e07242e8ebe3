using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace ScoreFeed.RehearsalTests;

/// <summary>Clients of the public origin through nginx (its certificate, the read API, an operator's token) and of the ingest processes' metrics.</summary>
public sealed partial class Rehearsal
{
    /// <summary>GET /metrics of an ingest process (0 or 1) on its own port.</summary>
    public static async Task<string> IngestMetricsAsync(int index)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync($"http://127.0.0.1:{IngestPorts[index]}/metrics");
    }

    /// <summary><c>scorefeed_ingest_store_reissued_total</c> summed over the running ingest processes.</summary>
    public static async Task<double> ReissuedAsync()
    {
        double sum = 0;
        for (var i = 0; i < IngestPorts.Length; i++)
        {
            try
            {
                sum += Prometheus.Sum(await IngestMetricsAsync(i), "scorefeed_ingest_store_reissued_total");
            }
            catch (HttpRequestException)
            {
                // A stopped ingest: its count went with it.
            }
        }
        return sum;
    }

    /// <summary>Every match of the read API (through nginx): (epoch, seq, status).</summary>
    public async Task<Dictionary<string, (string Epoch, long Seq, string Status)>> PositionsAsync(HttpClient http) =>
        (await MatchesAsync(http)).ToDictionary(m => m.GetProperty("matchId").GetString()!,
            m => (m.GetProperty("epoch").GetString()!, m.GetProperty("seq").GetInt64(), m.GetProperty("status").GetString()!), StringComparer.Ordinal);

    /// <summary>An operator's access token for <c>rehearsal</c> (POST api/v1/auth/token through nginx).</summary>
    public async Task<string> TokenAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("api/v1/auth/token", new { username = "rehearsal", password = OperatorPassword });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>The rehearsal's certificate (self-signed, for scores.example, partner.example and evil.example).</summary>
    public X509Certificate2 Certificate => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(WorkDirectory, "tls", "fullchain.pem")));

    /// <summary>
    /// A handler that reaches nginx on 127.0.0.1:443 whatever the host name (SNI and Host stay the public name), and
    /// accepts the rehearsal's certificate only.
    /// </summary>
    public SocketsHttpHandler CreateHandler()
    {
        var thumbprint = Certificate.Thumbprint;
        return new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == thumbprint,
            },
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
    }

    /// <summary>An HttpClient on the public origin https://scores.example/ through nginx.</summary>
    public HttpClient CreateHttpClient() => new(CreateHandler()) { BaseAddress = PublicBaseUrl, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>Every match of the read API (through nginx), as JSON.</summary>
    public async Task<JsonElement[]> MatchesAsync(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("api/v1/matches"));
        var root = doc.RootElement;
        var list = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("matches");
        return [.. list.EnumerateArray().Select(e => e.Clone())];
    }
}
