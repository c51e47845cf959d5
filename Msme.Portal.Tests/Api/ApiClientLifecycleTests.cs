using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Features.Api;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Api;

/// <summary>API tokens: re-checked on every call, expiring, rotatable; and the ingest-only machine role.</summary>
public sealed class ApiClientLifecycleTests(ClockedPortalFactory factory) : IClassFixture<ClockedPortalFactory>
{
    [Fact]
    public async Task Every_call_rechecks_the_agent_a_client_acts_for_locked_out_or_no_longer_an_agent_means_401()
    {
        const string email = "bound-agent@msme.local";
        string userId;
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, PortalFactory.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Agent)).Succeeded);
            userId = user.Id;
        }
        using var client = await factory.ApiClientAsync(Roles.Agent, email);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/customers")).StatusCode);

        await WithUserAsync(userId, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
        var locked = await client.GetAsync("/api/v1/customers");
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);

        await WithUserAsync(userId, (users, user) => users.SetLockoutEndDateAsync(user, null));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/customers")).StatusCode);

        await WithUserAsync(userId, (users, user) => users.RemoveFromRoleAsync(user, Roles.Agent));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/customers")).StatusCode);
    }

    [Fact]
    public async Task A_token_expires_after_its_lifetime_and_the_admin_page_shows_when()
    {
        var (token, name, _) = await factory.NewClientAsync(Roles.RiskManager);
        using var client = factory.ApiClient(token);
        var row = (await Service().ListAsync()).Single(c => c.Name == name);
        Assert.Equal(factory.Clock.GetUtcNow() + TimeSpan.FromDays(90), row.ExpiresAt);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/customers")).StatusCode);

        factory.Clock.Advance(TimeSpan.FromDays(90) - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/customers")).StatusCode);

        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/customers")).StatusCode);
        Assert.True(row.ExpiredAt(factory.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task Rotating_issues_a_new_token_and_the_old_one_stops_at_once()
    {
        var (old, name, id) = await factory.NewClientAsync(Roles.Compliance);
        using var before = factory.ApiClient(old);
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/v1/consents")).StatusCode);
        factory.Clock.Advance(TimeSpan.FromDays(30));

        var rotated = await Service().RotateAsync(id, "admin@msme.local");

        Assert.Null(rotated.Error);
        Assert.NotEqual(old, rotated.Token);
        Assert.Equal(factory.Clock.GetUtcNow() + TimeSpan.FromDays(90), rotated.Client!.ExpiresAt);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/v1/consents")).StatusCode);
        using var after = factory.ApiClient(rotated.Token);
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/api/v1/consents")).StatusCode);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        var audit = await db.AuditEntries.Where(e => e.Action == "api-client-rotate").Select(e => e.Details).ToListAsync();
        Assert.Contains(audit, d => d!.Contains($"'{name}'") && d.Contains(old[..12]) && !d.Contains(rotated.Token!));

        await Service().RevokeAsync(id, "admin@msme.local");
        Assert.Contains("revoked", (await Service().RotateAsync(id, "admin@msme.local")).Error);
    }

    [Fact]
    public async Task An_ingest_client_may_post_imports_and_read_nothing()
    {
        using var client = await factory.ApiClientAsync(ApiRoles.Ingest);

        var import = await client.PostAsync("/api/v1/imports", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.True(import.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{(int)import.StatusCode}");
        Assert.True((int)import.StatusCode < 500);
        foreach (var path in new[] { "/api/v1/customers", "/api/v1/customers/1/analytics", "/api/v1/consents", "/api/v1/collections/queue" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/consents/notification", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    private ApiClientService Service() => factory.Services.CreateScope().ServiceProvider.GetRequiredService<ApiClientService>();

    private async Task WithUserAsync(string userId, Func<UserManager<ApplicationUser>, ApplicationUser, Task<IdentityResult>> change)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True((await change(users, (await users.FindByIdAsync(userId))!)).Succeeded);
    }
}
