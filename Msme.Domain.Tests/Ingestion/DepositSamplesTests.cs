using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Ingestion;

public class DepositSamplesTests
{
    private static DepositParseResult ReadFixture(string name)
    {
        using var stream = Fixtures.Open(Fixtures.Aa(name));
        return DepositDocumentReader.ReadAll(stream, name);
    }

    [Fact]
    public void Setu_mock_extract_reads_30_transactions_with_profile_and_summary()
    {
        var result = ReadFixture("setu_mock_deposit_XXXXXXX123_extract.json");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Empty(result.Issues);
        var account = Assert.Single(result.Accounts);
        Assert.Equal("XXXXXXX123", account.MaskedAccNumber);
        Assert.Equal("8b63022b-5696-4d74-a46d-3868bd00e7f5", account.LinkedAccRef);
        Assert.Equal(SchemaGeneration.V1, account.Generation);
        Assert.Equal(30, account.Transactions.Count);

        var first = account.Transactions[0];
        Assert.Equal("M3258741", first.TxnId);
        Assert.Equal(TxnType.Debit, first.Type);
        Assert.Equal("UPI", first.Mode);
        Assert.Equal(1239m, first.Amount);
        Assert.Equal(62289.25m, first.Balance);
        Assert.Equal(new DateTimeOffset(2021, 4, 1, 13, 20, 14, TimeSpan.FromMinutes(330)), first.Timestamp);
        Assert.Equal(new DateOnly(2021, 4, 1), first.ValueDate);
        Assert.Equal(0, first.Position);

        var last = account.Transactions[^1];
        Assert.Equal("M79308792", last.TxnId);
        Assert.Equal(TxnType.Credit, last.Type);
        Assert.Equal(15691.88m, last.Amount);
        Assert.Equal(132518.97m, last.Balance);
        Assert.Equal(29, last.Position);

        Assert.Equal("SINGLE", account.HoldingType);
        var holder = Assert.Single(account.Holders);
        Assert.Equal("Ramkrishna Sapan", holder.Name);
        Assert.Equal(new DateOnly(1970, 7, 24), holder.Dob);
        Assert.Equal("AAAPL1234C", holder.Pan);
        Assert.Equal("true", holder.Ckyc);

        var summary = account.Summary!;
        Assert.Equal(101666.33m, summary.CurrentBalance);
        Assert.Equal("APNB0001154", summary.Ifsc);
        Assert.Equal("SAVINGS", summary.AccountSubType);
        Assert.Null(summary.AccountType);
        Assert.Equal(new DateOnly(1999, 8, 6), summary.OpeningDate);
        Assert.Null(summary.ExchangeRate);
        var pending = Assert.Single(summary.Pending);
        Assert.Equal(new PendingTxn("DEBIT", 0m), pending);
        // The statement period is declared as timestamps; their IST dates are the period.
        Assert.Equal(new DateOnly(2019, 4, 11), account.StartDate);
        Assert.Equal(new DateOnly(2021, 9, 17), account.EndDate);
    }

    [Fact]
    public void Setu_sandbox_three_accounts_read_with_exact_counts_and_shared_link_reference_told_apart()
    {
        var result = ReadFixture("setu_sandbox_deposit_3accounts_scrubbed.json");

        Assert.Empty(result.Issues);
        Assert.Equal([30, 252, 389], result.Accounts.Select(a => a.Transactions.Count));
        Assert.Equal(["XXXXXXX123", "XXXXXXX444", "XXXXXXX456"], result.Accounts.Select(a => a.MaskedAccNumber));
        Assert.Equal(result.Accounts[1].LinkedAccRef, result.Accounts[2].LinkedAccRef);
        Assert.Equal("910c4972-0339-42ab-b88d-939de7b65a3a", result.Accounts[1].LinkedAccRef);

        var upiHeavy = result.Accounts[1];
        Assert.Equal("QYY0ZBBONS", upiHeavy.Transactions[0].TxnId);
        Assert.Equal(15000m, upiHeavy.Transactions[0].Amount);
        Assert.Equal(332688.79m, upiHeavy.Transactions[0].Balance);
        Assert.Equal("JLMYRXHR7A", upiHeavy.Transactions[^1].TxnId);
        Assert.Equal(45m, upiHeavy.Transactions[^1].Amount);
        Assert.Equal(27715m, upiHeavy.Transactions[^1].Balance);
        Assert.Equal(27715m, upiHeavy.Summary!.CurrentBalance);

        var salary = result.Accounts[2];
        Assert.Equal("OJSDY45XA3", salary.Transactions[0].TxnId);
        Assert.Equal(698m, salary.Transactions[0].Amount);
        Assert.Equal(3234.5m, salary.Transactions[0].Balance);
        Assert.Equal("J1URZMLE7T", salary.Transactions[^1].TxnId);
        Assert.Equal(1495.3m, salary.Transactions[^1].Amount);
        Assert.Equal(88302.41m, salary.Transactions[^1].Balance);
        Assert.All(salary.Transactions, t => Assert.Equal("OTHERS", t.Mode));
    }

    [Fact]
    public void Float_noise_in_balances_is_rounded_to_paise()
    {
        var result = ReadFixture("setu_sandbox_deposit_3accounts_scrubbed.json");

        var balances = result.Accounts[0].Transactions.Select(t => t.Balance).ToList();
        Assert.Contains(159243.42m, balances);
        Assert.All(balances, b => Assert.Equal(b, Math.Round(b, 2)));
    }

    [Fact]
    public void Setu_v1_docs_example_reads_snake_case_identity_and_v1_summary()
    {
        var result = ReadFixture("setu_docs_deposit_rebit_v1.1_example.json");

        Assert.Empty(result.Issues);
        var account = Assert.Single(result.Accounts);
        Assert.Equal("XXXXXXX123", account.MaskedAccNumber);
        Assert.Equal("123456789", account.LinkedAccRef);
        Assert.Equal(SchemaGeneration.V1, account.Generation);
        var txn = Assert.Single(account.Transactions);
        Assert.Equal(62289.25m, txn.Balance);
        Assert.Equal("APNB0001154", account.Summary!.Ifsc);
        Assert.Equal("SAVINGS", account.Summary.AccountSubType);
        Assert.Null(account.StartDate);
        Assert.Null(account.EndDate);
    }

    [Fact]
    public void Setu_v2_docs_example_reads_v2_names()
    {
        var result = ReadFixture("setu_docs_deposit_rebit_v2.0.0_example.json");

        Assert.Empty(result.Issues);
        var account = Assert.Single(result.Accounts);
        Assert.Equal(SchemaGeneration.V2, account.Generation);
        Assert.Equal("2.0.0", account.Version);
        var txn = Assert.Single(account.Transactions);
        Assert.Equal("M3258741", txn.TxnId);
        Assert.Equal(1239m, txn.Amount);
        Assert.Equal(62289.25m, txn.Balance);
        var summary = account.Summary!;
        Assert.Equal("REGULAR", summary.AccountType);
        Assert.Equal("SAVINGS", summary.AccountSubType);
        Assert.Equal("APNB0001154", summary.Ifsc);
        Assert.Equal(new PendingTxn("DEBIT", 0m), Assert.Single(summary.Pending));
        Assert.Equal("YES", Assert.Single(account.Holders).Ckyc);
    }

    [Fact]
    public void Sahamati_dirty_sample_imports_with_a_warning_for_each_typo()
    {
        var result = ReadFixture("sahamati_fiu-data-governance_transactions.json");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        var account = Assert.Single(result.Accounts);
        Assert.Equal("********1234", account.MaskedAccNumber);
        Assert.Equal("ref74343876876513", account.LinkedAccRef);
        Assert.Equal(10, account.Transactions.Count);
        var first = account.Transactions[0];
        Assert.Equal("490963", first.TxnId);
        Assert.Equal(5402m, first.Amount);
        Assert.Equal(505402m, first.Balance);
        Assert.Equal("85619", first.Reference);
        // No offset in the feed: India Standard Time.
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 17, 48, 34, TimeSpan.FromMinutes(330)).AddTicks(5030), first.Timestamp);
        Assert.Equal("396249", account.Transactions[^1].TxnId);
        Assert.Equal(523564m, account.Summary!.CurrentBalance);
        Assert.Equal("ACTIVE", account.Summary.Status);
        Assert.Equal(1m, account.Summary.ExchangeRate);
        Assert.Equal(2, account.Summary.Pending.Count);
        Assert.Equal(new DateOnly(2021, 1, 31), account.EndDate);
        Assert.Equal(new DateTimeOffset(2021, 3, 11, 11, 39, 57, 153, TimeSpan.Zero), account.Summary.BalanceDateTime);

        var warnings = result.Issues.Select(i => i.Message).ToList();
        Assert.Contains(warnings, m => m.StartsWith("'txnID' is a misspelling of 'txnId'"));
        Assert.Contains(warnings, m => m.StartsWith("'endData' is a misspelling of 'endDate'"));
        Assert.Contains(warnings, m => m.StartsWith("'ckycConpliance' is a misspelling of 'ckycCompliance'"));
        Assert.Contains(warnings, m => m.StartsWith("'balanceDataTime' is a misspelling of 'balanceDateTime'"));
        Assert.Contains(warnings, m => m.StartsWith("'exchangeRate' is a misspelling of 'exchgeRate'"));
        Assert.Contains(warnings, m => m.StartsWith("status should be upper case"));
        // Once per account, not once per transaction.
        Assert.Single(result.Issues, i => i.Message.StartsWith("'txnID'"));
        var txnIdWarning = result.Issues.Single(i => i.Message.StartsWith("'txnID'"));
        Assert.Equal("$.Transactions.Transaction[0].txnID", txnIdWarning.Path);
        Assert.Equal("********1234", txnIdWarning.Account);
    }
}
