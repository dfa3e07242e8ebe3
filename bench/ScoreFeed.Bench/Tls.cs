using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScoreFeed.Bench;

/// <summary>
/// <c>wss://</c> both ways a deployment can serve it: the hub terminating TLS itself (a Kestrel https endpoint) or
/// nginx in front with the shipped <c>deploy/nginx/nginx.conf</c> (as deploy/rehearse.sh runs it), each with a
/// self-signed ECDSA P-256 certificate for 127.0.0.1 made for the run.
/// </summary>
internal static class Tls
{
    /// <summary>
    /// A certificate for 127.0.0.1 in <paramref name="directory"/>: cert.pfx (no password), cert.pem and key.pem.
    /// Returns it without its key, for the load generator to trust.
    /// </summary>
    public static X509Certificate2 WriteCertificate(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllBytes(Path.Combine(directory, "cert.pfx"), certificate.Export(X509ContentType.Pfx));
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>Kestrel endpoints for the hub: plain HTTP on <paramref name="port"/> (health, metrics), TLS on <paramref name="tlsPort"/>.</summary>
    public static Dictionary<string, string> HubEndpoints(string directory, int port, int tlsPort) => new()
    {
        ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{port}",
        ["Kestrel__Endpoints__Https__Url"] = $"https://127.0.0.1:{tlsPort}",
        ["Kestrel__Endpoints__Https__Certificate__Path"] = Path.Combine(directory, "cert.pfx"),
    };

    /// <summary>nginx with the shipped configuration on 127.0.0.1:<paramref name="tlsPort"/>, its hubs upstream the one hub.</summary>
    public static Child StartNginx(string directory, int hubPort, int tlsPort)
    {
        var root = Testing.Paths.RepoRoot;
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        Directory.CreateDirectory(Path.Combine(directory, "temp"));
        File.Copy(Path.Combine(root, "deploy", "nginx", "nginx.conf"), Path.Combine(directory, "nginx.conf"), overwrite: true);
        File.Copy("/etc/nginx/mime.types", Path.Combine(directory, "mime.types"), overwrite: true);
        // As deploy/rehearsal/config.sh writes them: the hub as the hubs upstream, no per-address limit for 127.0.0.1
        // (every bench connection comes from there); ingest and web are not part of the bench.
        File.WriteAllText(Path.Combine(directory, "upstreams.conf"), $$"""
            upstream hubs { least_conn; server 127.0.0.1:{{hubPort}} max_fails=0; keepalive 32; }
            upstream ingest { server 127.0.0.1:9; }
            upstream web { server 127.0.0.1:9; }
            map $remote_addr $limit_address { default $binary_remote_addr; 127.0.0.1 ""; 127.0.0.2 ""; 127.0.0.3 ""; 127.0.0.4 ""; }
            error_log {{directory}}/logs/error.log warn;
            access_log off;
            client_body_temp_path {{directory}}/temp/body;
            proxy_temp_path {{directory}}/temp/proxy;
            fastcgi_temp_path {{directory}}/temp/fastcgi;
            uwsgi_temp_path {{directory}}/temp/uwsgi;
            scgi_temp_path {{directory}}/temp/scgi;
            """);
        File.WriteAllText(Path.Combine(directory, "tls.conf"), $"""
            listen 127.0.0.1:{tlsPort} ssl default_server;
            server_name 127.0.0.1;
            ssl_certificate {directory}/cert.pem;
            ssl_certificate_key {directory}/key.pem;
            """);
        return Child.Start("nginx", "nginx", ["-p", directory + "/", "-c", Path.Combine(directory, "nginx.conf"),
            "-g", $"daemon off; pid {directory}/nginx.pid; error_log {directory}/logs/error.log;"]);
    }
}
