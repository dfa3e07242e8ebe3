using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ScoreFeed.Deployment;
using StackExchange.Redis;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;
using ServiceDefaults = Microsoft.Extensions.Hosting.Extensions;

namespace ScoreFeed.EndToEndTests.Deploy;

/// <summary>
/// There is no Docker engine to build or run them here, so the Dockerfiles, the compose file, the nginx configuration
/// and the Kubernetes manifests are parsed and checked against the apps: images, ports, probes, and that every
/// environment variable names a configuration key the app really reads (a typo would be silently ignored).
/// </summary>
public sealed partial class DeployManifestTests(ITestOutputHelper output)
{
    private static readonly string DeployDirectory = Path.Combine(Paths.RepoRoot, "deploy");

    [SkippableTheory]
    [InlineData("ScoreFeed.Hub", "hub")]
    [InlineData("ScoreFeed.Ingest", "ingest")]
    [InlineData("ScoreFeed.Web", "web")]
    public void Dockerfile_compose_and_Kubernetes_agree_with_the_app(string project, string name)
    {
        var app = AppFacts.Load(project);
        Skip.If(app is null, $"src/{project} is not in this tree (it comes with the web issue); its deploy entries are checked once it is.");
        output.WriteLine($"{project}: port {app.Port}, {app.Keys.Count} configuration keys read from its options classes");

        // Dockerfile: multi-stage, a small runtime image, non-root, the app's port, the app's entry point.
        var dockerfile = File.ReadAllText(Path.Combine(DeployDirectory, "docker", $"Dockerfile.{name}"));
        var stages = FromLine().Matches(dockerfile);
        Assert.True(stages.Count >= 2, "multi-stage");
        var runtime = dockerfile[stages[^1].Index..];
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0[-\w]*", runtime);
        Assert.Matches(@"(?m)^USER app\s*$", runtime);
        Assert.Contains($"EXPOSE {app.Port}", runtime, StringComparison.Ordinal);
        Assert.Contains($"ASPNETCORE_HTTP_PORTS={app.Port}", runtime, StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", runtime, StringComparison.Ordinal);
        foreach (Match copy in CopySource().Matches(dockerfile))
        {
            Assert.True(File.Exists(Path.Combine(Paths.RepoRoot, copy.Groups[1].Value)) || Directory.Exists(Path.Combine(Paths.RepoRoot, copy.Groups[1].Value)),
                $"Dockerfile.{name} copies {copy.Groups[1].Value}, which does not exist");
        }

        // Compose: built from that Dockerfile, only keys the app reads, Redis by its service name and the app's ACL user.
        var compose = Yaml("docker-compose.yml");
        var service = Map(Map(compose, "services"), name);
        Assert.Equal($"deploy/docker/Dockerfile.{name}", Scalar(Map(service, "build"), "dockerfile"));
        var composeEnvironment = ComposeEnvironment(name);
        AssertReads(app, composeEnvironment.Keys, "docker-compose.yml");
        if (composeEnvironment.TryGetValue("ConnectionStrings__redis", out var redis))
        {
            var options = ConfigurationOptions.Parse(redis);
            var endpoint = Assert.IsType<System.Net.DnsEndPoint>(Assert.Single(options.EndPoints));
            Assert.Equal(("redis", 6379), (endpoint.Host, endpoint.Port));
            Assert.Equal(name, options.User);
            Assert.False(options.AbortOnConnectFail);
        }
        // nginx (compose's upstreams, included by nginx.conf) reaches it on its port.
        Assert.Contains("include upstreams.conf;", File.ReadAllText(Path.Combine(DeployDirectory, "nginx", "nginx.conf")), StringComparison.Ordinal);
        Assert.Contains($"server {name}:{app.Port}", File.ReadAllText(Path.Combine(DeployDirectory, "nginx", "upstreams.compose.conf")), StringComparison.Ordinal);

        // Kubernetes: the Deployment's container, its probes and the Service.
        var documents = Documents($"{name}.yaml");
        var deployment = documents.Single(d => Scalar(d, "kind") == "Deployment");
        var pod = Map(Map(deployment, "spec"), "template");
        var podSpec = Map(pod, "spec");
        Assert.Equal("true", Scalar(Map(podSpec, "securityContext"), "runAsNonRoot"));
        var container = (YamlMappingNode)Seq(podSpec, "containers").Single();
        Assert.Equal($"scorefeed/{name}", Scalar(container, "image"));
        var port = (YamlMappingNode)Seq(container, "ports").Single();
        Assert.Equal(app.Port.ToString(), Scalar(port, "containerPort"));
        var portName = Scalar(port, "name");
        Assert.Equal(ServiceDefaults.ReadyPath, Scalar(Map(Map(container, "readinessProbe"), "httpGet"), "path"));
        Assert.Equal(ServiceDefaults.LivePath, Scalar(Map(Map(container, "livenessProbe"), "httpGet"), "path"));
        Assert.Equal(portName, Scalar(Map(Map(container, "readinessProbe"), "httpGet"), "port"));
        Assert.Equal(portName, Scalar(Map(Map(container, "livenessProbe"), "httpGet"), "port"));
        var environment = Seq(container, "env").Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"), e => e.Children.ContainsKey("value") ? Scalar(e, "value") : null);
        Assert.Equal(app.Port.ToString(), environment["ASPNETCORE_HTTP_PORTS"]);
        AssertReads(app, KubernetesEnvironment(container).Keys, $"k8s/{name}.yaml");
        var labels = Map(Map(pod, "metadata"), "labels");
        var kubernetesService = documents.Single(d => Scalar(d, "kind") == "Service");
        Assert.Equal(portName, Scalar((YamlMappingNode)Seq(Map(kubernetesService, "spec"), "ports").Single(), "targetPort"));
        AssertSelects(Map(Map(kubernetesService, "spec"), "selector"), labels);
        AssertSelects(Map(Map(Map(documents.Single(d => Scalar(d, "kind") == "PodDisruptionBudget"), "spec"), "selector"), "matchLabels"), labels);
        foreach (var hpa in documents.Where(d => Scalar(d, "kind") == "HorizontalPodAutoscaler"))
        {
            Assert.Equal(Scalar(Map(deployment, "metadata"), "name"), Scalar(Map(Map(hpa, "spec"), "scaleTargetRef"), "name"));
        }
    }

    [Fact]
    public void Compose_runs_redis_with_an_append_only_file_three_hubs_two_ingests_and_a_proxy_that_upgrades_websockets_without_stickiness()
    {
        var services = Map(Yaml("docker-compose.yml"), "services");
        var redisCommand = string.Join(' ', Seq(Map(services, "redis"), "command").Cast<YamlScalarNode>().Select(s => s.Value));
        Assert.Contains("--appendonly yes", redisCommand, StringComparison.Ordinal);
        Assert.Contains("--appendfsync everysec", redisCommand, StringComparison.Ordinal);
        // The ACL users of deploy/redis/users.acl.template (the rehearsal's), no password or rule on the command line.
        Assert.Contains("--aclfile", redisCommand, StringComparison.Ordinal);
        Assert.Contains("./redis/users.acl.template:/etc/redis/users.acl.template:ro", Seq(Map(services, "redis"), "volumes").Cast<YamlScalarNode>().Select(s => s.Value));
        Assert.DoesNotContain("--user", redisCommand, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(DeployDirectory, "redis", "users.acl.template")));
        Assert.Equal("3", Scalar(Map(Map(services, "hub"), "deploy"), "replicas"));
        Assert.Equal("2", Scalar(Map(Map(services, "ingest"), "deploy"), "replicas"));
        Assert.Contains("./nginx/nginx.conf:/etc/nginx/nginx.conf:ro", Seq(Map(services, "proxy"), "volumes").Cast<YamlScalarNode>().Select(s => s.Value));
        Assert.All(Seq(Map(services, "proxy"), "ports").Cast<YamlScalarNode>(), p => Assert.StartsWith("127.0.0.1:", p.Value, StringComparison.Ordinal));

        var nginx = string.Join('\n', File.ReadLines(Path.Combine(DeployDirectory, "nginx", "nginx.conf")).Select(l => l.Split('#')[0]));
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", nginx, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Connection $connection_upgrade;", nginx, StringComparison.Ordinal);
        Assert.Contains("location /hubs/", nginx, StringComparison.Ordinal);
        Assert.DoesNotContain("ip_hash", nginx, StringComparison.Ordinal);
        Assert.DoesNotContain("sticky", nginx, StringComparison.Ordinal);
        Assert.DoesNotContain("hash $", nginx, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_routes_websockets_with_long_timeouts_drains_hubs_before_they_exit_and_names_only_what_exists()
    {
        var kustomization = Yaml(Path.Combine("k8s", "kustomization.yaml"));
        var files = Seq(kustomization, "resources").Cast<YamlScalarNode>().Select(r => r.Value!).ToArray();
        var all = files.Where(f => f.EndsWith(".yaml", StringComparison.Ordinal)).SelectMany(Documents).ToArray();
        var services = all.Where(d => Scalar(d, "kind") == "Service").ToDictionary(d => Scalar(Map(d, "metadata"), "name"));

        var ingress = all.Single(d => Scalar(d, "kind") == "Ingress");
        var annotations = Map(Map(ingress, "metadata"), "annotations");
        Assert.True(int.Parse(Scalar(annotations, "nginx.ingress.kubernetes.io/proxy-read-timeout")) >= 300);
        Assert.True(int.Parse(Scalar(annotations, "nginx.ingress.kubernetes.io/proxy-send-timeout")) >= 300);
        Assert.DoesNotContain(annotations.Children.Keys.Cast<YamlScalarNode>(), k => k.Value!.Contains("affinity", StringComparison.Ordinal));
        Assert.NotEmpty(Seq(Map(ingress, "spec"), "tls"));
        var backends = Seq(Map(ingress, "spec"), "rules").Cast<YamlMappingNode>()
            .SelectMany(r => Seq(Map(r, "http"), "paths").Cast<YamlMappingNode>())
            .ToDictionary(p => Scalar(p, "path"), p => Map(Map(p, "backend"), "service"));
        foreach (var (path, backend) in backends)
        {
            Assert.True(services.TryGetValue(Scalar(backend, "name"), out var target), $"ingress path {path}: no Service {Scalar(backend, "name")}");
            Assert.Contains(Seq(Map(target, "spec"), "ports").Cast<YamlMappingNode>(), p => Scalar(p, "name") == Scalar(Map(backend, "port"), "name"));
        }
        Assert.Equal("hub", Scalar(backends["/hubs"], "name"));

        // Hubs leave the Service before SIGTERM closes their connections, within the grace period.
        var hub = Map(Map(all.Single(d => Scalar(d, "kind") == "Deployment" && Scalar(Map(d, "metadata"), "name") == "hub"), "spec"), "template");
        var hubContainer = (YamlMappingNode)Seq(Map(hub, "spec"), "containers").Single();
        var preStop = int.Parse(Scalar(Map(Map(Map(hubContainer, "lifecycle"), "preStop"), "sleep"), "seconds"));
        Assert.InRange(preStop, 5, int.Parse(Scalar(Map(hub, "spec"), "terminationGracePeriodSeconds")) - 15);
        Assert.Equal("0", Scalar(Map(Map(Map(all.Single(d => Scalar(d, "kind") == "Deployment" && Scalar(Map(d, "metadata"), "name") == "hub"), "spec"), "strategy"), "rollingUpdate"), "maxUnavailable"));

        // Every Secret key a container takes is in a Secret of the kustomization, or one the comment there says to create.
        foreach (var deployment in all.Where(d => Scalar(d, "kind") == "Deployment"))
        {
            foreach (var container in Seq(Map(Map(Map(deployment, "spec"), "template"), "spec"), "containers").Cast<YamlMappingNode>())
            {
                foreach (var reference in Seq(container, "env").Cast<YamlMappingNode>().Where(e => e.Children.ContainsKey("valueFrom")).Select(e => Map(Map(e, "valueFrom"), "secretKeyRef")))
                {
                    var secret = Scalar(reference, "name");
                    Assert.True(secret == "scorefeed-ingest" || SecretValues(secret).ContainsKey(Scalar(reference, "key")),
                        $"{Scalar(container, "name")}: no key {Scalar(reference, "key")} in Secret {secret}");
                }
            }
        }
    }

    /// <summary>
    /// deploy/env/{app}.env, the one source of the production configuration, reaches each app in compose (env_file)
    /// and Kubernetes (the generated ConfigMap) and, with the secrets the manifests add, passes the very check the app
    /// runs at start-up (<see cref="ProductionRequirements"/>) without loopback allowed; no value is loopback.
    /// </summary>
    [Theory]
    [InlineData("hub")]
    [InlineData("ingest")]
    [InlineData("web")]
    public void Every_manifest_gives_each_app_what_production_requires_and_nothing_loopback(string name)
    {
        var requirements = name switch
        {
            "hub" => ProductionRequirements.Hub,
            "ingest" => ProductionRequirements.Ingest,
            _ => ProductionRequirements.Web,
        };
        var envFile = EnvFile(Path.Combine(DeployDirectory, "env", $"{name}.env"));
        Assert.Equal("Production", envFile["ASPNETCORE_ENVIRONMENT"]);
        Assert.DoesNotContain(envFile.Keys, k => k.Contains("Password", StringComparison.OrdinalIgnoreCase) || k.Contains("SigningKey", StringComparison.OrdinalIgnoreCase) || k.EndsWith("ApiKey", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(envFile.Values, v => v.Contains("password=", StringComparison.OrdinalIgnoreCase));

        var container = (YamlMappingNode)Seq(Map(Map(Map(Documents($"{name}.yaml").Single(d => Scalar(d, "kind") == "Deployment"), "spec"), "template"), "spec"), "containers").Single();
        foreach (var (where, environment) in new[] { ("docker-compose.yml", ComposeEnvironment(name)), ($"k8s/{name}.yaml", KubernetesEnvironment(container)) })
        {
            foreach (var (key, value) in envFile)
            {
                Assert.True(environment.TryGetValue(key, out var set) && set == value, $"{where}: {key} is not deploy/env/{name}.env's");
            }
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(environment.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value)))
                .Build();
            var errors = ProductionRules.Check(configuration, requirements, allowLoopback: false);
            Assert.True(errors.Count == 0, $"{where}, {name}: {string.Join("; ", errors)}");
            Assert.DoesNotContain(environment, kv => Loopback.IsLoopbackUrl(kv.Value));
            output.WriteLine($"{where}, {name}: {string.Join(", ", requirements)} set");
        }
    }

    [Fact]
    public void The_hub_and_the_web_app_know_the_same_partners()
    {
        static string[] Partners(string name) => [.. EnvFile(Path.Combine(DeployDirectory, "env", $"{name}.env"))
            .Where(kv => kv.Key.StartsWith("Partners__", StringComparison.Ordinal) && kv.Key.Contains("__AllowedOrigins__", StringComparison.Ordinal))
            .Select(kv => $"{kv.Key}={kv.Value}").Order(StringComparer.Ordinal)];

        Assert.NotEmpty(Partners("hub"));
        Assert.Equal(Partners("hub"), Partners("web"));
    }

    [Fact]
    public void The_web_app_sends_goal_alerts_with_its_own_redis_user_and_the_proxies_route_its_push_api_to_it()
    {
        var web = EnvFile(Path.Combine(DeployDirectory, "env", "web.env"));
        Assert.Equal("true", web["Push__Enabled"]);
        Assert.Equal("web", ConfigurationOptions.Parse(web["ConnectionStrings__redis"]).User);
        Assert.StartsWith("mailto:", web["Push__Subject"], StringComparison.Ordinal);
        Assert.DoesNotContain(web.Keys, k => k.StartsWith("Push__P", StringComparison.Ordinal)); // the key pair is a secret

        // nginx: the push API before the hubs' /api/ (a longer prefix wins), to the web app.
        var nginx = File.ReadAllText(Path.Combine(DeployDirectory, "nginx", "nginx.conf"));
        Assert.Matches(@"location /api/v1/push/ \{\s*proxy_pass http://web;", nginx);
        // Kubernetes: the same route, before /api (ingress-nginx with regex paths takes the first match of equal length order).
        var paths = Seq(Map(Seq(Map(Documents("ingress.yaml").Single(d => Scalar(d, "kind") == "Ingress"), "spec"), "rules").Cast<YamlMappingNode>().Single(), "http"), "paths")
            .Cast<YamlMappingNode>().Select(p => (Path: Scalar(p, "path"), Service: Scalar(Map(Map(p, "backend"), "service"), "name"))).ToList();
        var push = paths.FindIndex(p => p.Path == "/api/v1/push");
        Assert.True(push >= 0 && paths[push].Service == "web", "ingress: /api/v1/push goes to the web app");
        Assert.True(push < paths.FindIndex(p => p.Path == "/api"), "ingress: /api/v1/push comes before /api");

        // The ACL user: its push keys and the updates channel, nothing of the store, no publishing.
        var user = File.ReadLines(Path.Combine(DeployDirectory, "redis", "users.acl.template")).Single(l => l.StartsWith("user web ", StringComparison.Ordinal));
        Assert.Contains(" ~sf:push:* ", user, StringComparison.Ordinal);
        Assert.Contains(" &sf:updates ", user, StringComparison.Ordinal);
        Assert.DoesNotContain("+publish", user, StringComparison.Ordinal);
        Assert.DoesNotContain("~sf:*", user, StringComparison.Ordinal);
    }

    [Fact]
    public void No_deployment_file_allows_loopback()
    {
        var files = Directory.GetFiles(DeployDirectory, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains("AllowLoopback", StringComparison.OrdinalIgnoreCase), $"{Path.GetRelativePath(Paths.RepoRoot, file)} mentions Deployment:AllowLoopback, which is for tests only");
        }
    }

    /// <summary>A service's environment in compose: its env_file entries, then its environment (which wins).</summary>
    private static Dictionary<string, string> ComposeEnvironment(string name)
    {
        var service = Map(Map(Yaml("docker-compose.yml"), "services"), name);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (service.Children.ContainsKey("env_file"))
        {
            foreach (var file in Seq(service, "env_file").Cast<YamlScalarNode>())
            {
                foreach (var (key, value) in EnvFile(Path.Combine(DeployDirectory, file.Value!)))
                {
                    environment[key] = value;
                }
            }
        }
        if (service.Children.ContainsKey("environment"))
        {
            foreach (var (key, value) in Map(service, "environment").Children)
            {
                var text = ((YamlScalarNode)value).Value!;
                // A secret from the compose environment (${VAR:?message}): required, so set when compose runs.
                environment[((YamlScalarNode)key).Value!] = SecretReference().IsMatch(text) ? "a-secret-from-the-environment" : text;
            }
        }
        return environment;
    }

    /// <summary>A container's environment in Kubernetes: envFrom (the generated ConfigMaps, Secrets), then env.</summary>
    private static Dictionary<string, string> KubernetesEnvironment(YamlMappingNode container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (container.Children.ContainsKey("envFrom"))
        {
            foreach (var source in Seq(container, "envFrom").Cast<YamlMappingNode>())
            {
                var values = source.Children.ContainsKey("configMapRef") ? ConfigMapValues(Scalar(Map(source, "configMapRef"), "name"))
                    : SecretValues(Scalar(Map(source, "secretRef"), "name"));
                foreach (var (key, value) in values)
                {
                    environment[key] = value;
                }
            }
        }
        foreach (var variable in Seq(container, "env").Cast<YamlMappingNode>())
        {
            environment[Scalar(variable, "name")] = variable.Children.ContainsKey("value") ? Scalar(variable, "value") : "a-secret-from-a-secret";
        }
        return environment;
    }

    /// <summary>KEY=VALUE lines; blank lines and # comments skipped (as compose's env_file and kustomize's envs read them).</summary>
    private static Dictionary<string, string> EnvFile(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"{path}: '{line}' is not KEY=VALUE");
            Assert.True(values.TryAdd(line[..equals], line[(equals + 1)..]), $"{path}: {line[..equals]} twice");
        }
        return values;
    }

    private static void AssertReads(AppFacts app, IEnumerable<string> variables, string where)
    {
        var unknown = variables.Where(v => !app.Reads(v)).ToArray();
        Assert.True(unknown.Length == 0, $"{where}: {app.Project} reads no configuration key named by {string.Join(", ", unknown)}");
    }

    private static void AssertSelects(YamlMappingNode selector, YamlMappingNode labels)
    {
        foreach (var (key, value) in selector.Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, Scalar(labels, ((YamlScalarNode)key).Value!));
        }
    }

    /// <summary>A ConfigMap in deploy/k8s, or one generated (configMapGenerator, envs) by a directory the kustomization includes.</summary>
    private static Dictionary<string, string> ConfigMapValues(string name)
    {
        var kustomization = Yaml(Path.Combine("k8s", "kustomization.yaml"));
        foreach (var resource in Seq(kustomization, "resources").Cast<YamlScalarNode>().Select(r => Path.GetFullPath(Path.Combine(DeployDirectory, "k8s", r.Value!))).Where(Directory.Exists))
        {
            var included = LoadYaml(Path.Combine(resource, "kustomization.yaml")).Single();
            foreach (var generator in Seq(included, "configMapGenerator").Cast<YamlMappingNode>().Where(g => Scalar(g, "name") == name))
            {
                return Seq(generator, "envs").Cast<YamlScalarNode>()
                    .SelectMany(file => EnvFile(Path.Combine(resource, file.Value!)))
                    .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            }
        }
        return Map(All().Single(d => Scalar(d, "kind") == "ConfigMap" && Scalar(Map(d, "metadata"), "name") == name), "data")
            .Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);
    }

    private static Dictionary<string, string> SecretValues(string name) =>
        Map(All().Single(d => Scalar(d, "kind") == "Secret" && Scalar(Map(d, "metadata"), "name") == name), "stringData")
            .Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);

    private static IEnumerable<YamlMappingNode> All() => Directory.GetFiles(Path.Combine(DeployDirectory, "k8s"), "*.yaml")
        .Where(f => Path.GetFileName(f) != "kustomization.yaml")
        .SelectMany(f => Documents(Path.GetFileName(f)));

    private static YamlMappingNode Yaml(string relative) => Documents(relative).Single();

    private static IEnumerable<YamlMappingNode> Documents(string relative)
    {
        var path = File.Exists(Path.Combine(DeployDirectory, relative)) ? Path.Combine(DeployDirectory, relative) : Path.Combine(DeployDirectory, "k8s", relative);
        return LoadYaml(path);
    }

    private static IEnumerable<YamlMappingNode> LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    [GeneratedRegex(@"(?m)^FROM\s+")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"(?m)^COPY (?!--from)(\S+)")]
    private static partial Regex CopySource();

    [GeneratedRegex(@"^\$\{[A-Z0-9_]+:\?[^}]*\}$")]
    private static partial Regex SecretReference();
}
