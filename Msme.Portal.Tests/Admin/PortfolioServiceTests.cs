using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Admin;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Admin;

public sealed class PortfolioServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task An_admin_assigns_moves_and_unassigns_a_customer_and_each_change_is_audited()
    {
        using var scope = factory.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<PortfolioService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<ApplicationDbContext>>();
        int customerId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var customer = new Customer { AaHandle = "portfolio-test@onemoney", LegalName = "Portfolio Test Traders" };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            customerId = customer.Id;
        }
        var agent1 = (await users.FindByEmailAsync("agent1@msme.local"))!.Id;
        var agent2 = (await users.FindByEmailAsync("agent2@msme.local"))!.Id;

        await service.AssignAsync(customerId, agent1, "admin@msme.local");
        await service.AssignAsync(customerId, agent2, "admin@msme.local");
        await service.AssignAsync(customerId, agent2, "admin@msme.local"); // no change, no audit line
        var (rows, _) = await service.CustomersAsync("Portfolio Test", 0, 10);
        await service.AssignAsync(customerId, null, "admin@msme.local");

        Assert.Equal("agent2@msme.local", Assert.Single(rows).AssignedTo);
        await using var check = await dbFactory.CreateDbContextAsync();
        Assert.False(await check.AgentPortfolios.AnyAsync(p => p.CustomerId == customerId));
        var changes = await check.AuditEntries.Where(e => e.Action == "portfolio-change" && e.CustomerId == customerId).OrderBy(e => e.Id).Select(e => e.Details).ToListAsync();
        Assert.Equal([$"agent none -> {agent1}", $"agent {agent1} -> {agent2}", $"agent {agent2} -> none"], changes);
        Assert.Equal(2, (await service.AgentsAsync()).Count);
    }

    [Fact]
    public async Task An_assignment_whose_audit_entry_cannot_be_written_does_not_happen()
    {
        using var scope = factory.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<PortfolioService>();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<ApplicationDbContext>>();
        var agent1 = (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync("agent1@msme.local"))!.Id;
        int customerId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var customer = new Customer { AaHandle = "portfolio-atomic@onemoney", LegalName = "Atomic Traders" };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            customerId = customer.Id;
            // Stands for any failure between the change and its audit entry, for this customer only.
            var failing = $"CREATE TRIGGER fail_portfolio_audit_{customerId} BEFORE INSERT ON AuditEntries WHEN NEW.CustomerId = {customerId} " +
                "BEGIN SELECT RAISE(ABORT, 'audit write failed'); END;";
            await db.Database.ExecuteSqlRawAsync(failing);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => service.AssignAsync(customerId, agent1, "admin@msme.local"));

        await using var check = await dbFactory.CreateDbContextAsync();
        Assert.False(await check.AgentPortfolios.AnyAsync(p => p.CustomerId == customerId));
        var drop = $"DROP TRIGGER fail_portfolio_audit_{customerId};";
        await check.Database.ExecuteSqlRawAsync(drop);
    }
}
