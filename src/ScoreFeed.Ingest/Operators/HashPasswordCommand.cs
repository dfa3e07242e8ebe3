using System.Text;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Operators;

/// <summary>
/// <c>ScoreFeed.Ingest hash-password NAME [ROLE]</c>: reads a password from standard input (without echo at a
/// terminal) and prints its hash and the configuration that adds the account (README.md, "Operators").
/// </summary>
internal static class HashPasswordCommand
{
    public const string Verb = "hash-password";

    /// <summary>Runs the command if <paramref name="args"/> ask for it; returns its exit code, or null to start the app.</summary>
    public static int? TryRun(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args is not [Verb, ..])
        {
            return null;
        }
        var name = args.Length is 2 or 3 ? args[1] : null;
        var role = args.Length == 3 ? args[2] : OperatorRoles.Operator;
        if (!Ids.IsValid(name) || role is not (OperatorRoles.Operator or OperatorRoles.Viewer))
        {
            error.WriteLine($"usage: ScoreFeed.Ingest {Verb} NAME [{OperatorRoles.Operator}|{OperatorRoles.Viewer}]   (the password is read from standard input)");
            error.WriteLine($"NAME matches {Ids.Pattern}.");
            return 2;
        }
        var password = ReadPassword(input, error);
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("no password given on standard input");
            return 2;
        }
        var hash = OperatorAccounts.Hash(password);
        var key = $"{OperatorOptions.Section}:{nameof(OperatorOptions.Accounts)}:{name}";
        output.WriteLine(hash);
        output.WriteLine();
        output.WriteLine("# environment variables:");
        output.WriteLine($"{key.Replace(":", "__", StringComparison.Ordinal)}__PasswordHash={hash}");
        output.WriteLine($"{key.Replace(":", "__", StringComparison.Ordinal)}__Roles__0={role}");
        output.WriteLine("# or in appsettings.json:");
        output.WriteLine($$"""{ "Operators": { "Accounts": { "{{name}}": { "PasswordHash": "{{hash}}", "Roles": [ "{{role}}" ] } } } }""");
        return 0;
    }

    private static string? ReadPassword(TextReader input, TextWriter error)
    {
        if (!ReferenceEquals(input, Console.In) || Console.IsInputRedirected)
        {
            return input.ReadLine();
        }
        error.Write("Password: ");
        var password = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
        error.WriteLine();
        return password.ToString();
    }
}
