using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Actions;

/// <summary>A presentment schedule as the preview shows it: the lines, what is held back, the NPCI-line projection per month and the file.</summary>
public sealed record PresentmentPreview(
    string UtilityCode, string SponsorBank, DateOnly AsOf, PresentmentSchedule Schedule,
    IReadOnlyList<(int Year, int Month, ReturnRateProjection Projection)> Projections, string File)
{
    public bool CrossesLine => Projections.Any(p => p.Projection.CrossesLine);
    public bool NearLine => !CrossesLine && Projections.Any(p => p.Projection.NearLine);
    public double ExpectedReturnRate => Schedule.Lines.Count == 0 ? 0 : Schedule.ExpectedReturns / Schedule.Lines.Count;
    public int WithoutProbability => Schedule.Lines.Count(l => l.Probability is null);
}

/// <summary>The outcome of a maker or checker step: the batch, or why not.</summary>
public sealed record BatchResult(PresentmentBatch? Batch, string? Error)
{
    public bool Ok => Batch is not null;
}

/// <summary>
/// The presentment schedule export (docs/collection-actions.md §1): a preview of the instalments to present in a period
/// on the recommended dates and the allowed re-presentments, under one utility code; a maker (RiskManager or Admin)
/// freezes it into a batch; another RiskManager or Admin approves it, which writes the bulk-debit file (maker-checker:
/// the preparer cannot approve). The figures are the collections queue's (<see cref="CollectionsService"/>, consent gate
/// included); every preview, preparation, approval and download is audited.
/// </summary>
public sealed class PresentmentService(
    IDbContextFactory<ApplicationDbContext> dbFactory, CollectionsService collections, AuditLog audit, TimeProvider clock, IOptions<MsmeOptions> options)
{
    public const string Target = "/collections/presentments";
    /// <summary>The queue forecasts 30 days ahead; a period cannot reach past it.</summary>
    public const int MaxDaysAhead = 30;

    private CollectionActionSettings Settings => options.Value.Collections;

    public static bool MayApprove(ClaimsPrincipal user) => user.IsInRole(Roles.RiskManager) || user.IsInRole(Roles.Admin);

    /// <summary>
    /// Who acts, for maker-checker: the staff user's id, or an API client's own id (a RiskManager or Admin client has no
    /// user id), so two clients, or a client and a person, are different people and one client is always the same.
    /// </summary>
    public static string ActorId(ClaimsPrincipal user) =>
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value
        ?? (user.FindFirst(Api.ApiTokenAuthenticationHandler.ClientIdClaim)?.Value is { } client ? "api-client:" + client : "");

    public IReadOnlyList<(string Code, string SponsorBank)> UtilityCodes => Settings.AllUtilityCodes();

    /// <summary>Checks a period: from today (the queue's as-of date) at the earliest, at most <see cref="MaxDaysAhead"/> days ahead.</summary>
    public static string? CheckPeriod(DateOnly asOf, DateOnly from, DateOnly to) =>
        from < asOf ? $"the period cannot start before {asOf:yyyy-MM-dd} (the forecasts' as-of date)"
        : to < from ? "the period ends before it starts"
        : to > asOf.AddDays(MaxDaysAhead) ? $"the period can reach {MaxDaysAhead} days ahead at most ({asOf.AddDays(MaxDaysAhead):yyyy-MM-dd}): the forecasts go no further"
        : null;

    public async Task<DateOnly> AsOfAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        (await collections.QueueAsync(CollectionsViewer.From(user), new QueueQuery(PageSize: 1), ct)).AsOf;

    /// <summary>The schedule for a utility code and period, with the NPCI-line projection; audited as a view.</summary>
    public async Task<(PresentmentPreview? Preview, string? Error)> PreviewAsync(ClaimsPrincipal user, string utilityCode, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var (preview, error) = await BuildAsync(user, utilityCode, from, to, "preview", ct);
        if (preview is not null)
        {
            await audit.AppendAsync(AuditEvent.For(user, "view", Target, null,
                $"presentment preview {utilityCode} {from:yyyy-MM-dd}..{to:yyyy-MM-dd}: {preview.Schedule.Lines.Count} lines, {preview.Schedule.Held.Count} held, " +
                $"total {BulkDebitFile.Amount(preview.Schedule.Total)}, expected return rate {preview.ExpectedReturnRate:P1}{(preview.CrossesLine ? ", crosses NPCI's 50 % line" : "")}"), ct);
        }
        return (preview, error);
    }

    /// <summary>Maker: freezes the previewed schedule (lines and file) into a batch waiting for approval.</summary>
    public async Task<BatchResult> PrepareAsync(ClaimsPrincipal user, string utilityCode, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (!MayApprove(user)) return new(null, "only a risk manager or an admin prepares presentment batches");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var userId = ActorId(user);
        if (userId.Length == 0) return new(null, "the signed-in user has no id to record as the preparer");
        var nextId = (await db.PresentmentBatches.MaxAsync(b => (int?)b.Id, ct) ?? 0) + 1;
        var reference = string.Create(CultureInfo.InvariantCulture, $"PB-{nextId:D6}");
        var (preview, error) = await BuildAsync(user, utilityCode, from, to, reference, ct);
        if (preview is null) return new(null, error);
        if (preview.Schedule.Lines.Count == 0) return new(null, "nothing to present in this period under this utility code");
        var batch = new PresentmentBatch
        {
            UtilityCode = utilityCode,
            SponsorBank = preview.SponsorBank,
            PeriodFrom = from,
            PeriodTo = to,
            AsOf = preview.AsOf,
            LineCount = preview.Schedule.Lines.Count,
            HeldCount = preview.Schedule.Held.Count,
            TotalPaise = LoanMapping.Paise(preview.Schedule.Total),
            ExpectedReturnRate = preview.ExpectedReturnRate.ToString("0.0000", CultureInfo.InvariantCulture),
            Projection = string.Join("; ", preview.Projections.Select(p => $"{p.Year:D4}-{p.Month:D2}: {p.Projection.Describe()}")),
            CrossesLine = preview.CrossesLine,
            FileName = string.Create(CultureInfo.InvariantCulture, $"{reference}-{utilityCode}-{from:yyyyMMdd}-{to:yyyyMMdd}.csv"),
            FileContent = preview.File,
            FileSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(preview.File))),
            PreparedByUserId = userId,
            PreparedByName = user.Identity?.Name ?? "unknown",
            PreparedAt = clock.GetUtcNow(),
            Status = PresentmentBatchStatus.Prepared,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.PresentmentBatches.Add(batch);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, AuditEvent.For(user, "presentment-prepare", Target, null,
            $"batch #{batch.Id} {batch.FileName}: {batch.LineCount} lines, total {BulkDebitFile.Amount(preview.Schedule.Total)}, sha256 {batch.FileSha256}; {batch.Projection}"), ct);
        await tx.CommitAsync(ct);
        return new(batch, null);
    }

    /// <summary>
    /// Checker: approves a prepared batch and writes its file. Only a risk manager or admin who did not prepare it; a
    /// batch whose month would cross NPCI's 50 % line needs <paramref name="acknowledgeLine"/>. Refusals are audited too.
    /// </summary>
    public async Task<BatchResult> ApproveAsync(ClaimsPrincipal user, int batchId, bool acknowledgeLine, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = await db.PresentmentBatches.FirstOrDefaultAsync(b => b.Id == batchId, ct);
        var userId = ActorId(user);
        var refusal = userId.Length == 0 ? "the signed-in user has no id to record as the approver"
            : batch is null ? $"no presentment batch #{batchId}"
            : !MayApprove(user) ? "only a risk manager or an admin approves presentment batches"
            : batch.Status != PresentmentBatchStatus.Prepared ? $"batch #{batchId} is {batch.Status.ToString().ToLowerInvariant()}, not waiting for approval"
            : batch.PreparedByUserId == userId ? "the preparer cannot approve their own batch (maker-checker): another risk manager or admin must"
            : batch.CrossesLine && !acknowledgeLine ? "this batch would take a month's return rate over NPCI's 50 % line: acknowledge it to approve"
            : null;
        if (refusal is not null)
        {
            await audit.AppendAsync(AuditEvent.For(user, "presentment-approve-refused", Target, null, $"batch #{batchId}: {refusal}"), ct);
            return new(null, refusal);
        }
        batch!.Status = PresentmentBatchStatus.Approved;
        batch.ApprovedByUserId = userId;
        batch.ApprovedByName = user.Identity?.Name ?? "unknown";
        batch.ApprovedAt = clock.GetUtcNow();
        batch.LineAcknowledged = batch.CrossesLine && acknowledgeLine;
        var folder = options.Value.ResolvePresentmentFolder();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, batch.FileName);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, AuditEvent.For(user, "presentment-approve", Target, null,
            $"batch #{batch.Id} {batch.FileName} prepared by {batch.PreparedByName}: {batch.LineCount} lines, sha256 {batch.FileSha256}{(batch.LineAcknowledged ? "; crossing NPCI's 50 % line acknowledged" : "")}"), ct);
        // The file is written before the commit: a failed write leaves the batch prepared; a failed commit leaves a file
        // no approved batch names, which the next approval overwrites.
        await File.WriteAllTextAsync(path, batch.FileContent, new UTF8Encoding(false), ct);
        await tx.CommitAsync(ct);
        return new(batch, null);
    }

    /// <summary>The preparer withdraws a batch not yet approved (or another approver rejects it).</summary>
    public async Task<BatchResult> WithdrawAsync(ClaimsPrincipal user, int batchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = await db.PresentmentBatches.FirstOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null || batch.Status != PresentmentBatchStatus.Prepared || !MayApprove(user))
            return new(null, batch is null ? $"no presentment batch #{batchId}" : "only a prepared batch can be withdrawn, by a risk manager or admin");
        batch.Status = PresentmentBatchStatus.Withdrawn;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, AuditEvent.For(user, "presentment-withdraw", Target, null, $"batch #{batch.Id} {batch.FileName}"), ct);
        await tx.CommitAsync(ct);
        return new(batch, null);
    }

    public async Task<IReadOnlyList<PresentmentBatch>> BatchesAsync(int take = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PresentmentBatches.AsNoTracking().OrderByDescending(b => b.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>An approved batch's file for download (audited); null when there is none or it is not approved.</summary>
    public async Task<PresentmentBatch?> DownloadAsync(ClaimsPrincipal user, int batchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = await db.PresentmentBatches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, ct);
        var ok = batch is { Status: PresentmentBatchStatus.Approved };
        await audit.AppendAsync(AuditEvent.For(user, ok ? "presentment-download" : "presentment-download-refused", Target, null,
            ok ? $"batch #{batchId} {batch!.FileName}, sha256 {batch.FileSha256}" : $"batch #{batchId}: {(batch is null ? "not found" : $"{batch.Status}, not approved")}"), ct);
        return ok ? batch : null;
    }

    private async Task<(PresentmentPreview?, string?)> BuildAsync(ClaimsPrincipal user, string utilityCode, DateOnly from, DateOnly to, string reference, CancellationToken ct)
    {
        if (!MayApprove(user)) return (null, "only a risk manager or an admin sees the presentment schedule");
        var code = UtilityCodes.FirstOrDefault(c => c.Code == utilityCode);
        if (code.Code is null) return (null, $"utility code {utilityCode} is not in the settings (Msme:Collections)");
        // Every instalment the queue forecasts (all customers: the roles here see every customer).
        var queue = await collections.QueueAsync(CollectionsViewer.From(user), new QueueQuery(PageSize: int.MaxValue), ct);
        if (CheckPeriod(queue.AsOf, from, to) is { } bad) return (null, bad);
        var forecasts = queue.Items.ToDictionary(i => (i.LoanKey, i.InstalmentNumber));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var loans = await db.Loans.AsNoTracking().Include(l => l.Instalments).Include(l => l.Customer).ToListAsync(ct);
        var confirmations = (await db.ContactLogs.AsNoTracking()
                .Where(c => c.Disposition == Disposition.PromiseToPay || c.Disposition == Disposition.Paid || c.Disposition == Disposition.Reached)
                .Select(c => new { c.CustomerId, c.LoanKey, c.At }).ToListAsync(ct))
            .Select(c => (c.CustomerId, c.LoanKey, Day: IndianTime.DateOf(c.At))).ToList();
        var candidates = new List<PresentmentCandidate>();
        var history = new List<PresentmentOutcome>();
        foreach (var row in loans)
        {
            var (loanCode, _) = Settings.UtilityCodeFor(row.Lender);
            if (loanCode != utilityCode) continue;
            var loan = LoanMapping.ToDomain(row, row.Customer!.AaHandle);
            history.AddRange(ReturnRates.Outcomes(loan, loanCode));
            var confirmed = confirmations.Where(c => c.CustomerId == row.CustomerId && (c.LoanKey is null || c.LoanKey == row.Id)).Select(c => (DateOnly?)c.Day).Max();
            foreach (var i in loan.Instalments.Where(i => i.Outcome != InstalmentOutcome.Paid && i.DueDate <= to))
            {
                forecasts.TryGetValue((row.Id, i.Number), out var f);
                var overdue = f?.Status == CollectionStatus.Overdue;
                candidates.Add(new PresentmentCandidate(loan, i, row.Customer.LegalName ?? row.Customer.AaHandle, loanCode,
                    overdue ? null : f?.Probability, f?.Window, overdue ? f?.Probability : null, confirmed));
            }
        }
        var schedule = PresentmentScheduler.Build(candidates, queue.AsOf, from, to);
        var months = schedule.Lines.Select(l => (l.Date.Year, l.Date.Month)).Distinct().Order().ToList();
        var projections = months.Select(m => (m.Year, m.Month, ReturnRates.Project(history, schedule.Lines, utilityCode, m.Year, m.Month))).ToList();
        var file = BulkDebitFile.Write(new BulkDebitHeader(reference, utilityCode, code.SponsorBank, clock.GetUtcNow()), schedule.Lines);
        return (new PresentmentPreview(utilityCode, code.SponsorBank, queue.AsOf, schedule, projections, file), null);
    }
}
