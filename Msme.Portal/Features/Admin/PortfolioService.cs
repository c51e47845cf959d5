using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Compliance;

namespace Msme.Portal.Features.Admin;

public sealed record AgentOption(string UserId, string Email, string? DisplayName, int Customers);

public sealed record PortfolioRow(int CustomerId, string? LegalName, string AaHandle, string? AssignedTo);

/// <summary>Admins assign customers to agents; every change is on the audit trail.</summary>
public sealed class PortfolioService(IDbContextFactory<ApplicationDbContext> dbFactory, UserManager<ApplicationUser> users, AuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<AgentOption>> AgentsAsync(CancellationToken ct = default)
    {
        var agents = await users.GetUsersInRoleAsync(Roles.Agent);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.AgentPortfolios.GroupBy(p => p.AgentUserId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return [.. agents.OrderBy(a => a.Email).Select(a => new AgentOption(a.Id, a.Email ?? a.UserName ?? a.Id, a.DisplayName, counts.GetValueOrDefault(a.Id)))];
    }

    public async Task<(IReadOnlyList<PortfolioRow> Rows, int Total)> CustomersAsync(string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Customers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var like = $"%{search.Trim()}%";
            query = query.Where(c => EF.Functions.Like(c.LegalName!, like) || EF.Functions.Like(c.AaHandle, like));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(c => c.LegalName).Skip(page * pageSize).Take(pageSize)
            .Select(c => new PortfolioRow(c.Id, c.LegalName, c.AaHandle,
                db.AgentPortfolios.Where(p => p.CustomerId == c.Id).Join(db.Users, p => p.AgentUserId, u => u.Id, (p, u) => u.Email).FirstOrDefault()))
            .ToListAsync(ct);
        return (rows, total);
    }

    /// <summary>Gives the customer to the agent (a customer has one agent at a time), or takes it away when agent is null.</summary>
    public async Task AssignAsync(int customerId, string? agentUserId, string admin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The assignment and its audit entry commit together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var current = await db.AgentPortfolios.Where(p => p.CustomerId == customerId).ToListAsync(ct);
        if (current.Count == 1 && current[0].AgentUserId == agentUserId)
        {
            return;
        }
        db.AgentPortfolios.RemoveRange(current);
        if (agentUserId is not null)
        {
            db.AgentPortfolios.Add(new AgentPortfolio { AgentUserId = agentUserId, CustomerId = customerId, AssignedBy = admin, AssignedAt = clock.GetUtcNow() });
        }
        await db.SaveChangesAsync(ct);
        var from = string.Join(",", current.Select(p => p.AgentUserId));
        await audit.AppendAsync(db, new AuditEvent(null, admin, Roles.Admin, "portfolio-change", "/admin/portfolios", customerId,
            $"agent {(from.Length == 0 ? "none" : from)} -> {agentUserId ?? "none"}"), ct);
        await tx.CommitAsync(ct);
    }
}
