using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;
using Msme.Portal.Data;

namespace Msme.Portal.Hosting;

/// <summary>
/// Refuses a password that is on the list of common and breached passwords shipped with the app (ASVS 2.1.7), or is
/// one of them dressed up with digits and symbols at its ends ("Password2026!"), case ignored. The list is the
/// embedded resource common-passwords.txt (49,233 entries; provenance and licence in common-passwords.LICENSE.txt).
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<ApplicationUser>
{
    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        if (List.Value.Contains(lower))
        {
            return true;
        }
        var core = lower.Trim(Decorations);
        return core.Length >= 4 && core.Length < lower.Length && List.Value.Contains(core);
    }

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = "This password is on the list of common or breached passwords; choose another." })
            : IdentityResult.Success);

    private static readonly char[] Decorations = [.. "0123456789!@#$%^&*()-_=+.,;:?/\\|'\"`~[]{}<> "];

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("Msme.Portal.Hosting.common-passwords.txt")
            ?? throw new InvalidOperationException("the embedded list of common passwords is missing");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line);
            }
        }
        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
