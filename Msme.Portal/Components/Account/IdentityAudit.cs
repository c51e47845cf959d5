using Microsoft.AspNetCore.Identity;
using Msme.Portal.Data;
using Msme.Portal.Features.Compliance;

namespace Msme.Portal.Components.Account;

/// <summary>Security events of the account pages (two-factor sign-ins, turning two-factor on or off) on the audit trail.</summary>
internal static class IdentityAudit
{
    public static async Task AppendAsync(this AuditLog audit, UserManager<ApplicationUser> users, ApplicationUser user, string action, string target, string? details = null)
    {
        var roles = string.Join(',', await users.GetRolesAsync(user));
        await audit.AppendAsync(new AuditEvent(user.Id, user.Email ?? user.UserName ?? user.Id, roles, action, target, Details: details));
    }
}
