using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Collections;
using Msme.Domain.Privacy;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Customers;
using Msme.Portal.Features.Risk;

namespace Msme.Portal.Features.Exports;

/// <summary>
/// The tables behind the download buttons: each is built by the same service call as its page, with the page's filters,
/// for the signed-in user (agents get only their portfolio, as on screen), and masked by <see cref="DisclosurePolicy"/>
/// exactly where the page masks.
/// </summary>
public sealed class ReportExports(CollectionsService collections, RiskService risk, IDbContextFactory<ApplicationDbContext> dbFactory)
{
    private static readonly ExportColumn[] QueueColumns =
    [
        new("Customer id", ColumnKind.Integer), new("Customer"), new("Loan"), new("Product"), new("Instalment", ColumnKind.Integer),
        new("Due date", ColumnKind.Date), new("EMI (₹)", ColumnKind.Money), new("Probability", ColumnKind.Ratio),
        new("Best window from", ColumnKind.Date), new("Best window to", ColumnKind.Date), new("Window probability", ColumnKind.Ratio),
        new("Expected balance (₹)", ColumnKind.Money), new("Status"), new("DPD", ColumnKind.Integer), new("Bucket"),
        new("Risk amount (₹)", ColumnKind.Money), new("Top action"), new("Forecasts as of", ColumnKind.Date), new("Follow-ups"),
    ];

    /// <summary>The collections queue as the page shows it (same filters and order), every row, no paging.</summary>
    public async Task<ExportTable> QueueAsync(ClaimsPrincipal user, QueueQuery query, CancellationToken ct = default)
    {
        var viewer = CollectionsViewer.From(user);
        var all = await collections.QueueAsync(viewer, query with { Page = 0, PageSize = int.MaxValue }, ct);
        var rows = all.Items.Select(i => new object?[]
        {
            i.CustomerId, i.CustomerName, i.LoanId, i.Product, i.InstalmentNumber, i.DueDate, i.Emi, i.Probability,
            i.Window?.From, i.Window?.To, i.Window?.Probability, i.ExpectedBalance, CollectionFormat.Status(i.Status), i.Dpd,
            CollectionFormat.Bucket(i.Bucket), i.RiskAmount, i.Top is { } top ? CollectionFormat.Action(top) : null, all.AsOf,
            i.Flags.Count == 0 ? null : string.Join("; ", i.Flags.Select(f => QueueFlagChips.Text(f) + (f.Note is { Length: > 0 } n ? $" ({f.By}: {n})" : ""))),
        }).ToList();
        var filters = string.Join("; ", new[]
        {
            $"filter={query.Filter}", query.Status is { } s ? $"status={s}" : null, string.IsNullOrWhiteSpace(query.Search) ? null : $"search={query.Search.Trim()}",
            $"sort={query.SortBy ?? "risk"} {(query.Descending ? "desc" : "asc")}", viewer.SeesAll ? "every customer" : "own portfolio",
        }.Where(f => f is not null));
        return ExportTable.Of("collections-queue", "Collections queue", filters, QueueColumns, rows);
    }

    private static readonly ExportColumn[] AnomalyColumns =
    [
        new("Severity"), new("Customer id", ColumnKind.Integer), new("Customer"), new("Scope"), new("Detectors"), new("What"),
        new("Period"), new("Date", ColumnKind.Date), new("Amount (₹)", ColumnKind.Money),
        new("Deviation %", ColumnKind.Ratio), new("State"), new("Reason"), new("Escalated to"),
        new("Reviewed by"), new("Reviewed at", ColumnKind.DateTime), new("Why"), new("Findings"), new("Key"),
    ];

    /// <summary>The anomaly queue (one row per event) with the page's filters and order. Texts that quote narrations are masked per role.</summary>
    public async Task<ExportTable> AnomaliesAsync(ClaimsPrincipal user, AnomalyFilter filter, string? sort, bool descending, CancellationToken ct = default)
    {
        var policy = PolicyOf(user);
        var reviewer = new Reviewer(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", user.Identity?.Name ?? "");
        var page = await risk.QueueAsync(filter, reviewer, 0, int.MaxValue, sort, descending, ct);
        var rows = page.Items.Select(r => new object?[]
        {
            r.Event.Severity.ToString(), r.CustomerId, r.CustomerName, r.Scope, string.Join(", ", r.Event.Detectors), r.Event.KindName,
            r.Period, r.Day == DateOnly.MinValue ? null : r.Day, r.Event.Amount, r.Event.DeviationPct,
            r.State.ToString(), r.Reason, r.Target?.ToString(), r.ReviewerName, r.ReviewedAt, policy.Narration(r.Event.Explanation.Narrative),
            policy.Narration(RiskService.FindingsText(r.Event)), r.Key,
        }).ToList();
        static string Set<T>(string name, IReadOnlyCollection<T> values) => values.Count == 0 ? $"{name}=any" : $"{name}={string.Join(',', values)}";
        var filters = string.Join("; ", Set("detector", filter.Detectors), Set("severity", filter.Severities), Set("state", filter.States),
            Set("portfolio", filter.Portfolios ?? []),
            $"sort={sort ?? "severity"} {(descending ? "desc" : "asc")}");
        return ExportTable.Of("anomalies", "Anomaly review", filters, AnomalyColumns, rows);
    }

    private static readonly ExportColumn[] PortfolioColumns =
    [
        new("Bucket"), new("Instalments", ColumnKind.Integer), new("EMI due (₹)", ColumnKind.Money),
        new("Expected, due date (₹)", ColumnKind.Money), new("Expected, recommended (₹)", ColumnKind.Money),
        new("Efficiency, due date", ColumnKind.Ratio), new("Efficiency, recommended", ColumnKind.Ratio), new("Forecasts as of", ColumnKind.Date),
    ];

    /// <summary>The collections portfolio simulation: one row per DPD bucket and the total, as on /collections/portfolio.</summary>
    public async Task<ExportTable> CollectionsPortfolioAsync(CancellationToken ct = default)
    {
        var summary = await collections.PortfolioAsync(ct);
        var rows = summary.Simulation.Buckets.Select(b => Row(CollectionFormat.Bucket(b.Bucket), b))
            .Append(Row("All", summary.Simulation.Total)).ToList();
        return ExportTable.Of("collections-portfolio", "Portfolio simulation",
            $"{summary.Customers} customers; {summary.Loans} loans; as of {summary.AsOf:yyyy-MM-dd}", PortfolioColumns, rows);

        object?[] Row(string label, BucketEfficiency b) =>
            [label, b.Instalments, b.Due, b.ExpectedDueDate, b.ExpectedRecommended, Ratio(b.EfficiencyDueDate), Ratio(b.EfficiencyRecommended), summary.AsOf];
    }

    private static readonly ExportColumn[] DashboardColumns =
    [
        new("Figure"), new("Group"), new("Count", ColumnKind.Integer), new("Amount (₹)", ColumnKind.Money), new("Ratio", ColumnKind.Ratio), new("Month", ColumnKind.Date),
    ];

    /// <summary>Every figure of the risk dashboard in one tidy table: KPIs, the four distributions and the inflow by month.</summary>
    public async Task<ExportTable> RiskDashboardAsync(CancellationToken ct = default)
    {
        var view = await risk.GetDashboardAsync(null, ct);
        var f = view.Portfolio.Figures;
        var rows = new List<object?[]>
        {
            new object?[] { "Customers with AA data", null, f.Customers, null, null, null },
            new object?[] { "Anomalies", "all detectors", f.Severities.Total, null, null, null },
            new object?[] { "Median income CV", null, null, null, f.MedianIncomeCv, null },
        };
        rows.AddRange(view.States.OrderBy(s => s.Key).Select(s => new object?[] { "Review state", s.Key.ToString(), s.Value, null, null, null }));
        foreach (var d in new[] { f.Tiers, f.Severities, f.Detectors, f.IncomeCv })
        {
            var name = d.Figure switch
            {
                "stabilityTier" => "Income stability tier (customers)",
                "anomalySeverity" => "Anomalies by severity",
                "anomalyDetector" => "Anomalies by detector",
                _ => "Income CV band (customers)",
            };
            rows.AddRange(d.Counts.Select(c => new object?[] { name, c.Key, c.Count, null, null, null }));
        }
        rows.AddRange(f.Inflow.Months.Select(m => new object?[] { "Portfolio inflow by month", m.Month.ToString(), m.Customers, m.Inflow, null, m.Month.FirstDay }));
        return ExportTable.Of("risk-dashboard", "Risk dashboard", $"{f.Customers} customers", DashboardColumns, rows);
    }

    private static readonly ExportColumn[] AuditColumns =
    [
        new("Id", ColumnKind.Integer), new("At (IST)", ColumnKind.DateTime), new("User id"), new("User"), new("Roles"), new("Action"),
        new("Customer id", ColumnKind.Integer), new("Target"), new("Details"), new("Previous hash"), new("Hash"),
    ];

    /// <summary>The audit trail up to its current last entry, streamed from the store in id order (every column, hashes included).</summary>
    public async Task<ExportTable> AuditTrailAsync(CancellationToken ct = default)
    {
        long last;
        int count;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            last = await db.AuditEntries.MaxAsync(a => (long?)a.Id, ct) ?? 0;
            count = await db.AuditEntries.CountAsync(a => a.Id <= last, ct);
        }
        return new ExportTable("audit-trail", "Audit trail", $"entries 1..{last}", AuditColumns, count, Entries(last, ct));

        async IAsyncEnumerable<object?[]> Entries(long upTo, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
        {
            await using var db = await dbFactory.CreateDbContextAsync(token);
            await foreach (var e in db.AuditEntries.AsNoTracking().Where(a => a.Id <= upTo).OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(token))
            {
                yield return [e.Id, e.At, e.UserId, e.UserName, e.Roles, e.Action, e.CustomerId, e.Target, e.Details, e.PreviousHash, e.Hash];
            }
        }
    }

    public static DisclosurePolicy PolicyOf(ClaimsPrincipal user) =>
        DisclosurePolicy.For(user.FindAll(user.Identities.FirstOrDefault()?.RoleClaimType ?? ClaimTypes.Role).Select(c => c.Value));

    /// <summary>Efficiencies are exact quotients of money; six places is what the contract gives ratios.</summary>
    private static decimal Ratio(double v) => Math.Round((decimal)v, 6);
}
