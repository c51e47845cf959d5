using Msme.Domain.Collections;
using Msme.Domain.DemoData;

namespace Msme.Domain.Tests.Collections;

/// <summary>
/// The account-indexed <see cref="CollectionLines.OwnLines"/> (candidates by txnId, by amount, small returns, one search
/// for the loan id over all narrations) must find exactly the lines, in the same order, that applying the rules line by
/// line finds.
/// </summary>
public sealed class OwnLinesIndexTests
{
    [Fact]
    public void The_indexed_own_lines_equal_the_line_by_line_rules_for_demo_loans_and_loans_that_stress_each_rule()
    {
        var customers = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 30, Months: 12, Seed: 7)).ToList();
        var cases = 0;
        var found = 0;
        foreach (var (loan, account) in DemoLoanBook.Portfolio(customers))
        {
            var debits = account.Transactions.Where(t => t.Type == Msme.Domain.Ingestion.TxnType.Debit).ToList();
            var variants = new List<Loan>
            {
                loan,
                // Another EMI: a debit's own amount, so the amount rule has candidates at both ends of the ±₹1 band.
                loan with { Emi = debits[debits.Count / 2].Amount + 1m },
                loan with { Emi = debits[debits.Count / 3].Amount - 1m },
                // A loan id that many narrations hold, several times on one line too; and one no narration holds.
                loan with { LoanId = "N" },
                loan with { LoanId = "/" },
                loan with { LoanId = "NO-SUCH-LOAN-ID", Lender = null, MandateRef = null },
            };
            foreach (var variant in variants)
            {
                var expected = CollectionLines.OwnLinesByScan(variant, account);
                var actual = CollectionLines.OwnLines(variant, account);
                Assert.Equal(expected.Select(t => t.TxnId), actual.Select(t => t.TxnId));
                Assert.True(expected.SequenceEqual(actual, ReferenceEqualityComparer.Instance), $"{variant.LoanId} on {account.MaskedAccNumber}");
                cases++;
                found += actual.Count;
            }
        }
        // Not an empty comparison: every rule had lines to find.
        Assert.True(cases > 100, $"{cases} cases");
        Assert.True(found > 1000, $"{found} lines found");
    }
}
