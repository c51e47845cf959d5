using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;
using Msme.Portal.Data;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Actions;

/// <summary>The coming 30 days' expected return rate under one utility code: presenting on the due dates vs on the recommended windows.</summary>
/// <param name="Presentments">First presentments due in the next 30 days under the code (mandate loans).</param>
/// <param name="WithoutProbability">Of those, rows without a statement: counted as returns in both rates.</param>
public sealed record ReturnRateOutlook(string UtilityCode, string SponsorBank, int Presentments, int WithoutProbability, double DueDateRate, double RecommendedRate);

/// <summary>Return rates per utility code and month, and the next 30 days' outlook, as of the queue's date.</summary>
public sealed record ReturnRateReport(DateOnly AsOf, string AsOfReason, IReadOnlyList<ReturnRateMonth> Months, IReadOnlyList<ReturnRateOutlook> Outlook);

/// <summary>
/// The return-rate monitor (docs/collection-actions.md §2): each utility code's NACH return rate by month from the
/// lender's book, against NPCI's 50 % line, and the coming 30 days' expected rate from the model's probabilities when
/// presenting on the due dates vs in the recommended windows (the queue's own figures, through the consent gate).
/// </summary>
public sealed class ReturnRateService(IDbContextFactory<ApplicationDbContext> dbFactory, CollectionsService collections, AuditLog audit, IOptions<MsmeOptions> options)
{
    public const string Target = "/collections/return-rates";

    public async Task<ReturnRateReport> ReportAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var settings = options.Value.Collections;
        var queue = await collections.QueueAsync(CollectionsViewer.From(user), new QueueQuery(PageSize: int.MaxValue), ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var loans = await db.Loans.AsNoTracking().Include(l => l.Instalments).Include(l => l.Customer).ToListAsync(ct);
        var lenders = loans.ToDictionary(l => l.Id, l => l.Lender);
        var outcomes = loans.SelectMany(l => ReturnRates.Outcomes(LoanMapping.ToDomain(l, l.Customer!.AaHandle), settings.UtilityCodeFor(l.Lender).Code))
            .Where(o => o.Date < queue.AsOf);
        var months = ReturnRates.ByMonth(outcomes);

        var end = queue.AsOf.AddDays(PresentmentService.MaxDaysAhead);
        var coming = queue.Items.Where(i => i.Mandate != Mandate.None && i.Status != CollectionStatus.Overdue && i.DueDate >= queue.AsOf && i.DueDate <= end).ToList();
        var outlook = settings.AllUtilityCodes().Select(code =>
        {
            var mine = coming.Where(i => settings.UtilityCodeFor(lenders.GetValueOrDefault(i.LoanKey)).Code == code.Code).ToList();
            var recommended = mine.Select(i => i.Window is { } w && i.Probability is { } p && w.From != i.DueDate && w.Probability - p >= Recommender.MinShiftGain ? w.Probability : i.Probability).ToList();
            return new ReturnRateOutlook(code.Code, code.SponsorBank, mine.Count, mine.Count(i => i.Probability is null),
                ReturnRates.ExpectedRate([.. mine.Select(i => i.Probability)]), ReturnRates.ExpectedRate(recommended));
        }).ToList();

        await audit.AppendAsync(AuditEvent.For(user, "view", Target, null,
            $"return-rate monitor: {months.Count} code-months, {months.Count(m => m.AboveLine)} above NPCI's 50 % line; outlook " +
            string.Join(", ", outlook.Select(o => $"{o.UtilityCode} due date {o.DueDateRate:P1} vs recommended {o.RecommendedRate:P1} over {o.Presentments}"))), ct);
        return new ReturnRateReport(queue.AsOf, queue.AsOfReason, months, outlook);
    }
}
