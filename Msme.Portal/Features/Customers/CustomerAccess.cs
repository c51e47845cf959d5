using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Features.Compliance;

namespace Msme.Portal.Features.Customers;

/// <summary>
/// Which customers the signed-in user may see, and the audit of every look: agents see only their portfolio (any
/// other id is "not found", and the attempt is recorded); every view of a customer's data is recorded with the
/// sections shown.
/// </summary>
public sealed class CustomerAccess(Viewer viewer, AuditLog audit, IDbContextFactory<ApplicationDbContext> dbFactory)
{
    /// <summary>Risk managers, compliance and admins see every customer; agents only their portfolio. The one place this is decided.</summary>
    public static bool SeesEveryCustomer(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.RiskManager) || user.IsInRole(Roles.Compliance);

    /// <summary>The customers assigned to an agent: the one portfolio query every service uses.</summary>
    public static IQueryable<int> Portfolio(ApplicationDbContext db, string agentUserId) =>
        db.AgentPortfolios.Where(p => p.AgentUserId == agentUserId).Select(p => p.CustomerId);

    /// <summary>Null when the role sees every customer; otherwise the agent's portfolio.</summary>
    public async Task<IReadOnlyCollection<int>?> VisibleCustomersAsync(CancellationToken ct = default)
    {
        var user = await viewer.UserAsync();
        if (SeesEveryCustomer(user))
        {
            return null;
        }
        var id = user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Portfolio(db, id).ToListAsync(ct);
    }

    public async Task<bool> CanSeeAsync(int customerId, CancellationToken ct = default) =>
        await VisibleCustomersAsync(ct) is not { } visible || visible.Contains(customerId);

    public Task RecordViewAsync(int customerId, string target, string sections, CancellationToken ct = default) =>
        RecordAsync("view", customerId, target, sections, ct);

    public Task RecordRefusedAsync(int customerId, string target, CancellationToken ct = default) =>
        RecordAsync("access-refused", customerId, target, "customer outside the user's portfolio: answered not found", ct);

    /// <summary>A deep link to a tab of the customer page the user's role may not open: shown as "not available", recorded as refused.</summary>
    public Task RecordTabRefusedAsync(int customerId, string target, string tab, IReadOnlyList<string> allowedRoles, CancellationToken ct = default) =>
        RecordAsync("access-refused", customerId, target, $"tab {tab} is for {string.Join(", ", allowedRoles)} only: answered not available", ct);

    private async Task RecordAsync(string action, int customerId, string target, string details, CancellationToken ct)
    {
        await audit.AppendAsync(AuditEvent.For(await viewer.UserAsync(), action, target, customerId, details), ct);
    }
}
