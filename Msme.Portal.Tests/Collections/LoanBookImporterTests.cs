using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Msme.Domain.Collections;
using Msme.Portal.Features.Collections;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Collections;

public sealed class LoanBookImporterTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private string _book = null!;

    private LoanBookImporter Importer => new(_store.DbFactory, _store.Clock);

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        _book = await CollectionsData.ImportDemoBundlesAsync(_store);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Demo_book_imports_every_loan_with_money_in_paise_and_records_bucket_moves()
    {
        var parsed = LoanBookReader.ReadJson(File.OpenRead(_book), "loan-book.json");

        var outcome = await Importer.ImportFileAsync(_book, "test");

        Assert.Equal(LoanImportStatus.Imported, outcome.Status);
        Assert.Equal(parsed.Loans.Count, outcome.LoansAdded);
        await using var db = await _store.DbAsync();
        Assert.Equal(parsed.Loans.Count, await db.Loans.CountAsync());
        Assert.Equal(parsed.Loans.Sum(l => l.Instalments.Count), await db.LoanInstalments.CountAsync());
        var first = parsed.Loans[0];
        var row = await db.Loans.Include(l => l.Instalments).SingleAsync(l => l.LoanId == first.LoanId);
        Assert.Equal((long)(first.Emi * 100), row.EmiPaise);
        Assert.Equal((long)(first.SanctionedAmount * 100), row.SanctionedPaise);
        Assert.Equal(first.Instalments.Count(i => i.Outcome == InstalmentOutcome.Paid), row.Instalments.Count(i => i.Outcome == InstalmentOutcome.Paid));
        // Only real moves (bucket changed) are recorded; each names its DPD arithmetic.
        var moves = await db.BucketMoves.ToListAsync();
        Assert.Equal(outcome.BucketMovesRecorded, moves.Count);
        Assert.All(moves, m => { Assert.NotEqual(m.FromBucket, m.ToBucket); Assert.Contains("DPD", m.Reason); });
        Assert.Contains("imported loan-book.json:", outcome.Summary);
    }

    [Fact]
    public async Task Importing_the_same_book_again_changes_nothing()
    {
        await Importer.ImportFileAsync(_book, "test");
        var before = await CollectionsData.SnapshotAsync(_store);

        var again = await Importer.ImportFileAsync(_book, "test");

        Assert.Equal(LoanImportStatus.Unchanged, again.Status);
        Assert.Equal(0, again.LoansAdded + again.LoansUpdated + again.InstalmentsChanged + again.BucketMovesRecorded);
        Assert.Equal(before, await CollectionsData.SnapshotAsync(_store));
    }

    [Fact]
    public async Task A_later_book_updates_an_instalment_outcome_and_appends_bucket_history()
    {
        await Importer.ImportFileAsync(_book, "test");
        // A PAID instalment inside the window is restated as BOUNCED with nothing paid: the loan falls behind.
        string? loanId = null;
        int number = 0;
        var later = await CollectionsData.EditAsync(_book, "later.json", root =>
        {
            foreach (var loan in root["loans"]!.AsArray())
            {
                var paid = loan!["instalments"]!.AsArray().LastOrDefault(i => (string?)i!["outcome"] == "PAID"
                    && string.CompareOrdinal((string?)i!["dueDate"], "2026-08-01") > 0 && string.CompareOrdinal((string?)i!["dueDate"], "2026-10-01") < 0);
                if (paid is null) continue;
                paid["outcome"] = "BOUNCED";
                paid["paidAmount"] = 0;
                paid["attempts"] = new JsonArray();
                (loanId, number) = ((string)loan["loanId"]!, (int)paid["number"]!);
                return;
            }
        });
        Assert.NotNull(loanId);
        var movesBefore = (await CollectionsData.SnapshotAsync(_store)).BucketMoves;

        var outcome = await Importer.ImportFileAsync(later, "test");

        Assert.Equal(LoanImportStatus.Imported, outcome.Status);
        Assert.Equal(1, outcome.LoansUpdated);
        Assert.Equal(1, outcome.InstalmentsChanged);
        await using var db = await _store.DbAsync();
        var row = await db.Loans.Include(l => l.Instalments).SingleAsync(l => l.LoanId == loanId);
        var instalment = row.Instalments.Single(i => i.Number == number);
        Assert.Equal(InstalmentOutcome.Bounced, instalment.Outcome);
        Assert.Equal(0, instalment.PaidPaise);
        Assert.True(outcome.BucketMovesRecorded > 0);
        Assert.Equal(movesBefore + outcome.BucketMovesRecorded, await db.BucketMoves.CountAsync());
        Assert.Contains(await db.BucketMoves.Where(m => m.LoanKey == row.Id).ToListAsync(), m => m.ToBucket == DpdBucket.Dpd1To30);
    }

    [Fact]
    public async Task A_book_with_one_broken_loan_is_rejected_whole_naming_file_loan_and_path()
    {
        await Importer.ImportFileAsync(_book, "test");
        var before = await CollectionsData.SnapshotAsync(_store);
        string? brokenId = null;
        var broken = await CollectionsData.EditAsync(_book, "broken.json", root =>
        {
            var loans = root["loans"]!.AsArray();
            loans[0]!["instalments"]![0]!["outcome"] = "PAID";
            loans[0]!["instalments"]![1]!["outcome"] = "LATE";
            brokenId = (string)loans[0]!["loanId"]!;
        });

        var outcome = await Importer.ImportFileAsync(broken, "test");

        Assert.Equal(LoanImportStatus.Rejected, outcome.Status);
        Assert.StartsWith($"rejected broken.json: error: broken.json account {brokenId} $.loans[0].instalments[1].outcome", outcome.Summary);
        Assert.Equal(before, await CollectionsData.SnapshotAsync(_store));
    }

    [Fact]
    public async Task A_loan_for_an_unknown_customer_rejects_the_file_and_names_the_handle()
    {
        var unknown = await CollectionsData.EditAsync(_book, "unknown.json", root => root["loans"]!.AsArray()[1]!["customer"] = "nobody@onemoney");

        var outcome = await Importer.ImportFileAsync(unknown, "test");

        Assert.Equal(LoanImportStatus.Rejected, outcome.Status);
        var error = Assert.Single(outcome.Issues, i => i.Severity == Msme.Domain.Ingestion.IssueSeverity.Error);
        Assert.Equal("nobody@onemoney", error.Value);
        Assert.Contains("unknown customer", error.Message);
        Assert.Equal(new LoanSnapshot(0, 0, 0, "", 0), await CollectionsData.SnapshotAsync(_store));
    }

    [Fact]
    public async Task A_csv_book_imports_like_the_json_one()
    {
        await using var db0 = await _store.DbAsync();
        var handle = await db0.Customers.Select(c => c.AaHandle).FirstAsync();
        var csv = string.Join('\n',
            string.Join(',', LoanBookReader.CsvColumns),
            $"LNCSV1,{handle},ACME FINANCE,Business Loan,200000,9500,10,24,2026-01-05,NONE,,XXXX0001,,1,2026-02-10,,9500,PAID,9500",
            $"LNCSV1,{handle},ACME FINANCE,Business Loan,200000,9500,10,24,2026-01-05,NONE,,XXXX0001,,2,2026-03-10,,9500,MISSED,");
        var path = Path.Combine(_store.Directory, "book.csv");
        await File.WriteAllTextAsync(path, csv + "\n");

        var outcome = await Importer.ImportFileAsync(path, "test");

        Assert.Equal(LoanImportStatus.Imported, outcome.Status);
        await using var db = await _store.DbAsync();
        var loan = await db.Loans.Include(l => l.Instalments).SingleAsync(l => l.LoanId == "LNCSV1");
        Assert.Equal(950_000, loan.EmiPaise);
        Assert.Equal([InstalmentOutcome.Paid, InstalmentOutcome.Missed], loan.Instalments.OrderBy(i => i.Number).Select(i => i.Outcome));
        // March's missed EMI puts the loan in 1-30 at the end of March, 31-60 at the end of April...
        var moves = await db.BucketMoves.Where(m => m.LoanKey == loan.Id).OrderBy(m => m.MonthEnd).ToListAsync();
        Assert.Equal(new DateOnly(2026, 3, 31), moves[0].MonthEnd);
        Assert.Equal((DpdBucket.Current, DpdBucket.Dpd1To30, 21), (moves[0].FromBucket, moves[0].ToBucket, moves[0].Dpd));
    }
}
