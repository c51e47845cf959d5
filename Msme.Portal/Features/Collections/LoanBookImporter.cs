using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;
using Entities = Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Collections;

public enum LoanImportStatus { Imported, Unchanged, Rejected }

/// <summary>What one loan book import did, as counts and one CLI-style line.</summary>
public sealed record LoanImportOutcome(
    string FileName, LoanImportStatus Status, int LoansAdded, int LoansUpdated, int LoansUnchanged, int InstalmentsChanged,
    int BucketMovesRecorded, IReadOnlyList<IngestionIssue> Issues, TimeSpan Elapsed)
{
    public string Summary => Status switch
    {
        LoanImportStatus.Rejected => $"rejected {FileName}: {Issues.FirstOrDefault(i => i.Severity == IssueSeverity.Error)?.ToString() ?? "unknown error"}"
            + (Issues.Count(i => i.Severity == IssueSeverity.Error) is > 1 and var n ? $" (and {n - 1} more)" : ""),
        LoanImportStatus.Unchanged => $"unchanged {FileName}: {LoansUnchanged} loans already in the store",
        _ => $"imported {FileName}: {LoansAdded} loans added, {LoansUpdated} updated, {LoansUnchanged} unchanged; {InstalmentsChanged} instalments changed; {BucketMovesRecorded} bucket moves recorded",
    };
}

/// <summary>
/// Imports the lender's loan book (JSON or CSV, docs/loan-book-format.md). Atomic: one transaction, and any error
/// rejects the whole file. Idempotent: the same book again changes nothing. A later book updates outcomes in place.
/// After the upsert, month-end DPD buckets (BucketHistory) are appended where they changed.
/// </summary>
public sealed class LoanBookImporter(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider clock)
{
    public async Task<LoanImportOutcome> ImportFileAsync(string path, string? user, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        return await ImportAsync(Path.GetFileName(path), stream, user, ct);
    }

    public async Task<LoanImportOutcome> ImportAsync(string fileName, Stream content, string? user, CancellationToken ct = default)
    {
        var timer = Stopwatch.StartNew();
        var parsed = fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            ? LoanBookReader.ReadCsv(content, fileName)
            : LoanBookReader.ReadJson(content, fileName);
        var issues = parsed.Issues.ToList();
        if (parsed.HasErrors)
        {
            return await RejectAsync(fileName, issues, user, timer, ct);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var handles = parsed.Loans.Select(l => l.Customer).Distinct().ToList();
        var customers = await db.Customers.Where(c => handles.Contains(c.AaHandle)).ToDictionaryAsync(c => c.AaHandle, c => c.Id, StringComparer.Ordinal, ct);
        for (var i = 0; i < parsed.Loans.Count; i++)
        {
            var loan = parsed.Loans[i];
            if (!customers.ContainsKey(loan.Customer))
            {
                issues.Add(new(IssueSeverity.Error, fileName, loan.LoanId, "customer", loan.Customer,
                    "unknown customer: no AA data has been imported for this handle; import the customer's bundle first"));
            }
        }
        if (issues.Any(i => i.Severity == IssueSeverity.Error))
        {
            return await RejectAsync(fileName, issues, user, timer, ct);
        }

        var now = clock.GetUtcNow();
        var today = IndianTime.Today(clock);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = parsed.Loans.Select(l => l.LoanId).ToList();
        var existing = await db.Loans.Include(l => l.Instalments).Where(l => ids.Contains(l.LoanId))
            .ToDictionaryAsync(l => l.LoanId, StringComparer.Ordinal, ct);
        int added = 0, updated = 0, unchanged = 0, instalmentsChanged = 0;
        var touched = new List<(Entities.Loan Row, Loan Book)>(parsed.Loans.Count);
        foreach (var book in parsed.Loans)
        {
            var customerId = customers[book.Customer];
            if (!existing.TryGetValue(book.LoanId, out var row))
            {
                row = new Entities.Loan { LoanId = book.LoanId, Product = book.Product, MaskedAccNumber = book.MaskedAccNumber, SourceFile = fileName, ImportedAt = now, UpdatedAt = now };
                LoanMapping.ApplyTerms(row, book, customerId);
                foreach (var i in book.Instalments)
                {
                    var r = new Entities.LoanInstalment { Number = i.Number, UpdatedAt = now };
                    LoanMapping.ApplyInstalment(r, i);
                    row.Instalments.Add(r);
                }
                db.Loans.Add(row);
                added++;
                instalmentsChanged += book.Instalments.Count;
                touched.Add((row, book));
                continue;
            }
            var changed = LoanMapping.ApplyTerms(row, book, customerId);
            var byNumber = row.Instalments.ToDictionary(i => i.Number);
            foreach (var i in book.Instalments)
            {
                if (!byNumber.Remove(i.Number, out var r))
                {
                    r = new Entities.LoanInstalment { Number = i.Number };
                    row.Instalments.Add(r);
                }
                if (LoanMapping.ApplyInstalment(r, i))
                {
                    r.UpdatedAt = now;
                    instalmentsChanged++;
                    changed = true;
                }
            }
            // The book is the schedule's master: numbers it no longer lists are gone (a restructured schedule).
            foreach (var gone in byNumber.Values)
            {
                row.Instalments.Remove(gone);
                db.LoanInstalments.Remove(gone);
                instalmentsChanged++;
                changed = true;
            }
            if (changed)
            {
                row.UpdatedAt = now;
                row.SourceFile = fileName;
                updated++;
            }
            else
            {
                unchanged++;
            }
            touched.Add((row, book));
        }
        await db.SaveChangesAsync(ct);

        var moves = await RecordBucketMovesAsync(db, touched, today, now, ct);
        var status = added + updated + moves == 0 ? LoanImportStatus.Unchanged : LoanImportStatus.Imported;
        var outcome = new LoanImportOutcome(fileName, status, added, updated, unchanged, instalmentsChanged, moves, issues, timer.Elapsed);
        db.ImportRuns.Add(Run(outcome, user, now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>Month ends before today, from the first instalment's month: a row where the bucket moved, or where a later book restated a recorded month.</summary>
    private static async Task<int> RecordBucketMovesAsync(ApplicationDbContext db, List<(Entities.Loan Row, Loan Book)> loans, DateOnly today,
        DateTimeOffset now, CancellationToken ct)
    {
        var keys = loans.Select(l => l.Row.Id).ToList();
        var recorded = (await db.BucketMoves.AsNoTracking().Where(m => keys.Contains(m.LoanKey)).OrderBy(m => m.Id).ToListAsync(ct))
            .GroupBy(m => (m.LoanKey, m.MonthEnd)).ToDictionary(g => g.Key, g => g.Last());
        var lastMonthEnd = new DateOnly(today.Year, today.Month, 1).AddDays(-1);
        var count = 0;
        foreach (var (row, book) in loans)
        {
            if (book.Instalments.Count == 0) continue;
            var first = book.Instalments.Min(i => i.DueDate);
            if (first > lastMonthEnd) continue;
            foreach (var move in BucketHistory.Moves(book, first, lastMonthEnd))
            {
                var known = recorded.GetValueOrDefault((row.Id, move.MonthEnd));
                var record = known is null
                    ? move.From != move.To
                    : known.FromBucket != move.From || known.ToBucket != move.To || known.Dpd != move.Dpd;
                if (!record) continue;
                db.BucketMoves.Add(new Entities.BucketMove
                {
                    LoanKey = row.Id, MonthEnd = move.MonthEnd, FromBucket = move.From, ToBucket = move.To, Dpd = move.Dpd,
                    Reason = known is null ? move.Reason : $"{move.Reason} (restated by a later loan book)", RecordedAt = now,
                });
                count++;
            }
        }
        return count;
    }

    private async Task<LoanImportOutcome> RejectAsync(string fileName, List<IngestionIssue> issues, string? user, Stopwatch timer, CancellationToken ct)
    {
        var outcome = new LoanImportOutcome(fileName, LoanImportStatus.Rejected, 0, 0, 0, 0, 0, issues, timer.Elapsed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ImportRuns.Add(Run(outcome, user, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return outcome;
    }

    private static Entities.ImportRun Run(LoanImportOutcome o, string? user, DateTimeOffset at) => new()
    {
        BundleName = "loan book " + o.FileName,
        Outcome = o.Status.ToString().ToLowerInvariant(),
        Message = o.Summary.Length > 1000 ? o.Summary[..1000] : o.Summary,
        At = at,
        By = user,
        ElapsedMs = (long)o.Elapsed.TotalMilliseconds,
    };
}
