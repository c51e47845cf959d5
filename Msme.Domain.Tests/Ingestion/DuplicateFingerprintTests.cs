using System.Text;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Ingestion;

public sealed class DuplicateFingerprintTests
{
    private static DepositParseResult Read(string amountA, string amountB, string timeB = "2021-04-01T10:00:00+05:30") =>
        DepositDocumentReader.ReadAll(new MemoryStream(Encoding.UTF8.GetBytes($$"""
            { "maskedAccNumber": "XXXX1111", "linkedAccRef": "r", "type": "deposit", "version": "1.1",
              "transactions": { "transaction": [
                { "txnId": "T1", "type": "DEBIT", "amount": "{{amountA}}", "currentBalance": "100", "transactionTimestamp": "2021-04-01T10:00:00+05:30" },
                { "txnId": "T1", "type": "DEBIT", "amount": "{{amountB}}", "currentBalance": "100", "transactionTimestamp": "{{timeB}}" } ] } }
            """)), "dup.json");

    [Fact]
    public void The_same_amount_written_with_another_scale_is_an_exact_duplicate()
    {
        var result = Read("1239", "1239.00");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Single(result.Accounts.Single().Transactions);
        Assert.Contains(result.Issues, i => i.Message.Contains("exact duplicate"));
    }

    [Fact]
    public void The_same_instant_written_in_another_offset_is_an_exact_duplicate()
    {
        var result = Read("10", "10", timeB: "2021-04-01T04:30:00Z");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
    }

    [Fact]
    public void A_different_amount_is_a_conflict_naming_the_new_values()
    {
        var result = Read("1239", "1293");

        var error = Assert.Single(result.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal("$.transactions.transaction[1].txnId", error.Path);
        Assert.Contains("txnId repeats with a different amount, type or timestamp (now 1293 DEBIT", error.Message);
    }
}
