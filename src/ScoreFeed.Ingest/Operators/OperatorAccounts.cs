using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ScoreFeed.Ingest.Operators;

/// <summary>
/// The operator accounts of <c>Operators:Accounts</c> (plus <c>operator</c> when <see cref="OperatorOptions.PasswordVariable"/>
/// is set), checked with ASP.NET Core Identity's password hasher.
/// </summary>
internal sealed class OperatorAccounts
{
    private static readonly PasswordHasher<string> Hasher = new();

    private readonly Dictionary<string, (string Name, string Hash, string[] Roles)> _accounts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Checked when the user is unknown, so that the answer takes as long as for a known one.</summary>
    private readonly string _decoy = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    public OperatorAccounts(IOptions<OperatorOptions> options, IConfiguration configuration)
    {
        foreach (var (name, account) in options.Value.Accounts)
        {
            _accounts[name] = (name, account.PasswordHash, account.Roles);
        }
        if (configuration[OperatorOptions.PasswordVariable] is { Length: > 0 } password)
        {
            _accounts[OperatorOptions.LocalOperatorName] = (OperatorOptions.LocalOperatorName, Hash(password), [OperatorRoles.Operator]);
        }
    }

    public static string Hash(string password) => Hasher.HashPassword("", password);

    /// <summary>A hash the hasher made: base64 of a format marker byte and the salted PBKDF2 output.</summary>
    public static bool IsPasswordHash(string? text)
    {
        var bytes = new byte[text?.Length ?? 0];
        return text is { Length: > 0 } && Convert.TryFromBase64String(text, bytes, out var length) && length > 16 && bytes[0] == 0x01;
    }

    /// <summary>The account's name and roles if the password is right, else null.</summary>
    public (string Name, string[] Roles)? Verify(string username, string password)
    {
        if (!_accounts.TryGetValue(username, out var account))
        {
            Hasher.VerifyHashedPassword("", _decoy, password);
            return null;
        }
        return Hasher.VerifyHashedPassword("", account.Hash, password) == PasswordVerificationResult.Failed
            ? null
            : (account.Name, account.Roles);
    }
}
