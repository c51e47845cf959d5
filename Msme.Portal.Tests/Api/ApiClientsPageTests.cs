using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Features.Api;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Api;

/// <summary>The admin page creates a client (its token shown once, only the hash kept) and revokes it; both are audited.</summary>
public sealed class ApiClientsPageTests : PortalComponentTest
{
    public override async Task InitializeAsync()
    {
        // Before the base resolves its first service (bUnit forbids registering after that).
        Services.AddScoped<ApiClientService>();
        await base.InitializeAsync();
        Auth.SetAuthorized("admin@msme.local");
        Auth.SetRoles(Roles.Admin);
        await SeedAsync(db =>
        {
            db.Roles.Add(new IdentityRole(Roles.Agent) { Id = "role-agent", NormalizedName = "AGENT" });
            db.Users.Add(new ApplicationUser { Id = "agent-7", UserName = "agent7@msme.local", Email = "agent7@msme.local" });
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = "agent-7", RoleId = "role-agent" });
        });
    }

    [Fact]
    public async Task Admin_creates_a_client_sees_its_token_once_and_revokes_it()
    {
        var page = Render<ApiClientsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=create-client]"));

        page.Find("input[data-testid=client-name], [data-testid=client-name] input").Input("risk-dashboard");
        page.FindAll("button").First(b => b.TextContent.Contains("Create")).Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=new-token]")));
        var token = page.Find("input[data-testid=token-value], [data-testid=token-value] input").GetAttribute("value")!;
        Assert.StartsWith(ApiClientService.TokenPrefix, token);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=client-risk-dashboard]")));
        Assert.Contains("RiskManager", page.Find("[data-testid=client-risk-dashboard]").TextContent);
        await using (var db = await Store.DbAsync())
        {
            var stored = await db.ApiClients.SingleAsync();
            Assert.Equal(("risk-dashboard", Roles.RiskManager, ApiClientService.HashOf(token)), (stored.Name, stored.Role, stored.TokenHash));
            Assert.DoesNotContain(token, stored.TokenPrefix + stored.TokenHash);
            Assert.StartsWith(stored.TokenPrefix, token, StringComparison.Ordinal);
        }

        page.Find("[data-testid=revoke-risk-dashboard]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=confirm-revoke-risk-dashboard]")));
        page.Find("[data-testid=confirm-revoke-risk-dashboard]").Click();

        page.WaitForAssertion(() => Assert.Contains("revoked", page.Find("[data-testid=client-risk-dashboard]").TextContent));
        await using var check = await Store.DbAsync();
        Assert.NotNull((await check.ApiClients.SingleAsync()).RevokedAt);
        var audit = await check.AuditEntries.OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["api-client-create", "api-client-revoke"], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal("admin@msme.local", e.UserName));
        Assert.Null(await Services.GetRequiredService<ApiClientService>().AuthenticateAsync(token));
    }

    [Fact]
    public async Task An_agent_client_needs_an_agent_and_binds_to_the_chosen_one()
    {
        var service = Services.GetRequiredService<ApiClientService>();

        var unbound = await service.CreateAsync("collector", Roles.Agent, null, "admin@msme.local");
        var bound = await service.CreateAsync("collector", Roles.Agent, "agent-7", "admin@msme.local");
        var duplicate = await service.CreateAsync("collector", Roles.Admin, null, "admin@msme.local");
        var badName = await service.CreateAsync("no spaces please", Roles.Admin, null, "admin@msme.local");

        Assert.Contains("agent", unbound.Error);
        Assert.Null(bound.Error);
        Assert.Equal("agent7@msme.local", bound.Client!.AgentEmail);
        Assert.Equal(new ApiCaller(bound.Client.Id, "collector", Roles.Agent, "agent-7"), await service.AuthenticateAsync(bound.Token!));
        Assert.Contains("exists", duplicate.Error);
        Assert.NotNull(badName.Error);
        var page = Render<ApiClientsPage>();
        page.WaitForAssertion(() => Assert.Contains("agent7@msme.local", page.Find("[data-testid=client-collector]").TextContent));
    }

    [Fact]
    public async Task The_page_shows_when_each_token_expires_and_rotating_shows_a_new_token_once_and_stops_the_old_one()
    {
        var service = Services.GetRequiredService<ApiClientService>();
        var created = await service.CreateAsync("ingester", ApiRoles.Ingest, null, "admin@msme.local");
        Assert.Null(created.Error);

        var page = Render<ApiClientsPage>();
        page.WaitForAssertion(() => Assert.Equal(
            Msme.Portal.Components.Shared.IndianFormat.DateTime(Store.Clock.GetUtcNow() + TimeSpan.FromDays(90)),
            page.Find("[data-testid=expires-ingester]").TextContent));
        Store.Clock.Advance(TimeSpan.FromDays(10));
        page.Find("[data-testid=rotate-ingester]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=new-token]")));
        var token = page.Find("input[data-testid=token-value], [data-testid=token-value] input").GetAttribute("value")!;
        Assert.NotEqual(created.Token, token);
        page.WaitForAssertion(() => Assert.StartsWith(
            Msme.Portal.Components.Shared.IndianFormat.DateTime(Store.Clock.GetUtcNow() + TimeSpan.FromDays(90)),
            page.Find("[data-testid=expires-ingester]").TextContent));
        Assert.Null(await service.AuthenticateAsync(created.Token!));
        Assert.Equal(ApiRoles.Ingest, (await service.AuthenticateAsync(token))!.Role);
    }
}
