using Msme.Domain.DemoData;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.DemoData;

/// <summary>Generates a small portfolio once; every test reads it.</summary>
public sealed class DemoPortfolio
{
    public static readonly DemoOptions Options = new(new DateOnly(2026, 9, 30), Customers: 40, Months: 14, Seed: 7);

    public IReadOnlyList<DemoCustomer> Customers { get; } = DemoGenerator.Generate(Options).ToList();
}

public sealed class DemoGeneratorTests(DemoPortfolio portfolio) : IClassFixture<DemoPortfolio>
{
    private IReadOnlyList<DemoCustomer> Customers => portfolio.Customers;

    private static bool IsBounceCharge(Transaction t) =>
        t.Narration!.StartsWith("ACH RTN CHRG", StringComparison.Ordinal) || t.Narration.StartsWith("NACH RETURN CHARGES", StringComparison.Ordinal);

    private static bool IsMandateEmi(Transaction t) =>
        t.Type == TxnType.Debit && (t.Narration!.StartsWith("ACH/", StringComparison.Ordinal) || t.Narration.StartsWith("NACH-DR-", StringComparison.Ordinal)
                                    || t.Narration.Contains("/AUTOPAY ", StringComparison.Ordinal));

    [Fact]
    public void Same_options_give_equal_customers_and_a_different_seed_does_not()
    {
        var options = DemoPortfolio.Options with { Customers = 3 };
        var a = DemoGenerator.Generate(options).ToList();
        var b = DemoGenerator.Generate(options).ToList();
        var c = DemoGenerator.Generate(options with { Seed = 8 }).ToList();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(a[i].Customer, b[i].Customer);
            Assert.Equal(a[i].Accounts[0].Transactions, b[i].Accounts[0].Transactions);
        }
        Assert.NotEqual(a[0].Customer.Pan, c[0].Customer.Pan);
    }

    [Fact]
    public void Balances_chain_from_one_transaction_to_the_next_in_timestamp_order()
    {
        foreach (var customer in Customers)
        foreach (var account in customer.Accounts)
        {
            var txns = account.Transactions;
            Assert.NotEmpty(txns);
            for (var i = 1; i < txns.Count; i++)
            {
                var t = txns[i];
                Assert.True(t.Timestamp >= txns[i - 1].Timestamp, $"{account.MaskedAccNumber} {t.TxnId} out of order");
                var expected = txns[i - 1].Balance + (t.Type == TxnType.Credit ? t.Amount : -t.Amount);
                Assert.Equal(expected, t.Balance);
                Assert.True(t.Amount > 0);
                Assert.True(t.Balance >= -(account.Summary!.CurrentOdLimit ?? 0), $"{t.TxnId} below the OD limit");
            }
            Assert.Equal(txns[^1].Balance, account.Summary!.CurrentBalance);
        }
    }

    [Fact]
    public void Transaction_ids_are_unique_per_account()
    {
        foreach (var account in Customers.SelectMany(c => c.Accounts))
            Assert.Equal(account.Transactions.Count, account.Transactions.Select(t => t.TxnId).Distinct().Count());
    }

    [Fact]
    public void Every_transaction_lies_inside_the_consent_range_and_the_session_range()
    {
        foreach (var c in Customers)
        {
            Assert.Equal(c.Customer.AaHandle, c.Consent.CustomerId);
            Assert.Equal(c.Accounts.Count, c.Consent.Accounts.Count);
            foreach (var t in c.Accounts.SelectMany(a => a.Transactions))
            {
                Assert.InRange(t.Timestamp, c.Consent.FiDataFrom!.Value, c.Consent.FiDataTo!.Value);
                Assert.InRange(t.Timestamp, c.Session.RangeFrom!.Value, c.Session.RangeTo!.Value);
                Assert.Equal(IndianTime.Offset, t.Timestamp.Offset);
            }
            Assert.True(c.Session.FetchedAt > c.Session.RangeTo);
            Assert.True(c.Consent.ConsentStart < c.Session.FetchedAt && c.Session.FetchedAt < c.Consent.ConsentExpiry);
        }
    }

    [Fact]
    public void Every_bounce_charge_belongs_to_a_returned_presentment_of_a_loan()
    {
        var charges = 0;
        foreach (var c in Customers)
        {
            var txns = c.Accounts.SelectMany(a => a.Transactions).ToDictionary(t => t.TxnId);
            var chargeIds = c.Accounts.SelectMany(a => a.Transactions).Where(IsBounceCharge).Select(t => t.TxnId).ToHashSet();
            var linked = new HashSet<string>();
            foreach (var loan in c.Loans)
            foreach (var i in loan.Instalments)
            foreach (var a in i.Attempts.Where(a => a.Bounced))
            {
                Assert.NotEqual(InstalmentOutcome.Pending, i.Outcome);
                if (loan.Mandate != MandateType.ENach) continue;
                Assert.NotNull(a.ChargeTxnId); // every e-NACH return is charged (possibly recovered later)
                var charge = txns[a.ChargeTxnId!];
                Assert.True(IsBounceCharge(charge));
                Assert.Contains(charge.Amount, new[] { 295m, 590m });
                Assert.True(charge.Date >= a.Date);
                linked.Add(a.ChargeTxnId!);
            }
            Assert.Equal(chargeIds, linked);
            charges += chargeIds.Count;
        }
        Assert.True(charges > 0, "the sample portfolio should contain bounces");
    }

    [Fact]
    public void Emi_debits_in_the_statement_are_exactly_the_paid_attempts_of_the_loans()
    {
        var emis = 0;
        foreach (var c in Customers)
        {
            var txns = c.Accounts.SelectMany(a => a.Transactions).ToDictionary(t => t.TxnId);
            var attempts = c.Loans.SelectMany(l => l.Instalments.SelectMany(i => i.Attempts.Select(a => (l, i, a)))).ToList();
            foreach (var (loan, instalment, a) in attempts.Where(x => !x.a.Bounced))
            {
                var t = txns[a.TxnId!];
                Assert.Equal(TxnType.Debit, t.Type);
                Assert.Equal(a.Amount, t.Amount);
                Assert.Equal(a.Date, t.Date);
                if (a.Kind == AttemptKind.Presentment) Assert.Equal(loan.Emi, t.Amount);
            }
            foreach (var loan in c.Loans)
            foreach (var i in loan.Instalments.Where(i => i.Attempts.Count > 0))
            {
                Assert.Equal(i.Attempts.Where(a => !a.Bounced).Sum(a => a.Amount), i.PaidAmount);
                var expected = i.PaidAmount >= i.Amount ? InstalmentOutcome.Paid
                    : i.PaidAmount > 0 ? InstalmentOutcome.Partial : InstalmentOutcome.Bounced;
                Assert.Equal(expected, i.Outcome);
            }
            var mandateDebits = c.Accounts.SelectMany(a => a.Transactions).Where(IsMandateEmi).Select(t => t.TxnId).ToHashSet();
            var presented = attempts.Where(x => x.a is { Bounced: false, Kind: AttemptKind.Presentment }).Select(x => x.a.TxnId!).ToHashSet();
            Assert.Equal(presented, mandateDebits);
            emis += presented.Count;
        }
        Assert.True(emis > 0);
    }

    [Fact]
    public void Instalments_follow_the_due_day_and_presentments_avoid_sundays()
    {
        foreach (var loan in Customers.SelectMany(c => c.Loans))
        {
            Assert.Equal(loan.TenureMonths, loan.Instalments.Count);
            foreach (var i in loan.Instalments)
            {
                Assert.Equal(loan.DueDay, i.DueDate.Day);
                if (i.PresentedDate is { } p) Assert.NotEqual(DayOfWeek.Sunday, p.DayOfWeek);
                if (i.DueDate > DemoPortfolio.Options.WindowEnd) Assert.Equal(InstalmentOutcome.Pending, i.Outcome);
            }
        }
    }

    [Fact]
    public void A_stable_kirana_has_hundreds_of_credits_a_year_and_a_festive_peak()
    {
        var options = new DemoOptions(new DateOnly(2026, 3, 31), Customers: 30, Months: 12, Seed: 11);
        var kiranas = DemoGenerator.Generate(options).Where(c => c is { Archetype: DemoArchetype.Kirana, Trend: IncomeTrend.Stable }).ToList();
        Assert.NotEmpty(kiranas);
        foreach (var k in kiranas)
        {
            var credits = k.Accounts[0].Transactions.Where(t => t.Type == TxnType.Credit).ToList();
            Assert.True(credits.Count > 300, $"{k.Customer.LegalName}: {credits.Count} credits");
            Assert.Contains(credits, t => t.Narration!.StartsWith("UPI", StringComparison.Ordinal));
            Assert.Contains(credits, t => t.Mode == "CASH");
            var byMonth = credits.GroupBy(t => t.Date.Month).ToDictionary(g => g.Key, g => g.Sum(t => t.Amount));
            var median = byMonth.Values.Order().ElementAt(byMonth.Count / 2);
            Assert.True((byMonth[10] + byMonth[11]) / 2 > median, $"{k.Customer.LegalName}: Oct-Nov not above the median month");
        }
    }

    [Fact]
    public void Manufacturers_pay_salaries_and_gst_and_receive_from_a_few_buyers()
    {
        var makers = Customers.Where(c => c.Archetype == DemoArchetype.Manufacturer).ToList();
        Assert.NotEmpty(makers);
        foreach (var m in makers)
        {
            var txns = m.Accounts[0].Transactions;
            Assert.Contains(txns, t => t.Type == TxnType.Debit && (t.Narration!.StartsWith("SAL/", StringComparison.Ordinal) || t.Narration.StartsWith("CMS/SALARY", StringComparison.Ordinal)));
            Assert.Contains(txns, t => t.Narration!.StartsWith("GST", StringComparison.Ordinal));
            Assert.Contains(txns, t => t.Type == TxnType.Credit && (t.Narration!.StartsWith("NEFT-", StringComparison.Ordinal) || t.Narration.StartsWith("RTGS/", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Ondc_sellers_receive_settlements_every_few_days()
    {
        var options = new DemoOptions(new DateOnly(2026, 3, 31), Customers: 30, Months: 6, Seed: 3);
        var sellers = DemoGenerator.Generate(options).Where(c => c.Archetype == DemoArchetype.OndcSeller).ToList();
        Assert.NotEmpty(sellers);
        foreach (var s in sellers)
        {
            var settlements = s.Accounts[0].Transactions.Where(t => t.Narration!.Contains("ondc settlement", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.InRange(settlements.Count, 180 / 6, 180 / 2 + 5);
        }
    }

    [Fact]
    public void Customer_identifiers_have_their_real_world_formats()
    {
        foreach (var c in Customers)
        {
            Assert.Matches(@"^[A-Z]{3}[PCF][A-Z][0-9]{4}[A-Z]$", c.Customer.Pan!);
            Assert.Matches(@"^UDYAM-[A-Z]{2}-[0-9]{2}-[0-9]{7}$", c.Customer.Udyam!);
            Assert.Matches(@"^[a-z0-9]+@(onemoney|finvu|setu)$", c.Customer.AaHandle);
            Assert.Matches(@"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", c.Session.SessionId);
            Assert.Contains(c.Consent.PurposeCode, new[] { "103", "104" });
        }
        Assert.Equal(Customers.Count, Customers.Select(c => c.Customer.AaHandle).Distinct().Count());
    }
}
