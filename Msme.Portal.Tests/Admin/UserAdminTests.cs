using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Features.Admin;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Admin;

/// <summary>Admins create staff, grant and take roles, lock and unlock sign-in; each change is audited and bites.</summary>
public sealed class UserAdminTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<(UserAdminService Service, ActingAdmin Admin, IServiceScope Scope)> ServiceAsync()
    {
        var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = (await users.FindByEmailAsync("admin@msme.local"))!;
        return (scope.ServiceProvider.GetRequiredService<UserAdminService>(), new ActingAdmin(admin.Id, admin.Email!), scope);
    }

    private async Task<List<string>> TrailAsync(string action)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.Where(e => e.Action == action).OrderBy(e => e.Id).Select(e => e.UserName + ": " + e.Details).ToListAsync();
    }

    [Fact]
    public async Task A_new_user_signs_in_with_their_role_and_a_role_change_moves_what_they_may_open()
    {
        var (service, admin, scope) = await ServiceAsync();
        using var _ = scope;

        Assert.Equal("give the user at least one role (a user without a role sees nothing)",
            await service.CreateAsync("norole@msme.local", null, [], PortalFactory.Password, admin));
        Assert.Null(await service.CreateAsync("newagent@msme.local", "New Agent", [Roles.Agent], PortalFactory.Password, admin));

        var listed = Assert.Single(await service.ListAsync(), u => u.Email == "newagent@msme.local");
        Assert.Equal([Roles.Agent], listed.Roles);
        using (var client = await factory.SignedInClientAsync("newagent@msme.local"))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/collections")).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/compliance")).StatusCode);
        }

        Assert.Null(await service.SetRolesAsync(listed.Id, [Roles.Compliance], admin));

        using (var client = await factory.SignedInClientAsync("newagent@msme.local"))
        {
            // Compliance requires two-factor sign-in: the first thing the new role meets is the enrolment page.
            var first = await client.GetAsync("/compliance");
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            Assert.Equal("/Account/Manage/EnableAuthenticator", first.Headers.Location!.ToString());
            await PortalFactory.EnrolAuthenticatorAsync(client);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/compliance")).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/collections")).StatusCode);
        }
        Assert.Contains("admin@msme.local: newagent@msme.local: roles Agent", await TrailAsync("user-created"));
        Assert.Contains("admin@msme.local: newagent@msme.local: [Agent] -> [Compliance]", await TrailAsync("role-change"));
    }

    [Fact]
    public async Task An_admin_cannot_take_their_own_admin_role_or_lock_themselves_out()
    {
        var (service, admin, scope) = await ServiceAsync();
        using var _ = scope;

        Assert.Equal("you cannot take your own Admin role; ask another admin", await service.SetRolesAsync(admin.UserId, [Roles.Compliance], admin));
        Assert.Equal("you cannot lock yourself out", await service.SetLockedAsync(admin.UserId, true, admin));
        Assert.Contains(Roles.Admin, Assert.Single(await service.ListAsync(), u => u.Id == admin.UserId).Roles);
    }

    [Fact]
    public async Task A_locked_user_cannot_sign_in_until_unlocked()
    {
        var (service, admin, scope) = await ServiceAsync();
        using var _ = scope;
        Assert.Null(await service.CreateAsync("leaver@msme.local", null, [Roles.RiskManager], PortalFactory.Password, admin));
        var id = Assert.Single(await service.ListAsync(), u => u.Email == "leaver@msme.local").Id;

        Assert.Null(await service.SetLockedAsync(id, true, admin));
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var refused = await PortalFactory.SignInAsync(client, "leaver@msme.local", PortalFactory.Password);

        Assert.Contains("Account/Lockout", refused.Headers.Location?.ToString() ?? "");
        Assert.True(Assert.Single(await service.ListAsync(), u => u.Id == id).LockedOut);

        Assert.Null(await service.SetLockedAsync(id, false, admin));
        using var again = await factory.SignedInClientAsync("leaver@msme.local");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/risk")).StatusCode);
        Assert.Contains("admin@msme.local: leaver@msme.local", await TrailAsync("user-locked"));
        Assert.Contains("admin@msme.local: leaver@msme.local", await TrailAsync("user-unlocked"));
    }

    [Fact]
    public async Task The_users_page_lists_staff_with_their_roles_for_admins_only()
    {
        using var admin = await factory.SignedInClientAsync("admin@msme.local");
        var html = await admin.GetStringAsync("/admin/users");
        Assert.Contains("agent1@msme.local", html);
        Assert.Contains("compliance@msme.local", html);

        using var risk = await factory.SignedInClientAsync("risk@msme.local");
        var refused = await risk.GetAsync("/admin/users");
        Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.ToString());
    }
}
