using System.Collections;
using System.Reflection;
using System.Text.Json;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.EndToEndTests.Deploy;

/// <summary>
/// What an app really reads and where it listens, taken from the app itself: its configuration keys from the options
/// classes in its assemblies (every type with a <c>const string Section</c>: its settable properties), and its port
/// from its launch settings. The deploy manifests are checked against these.
/// </summary>
internal sealed class AppFacts
{
    private static readonly string[] FrameworkPrefixes = ["ASPNETCORE_", "DOTNET_", "OTEL_", "Logging:", "Kestrel:", "AllowedHosts"];

    private readonly HashSet<string> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _prefixes = [];

    private AppFacts(string project, int port)
    {
        Project = project;
        Port = port;
    }

    public string Project { get; }

    public int Port { get; }

    public IReadOnlyCollection<string> Keys => _keys;

    /// <summary>The app's facts, or null when its project is not in this tree.</summary>
    public static AppFacts? Load(string project)
    {
        var directory = Path.Combine(Paths.RepoRoot, "src", project);
        if (!Directory.Exists(directory))
        {
            return null;
        }
        using var launch = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "Properties", "launchSettings.json")));
        var url = launch.RootElement.GetProperty("profiles").EnumerateObject().First().Value.GetProperty("applicationUrl").GetString()!;
        var facts = new AppFacts(project, new Uri(url.Split(';')[0]).Port);
        // The app's own assembly (a built process, as the tests run it) and the shared library it configures too.
        var assembly = Assembly.LoadFrom(Paths.AppDll(project));
        foreach (var a in new[] { assembly, typeof(ScoreFeed.Redis.StoreOptions).Assembly })
        {
            facts.Read(a);
        }
        return facts;
    }

    /// <summary>Whether an environment variable (<c>Section__Key</c>) names something the app reads.</summary>
    public bool Reads(string environmentVariable)
    {
        var key = environmentVariable.Replace("__", ":", StringComparison.Ordinal);
        return _keys.Contains(key)
            || _prefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            || FrameworkPrefixes.Any(p => environmentVariable.StartsWith(p, StringComparison.OrdinalIgnoreCase) || key.StartsWith(p, StringComparison.OrdinalIgnoreCase));
    }

    private void Read(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = [.. e.Types.OfType<Type>()];
        }
        foreach (var type in types)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                var value = (string)field.GetRawConstantValue()!;
                switch (field.Name)
                {
                    case "Section" when type == typeof(ScoreFeed.Partners.PartnerOptions):
                        _prefixes.Add(value + ":"); // bound by partner key: Partners:{key}:AllowedOrigins:0
                        break;
                    case "Section" when !type.IsAbstract:
                        ReadOptions(value, type);
                        break;
                    case var name when name.EndsWith("Section", StringComparison.Ordinal):
                        _prefixes.Add(value + ":"); // a section read as a whole, e.g. Ingest:Mappings:{Provider}:{VendorId}
                        break;
                    case "ConnectionStringKey" or "PasswordVariable":
                        _keys.Add(value);
                        break;
                }
            }
        }
    }

    private void ReadOptions(string section, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = $"{section}:{property.Name}";
            var propertyType = property.PropertyType;
            if (typeof(IDictionary).IsAssignableFrom(propertyType) || propertyType.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)))
            {
                _prefixes.Add(key + ":");
            }
            else if (propertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                _prefixes.Add(key + ":"); // Section:Items:0, Section:Items:1, …
            }
            else
            {
                _keys.Add(key);
            }
        }
    }
}
