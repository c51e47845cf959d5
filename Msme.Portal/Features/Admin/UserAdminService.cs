using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Features.Compliance;

namespace Msme.Portal.Features.Admin;

/// <summary>One member of staff as the users page shows them.</summary>
public sealed record StaffUser(string Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, bool LockedOut, DateTimeOffset? LockoutEnd,
    int FailedSignIns, bool TwoFactor, int PortfolioCustomers, DateTimeOffset? LastSignIn);

/// <summary>The admin acting, as the audit trail names them.</summary>
public sealed record ActingAdmin(string UserId, string Email);

/// <summary>
/// Admins manage staff: create users, grant and take roles, lock and unlock sign-in. Every change is on the audit trail.
/// An admin cannot take their own Admin role or lock themselves out, and the last admin keeps the role.
/// </summary>
/// <remarks>
/// Each change and its audit entry commit in one transaction on <paramref name="store"/>, the scoped context Identity's
/// stores write through (the same instance as <paramref name="users"/>' store in this scope).
/// </remarks>
public sealed class UserAdminService(UserManager<ApplicationUser> users, IDbContextFactory<ApplicationDbContext> dbFactory, AuditLog audit, TimeProvider clock,
    ApplicationDbContext store)
{
    public async Task<IReadOnlyList<StaffUser>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var all = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var roleNames = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name ?? r.Id, ct);
        var userRoles = (await db.UserRoles.AsNoTracking().ToListAsync(ct)).ToLookup(r => r.UserId, r => roleNames[r.RoleId]);
        var portfolios = await db.AgentPortfolios.GroupBy(p => p.AgentUserId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var signIns = (await db.AuditEntries.AsNoTracking().Where(e => e.Action == "sign-in" && e.UserId != null).Select(e => new { e.UserId, e.At }).ToListAsync(ct))
            .GroupBy(e => e.UserId!).ToDictionary(g => g.Key, g => g.Max(e => e.At));
        var now = clock.GetUtcNow();
        return [.. all.Select(u => new StaffUser(u.Id, u.Email ?? u.UserName ?? u.Id, u.DisplayName, [.. userRoles[u.Id].Order()],
            u.LockoutEnd is { } end && end > now, u.LockoutEnd, u.AccessFailedCount, u.TwoFactorEnabled, portfolios.GetValueOrDefault(u.Id),
            signIns.TryGetValue(u.Id, out var last) ? last : null))];
    }

    /// <summary>Creates a member of staff with a first password (the password policy applies) and roles. Null when done, else why not.</summary>
    public async Task<string?> CreateAsync(string email, string? displayName, IReadOnlyCollection<string> roles, string password, ActingAdmin admin)
    {
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            return "enter an e-mail address";
        }
        if (roles.Count == 0)
        {
            return "give the user at least one role (a user without a role sees nothing)";
        }
        if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
        {
            return $"unknown role {unknown}";
        }
        email = email.Trim();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim() };
        await using var tx = await store.Database.BeginTransactionAsync();
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return string.Join(" ", created.Errors.Select(e => e.Description));
        }
        var granted = await users.AddToRolesAsync(user, roles);
        if (!granted.Succeeded)
        {
            await users.DeleteAsync(user);
            return string.Join(" ", granted.Errors.Select(e => e.Description));
        }
        await AuditAsync(admin, "user-created", $"{email}: roles {string.Join(",", roles.Order())}");
        await tx.CommitAsync();
        return null;
    }

    /// <summary>Sets the user's roles to exactly <paramref name="roles"/>. Null when done, else why not.</summary>
    public async Task<string?> SetRolesAsync(string userId, IReadOnlyCollection<string> roles, ActingAdmin admin)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return "no such user";
        }
        if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
        {
            return $"unknown role {unknown}";
        }
        var current = await users.GetRolesAsync(user);
        var losesAdmin = current.Contains(Roles.Admin) && !roles.Contains(Roles.Admin);
        if (losesAdmin && userId == admin.UserId)
        {
            return "you cannot take your own Admin role; ask another admin";
        }
        if (losesAdmin && (await users.GetUsersInRoleAsync(Roles.Admin)).Count <= 1)
        {
            return "the last admin keeps the Admin role";
        }
        var remove = current.Except(roles).ToList();
        var add = roles.Except(current).ToList();
        if (remove.Count == 0 && add.Count == 0)
        {
            return "no change";
        }
        await using var tx = await store.Database.BeginTransactionAsync();
        var result = await users.RemoveFromRolesAsync(user, remove);
        if (result.Succeeded)
        {
            result = await users.AddToRolesAsync(user, add);
        }
        if (!result.Succeeded)
        {
            return string.Join(" ", result.Errors.Select(e => e.Description));
        }
        // The new stamp signs the user's cookie and open circuits out of their old roles within a minute (AddMsmeIdentity).
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(admin, "role-change", $"{user.Email}: [{string.Join(",", current.Order())}] -> [{string.Join(",", roles.Order())}]");
        await tx.CommitAsync();
        return null;
    }

    /// <summary>Locks sign-in (until unlocked) or unlocks it and clears failed attempts. Null when done, else why not.</summary>
    public async Task<string?> SetLockedAsync(string userId, bool locked, ActingAdmin admin)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return "no such user";
        }
        if (locked && userId == admin.UserId)
        {
            return "you cannot lock yourself out";
        }
        await using var tx = await store.Database.BeginTransactionAsync();
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (!locked)
        {
            await users.ResetAccessFailedCountAsync(user);
        }
        else
        {
            await users.UpdateSecurityStampAsync(user);
        }
        await AuditAsync(admin, locked ? "user-locked" : "user-unlocked", user.Email ?? userId);
        await tx.CommitAsync();
        return null;
    }

    private Task AuditAsync(ActingAdmin admin, string action, string details) =>
        audit.AppendAsync(store, new AuditEvent(admin.UserId, admin.Email, Roles.Admin, action, "/admin/users", Details: details));
}
