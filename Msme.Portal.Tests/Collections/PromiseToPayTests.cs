using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Msme.Domain.Collections;
using Disposition = Msme.Portal.Data.Entities.Disposition;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Collections;

/// <summary>Promises logged on 1 Oct 2026 against the demo book and statements (which run to 31 Oct).</summary>
public sealed class PromiseToPayTests : IAsyncLifetime
{
    private static readonly DateOnly Oct1 = new(2026, 10, 1);
    private static readonly CollectionsViewer Admin = new("admin", true);
    private TestStore _store = null!;

    // The scenario is played on 2026-10-01 against statements that run to 2026-10-31. The importer refuses data fetched
    // after its clock, so the bundles are imported on the store's clock (the morning after the fetch) and the book and
    // every service below run on this one.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 10, 1, 11, 0, 0, TimeSpan.FromHours(5.5)));

    private CollectionsService Service => new(_store.DbFactory, new AccountDataService(_store.DbFactory, _clock), new CollectionsCache(), _clock);

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(new DateTimeOffset(2026, 11, 1, 11, 0, 0, TimeSpan.FromHours(5.5)));
        var book = await CollectionsData.ImportDemoBundlesAsync(_store);
        await new LoanBookImporter(_store.DbFactory, _clock).ImportFileAsync(book, "test");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_promise_the_book_shows_paid_in_time_is_kept_and_one_nobody_paid_is_broken_after_its_date()
    {
        var loans = await LoansAsync();
        var paid = loans.First(l => PaidBetween(l.Domain, Oct1, Oct1.AddDays(9)) is not null);
        var unpaid = loans.First(l => PaidBetween(l.Domain, Oct1, Oct1.AddDays(2)) is null);
        var kept = await Service.LogContactAsync(Admin, "admin", new ContactInput { CustomerId = paid.CustomerId, LoanKey = paid.Key, Disposition = Disposition.PromiseToPay, PtpDate = Oct1.AddDays(9), PtpAmount = paid.Domain.Emi });
        var broken = await Service.LogContactAsync(Admin, "admin", new ContactInput { CustomerId = unpaid.CustomerId, LoanKey = unpaid.Key, Disposition = Disposition.PromiseToPay, PtpDate = Oct1.AddDays(2), PtpAmount = 5_00_000m });
        Assert.True(kept.Saved && broken.Saved, string.Join("; ", kept.Errors.Concat(broken.Errors)));

        var openNow = (await Service.CustomerAsync(Admin, unpaid.CustomerId))!.Contacts.Single(c => c.Id == broken.Id);
        _clock.Advance(TimeSpan.FromDays(3));
        var keptView = (await Service.CustomerAsync(Admin, paid.CustomerId))!.Contacts.Single(c => c.Id == kept.Id);
        var brokenView = (await Service.CustomerAsync(Admin, unpaid.CustomerId))!.Contacts.Single(c => c.Id == broken.Id);

        Assert.True(PtpState.Open == openNow.Ptp!.State, string.Join(" | ", openNow.Ptp.Reasons));
        Assert.Equal("PTP date 2026-10-03 is 2 days away", openNow.Ptp.Reasons[0]);
        Assert.Equal(PtpState.Kept, keptView.Ptp!.State);
        var instalment = PaidBetween(paid.Domain, Oct1, Oct1.AddDays(9))!;
        Assert.StartsWith($"the book marks {paid.Domain.LoanId} instalment {instalment.Number} PAID ₹{instalment.PaidAmount:0.00} on {instalment.PaidOn:yyyy-MM-dd}", keptView.Ptp.Reasons[0]);
        Assert.Equal(PtpState.Broken, brokenView.Ptp!.State);
        Assert.Equal("PTP date 2026-10-03 has passed (1 days before 2026-10-04)", brokenView.Ptp.Reasons[0]);
        Assert.Equal("no payment of ≥ ₹500000.00 to the loan within 2026-10-01..2026-10-03 in the book or the statement", brokenView.Ptp.Reasons[1]);
    }

    [Fact]
    public async Task A_payment_in_the_statement_keeps_a_promise_before_the_book_catches_up()
    {
        var loans = await LoansAsync();
        var (customerId, _, loan) = loans.First(l => PaidBetween(l.Domain, Oct1, Oct1.AddDays(9)) is not null);
        var instalment = PaidBetween(loan, Oct1, Oct1.AddDays(9))!;
        // The book has not heard yet: the instalment is still PENDING, but the bank statement shows the debit.
        var stale = loan with { Instalments = [.. loan.Instalments.Select(i => i.Number == instalment.Number ? i with { Outcome = InstalmentOutcome.Pending, PaidAmount = 0, Attempts = [] } : i)] };
        var accounts = (await new AccountDataService(_store.DbFactory, _clock).LoadCustomerAsync(customerId)).Select(a => a.Account).ToList();

        var verdict = PromiseToPay.Evaluate(Oct1, Oct1.AddDays(9), loan.Emi, [stale], accounts, Oct1.AddDays(12));

        Assert.Equal(PtpState.Kept, verdict.State);
        Assert.Contains($"payment to {loan.LoanId} ₹{loan.Emi:0.00}", verdict.Reasons[0]);
        Assert.StartsWith($"statement {loan.MaskedAccNumber}:", verdict.Reasons[0]);
    }

    private static LoanInstalment? PaidBetween(Loan loan, DateOnly from, DateOnly to) =>
        loan.Instalments.FirstOrDefault(i => i.PaidOn is { } d && d >= from && d <= to);

    private async Task<List<(int CustomerId, int Key, Loan Domain)>> LoansAsync()
    {
        await using var db = await _store.DbAsync();
        var rows = await db.Loans.Include(l => l.Instalments).Include(l => l.Customer).OrderBy(l => l.Id).ToListAsync();
        return [.. rows.Select(r => (r.CustomerId, r.Id, LoanMapping.ToDomain(r, r.Customer!.AaHandle)))];
    }
}
