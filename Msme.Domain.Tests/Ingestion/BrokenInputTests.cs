using Microsoft.Extensions.Time.Testing;

using Msme.Domain.Consent;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Ingestion;

/// <summary>Every file in Fixtures/broken is rejected with its own, specific error (see Fixtures/broken/README.md).</summary>
public class BrokenInputTests
{
    public enum Kind { Fi, Consent, Bundle, BundleRead }

    /// <summary>file, how it is read, expected path, message fragment, expected line (XML and JSON syntax errors).</summary>
    public static TheoryData<string, Kind, string, string, int?> Corpus => new()
    {
        { "fi-truncated.json", Kind.Fi, "$.transactions.transaction[1].narration", "the file looks truncated", null },
        { "fi-empty-0-bytes.json", Kind.Fi, "$", "the file is empty (0 bytes)", null },
        { "fi-whitespace-only.json", Kind.Fi, "$", "the file holds only whitespace", null },
        { "fi-amount-object.json", Kind.Fi, "$.transactions.transaction[0].amount", "amount must be a value, not an object", null },
        { "fi-amount-boolean.json", Kind.Fi, "$.transactions.transaction[0].amount", "amount must be a number, not a boolean", null },
        { "fi-missing-txnid.json", Kind.Fi, "$.transactions.transaction[1]", "txnId is missing", null },
        { "fi-missing-amount.json", Kind.Fi, "$.transactions.transaction[0]", "amount is missing", null },
        { "fi-missing-timestamp.json", Kind.Fi, "$.transactions.transaction[0]", "transactionTimestamp is missing", null },
        { "fi-missing-type.json", Kind.Fi, "$.transactions.transaction[0]", "type is missing", null },
        { "fi-missing-balance.json", Kind.Fi, "$.transactions.transaction[0]", "balance is missing (neither currentBalance nor transactionalBalance)", null },
        { "fi-negative-amount.json", Kind.Fi, "$.transactions.transaction[0].amount", "amount is negative", null },
        { "fi-non-numeric-amount.json", Kind.Fi, "$.transactions.transaction[0].amount", "amount is not a number", null },
        { "fi-empty-amount.json", Kind.Fi, "$.transactions.transaction[0].amount", "amount is missing", null },
        { "fi-impossible-date-feb-30.json", Kind.Fi, "$.transactions.transaction[0].transactionTimestamp", "is not a real date: February 2021 has 28 days", null },
        { "fi-impossible-month-13.json", Kind.Fi, "$.transactions.transaction[0].valueDate", "valueDate has no month 13", null },
        { "fi-impossible-time.json", Kind.Fi, "$.transactions.transaction[0].transactionTimestamp", "has an impossible time 25:10:00", null },
        { "fi-unreadable-offset.json", Kind.Fi, "$.transactions.transaction[0].transactionTimestamp", "has an unreadable offset '+5:30'", null },
        { "fi-bad-type.json", Kind.Fi, "$.transactions.transaction[0].type", "type must be CREDIT, DEBIT or REVERSAL", null },
        { "fi-duplicate-txnid-different-amount.json", Kind.Fi, "$.transactions.transaction[1].txnId", "txnId repeats with a different amount, type or timestamp", null },
        { "fi-missing-masked-number.json", Kind.Fi, "$", "account has no maskedAccNumber", null },
        { "fi-no-account.json", Kind.Fi, "$", "no deposit account found in the document", null },
        { "fi-still-encrypted.json", Kind.Fi, "$.FI[0].data[0]", "the FI data is still encrypted (encryptedFI)", null },
        { "fi-transaction-is-string.json", Kind.Fi, "$.transactions.transaction[1]", "transaction item must be an object, not a string", null },
        { "fi-holder-is-string.json", Kind.Fi, "$.profile.holders.holder[0]", "holder item must be an object, not a string", null },
        { "fi-account-is-number.json", Kind.Fi, "$.FI[0].data[0].account", "account must be an object or a string holding a document, not a number", null },
        { "fi-syntax-missing-colon.json", Kind.Fi, "$.maskedAccNumber", "JSON syntax error after this point: '\"' is invalid after a property name. Expected a ':'", 3 },
        { "fi-not-json-or-xml.txt", Kind.Fi, "$", "not a JSON or XML document: it starts with 'm'", null },
        { "fi-non-utf8.json", Kind.Fi, "$.transactions.transaction[0].narration", "byte 0xFF at offset 435 is not valid UTF-8", null },
        { "fi-xml-bad-amount.xml", Kind.Fi, "/Account/Transactions/Transaction[2]@amount", "amount is not a number", 6 },
        { "fi-xml-raw-lt-in-attribute.xml", Kind.Fi, "/Account/Transactions", "XML is not well-formed: '<', hexadecimal value 0x3C, is an invalid attribute character", 5 },
        { "fi-xml-truncated.xml", Kind.Fi, "/Account/Transactions", "XML is not well-formed: There is an unclosed literal string", 6 },
        { "consent-bad-jws-not-compact.json", Kind.Consent, "$.signedConsent", "signedConsent is not a compact JWS", null },
        { "consent-bad-jws-payload.json", Kind.Consent, "$.signedConsent", "the JWS payload is not base64url", null },
        { "consent-no-customer.json", Kind.Consent, "$.signedConsent.Customer.id", "the consent names no customer", null },
        { "consent-bad-datafilter.json", Kind.Consent, "$.signedConsent.DataFilter[0]", "operator '=~' is not one of = != > < >= <=", null },
        { "consent-bad-status.json", Kind.Consent, "$.status", "consent status must be ACTIVE, PAUSED, REVOKED or EXPIRED", null },
        { "bundle-consent-other-customer", Kind.Bundle, "Customer.id", "consent is for customer someone-else@onemoney, bundle is for acme@onemoney", null },
        { "bundle-consent-revoked", Kind.Bundle, "status", "the consent is REVOKED", null },
        { "bundle-consent-without-deposit", Kind.Bundle, "fiTypes", "the consent does not cover DEPOSIT data", null },
        { "bundle-fetch-outside-consent-range", Kind.Bundle, "fetchSession.rangeTo", "the fetch ends after the consent's FIDataRange", null },
        { "bundle-manifest-missing-fields", Kind.Bundle, "$.fetchSession.sessionId", "fetchSession.sessionId is missing", null },
        { "bundle-manifest-names-missing-file", Kind.Bundle, "$.documents[1]", "the manifest names fi-2.xml but the file is missing", null },
        { "envelope-without-fi.json", Kind.Bundle, "$.fi", "the envelope holds no FI documents", null },
        { "bundle-transaction-outside-consent-range", Kind.BundleRead, "transaction[1]", "txnId T2 lies outside the consent's FIDataRange", null },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Broken_input_is_rejected_with_its_specific_error(string file, Kind kind, string path, string fragment, int? line)
    {
        var issues = Read(file, kind);

        var match = issues.FirstOrDefault(i => i.Severity == IssueSeverity.Error && i.Path == path && i.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.True(match is not null, $"no error at {path} containing '{fragment}'; got:\n{string.Join("\n", issues)}");
        if (line is not null)
        {
            Assert.Equal(line, match!.Line);
        }
    }

    [Fact]
    public void Corpus_covers_every_broken_file_and_the_readme_lists_them()
    {
        var listed = Corpus.Select(row => (string)row[0]).ToHashSet();
        var onDisk = Directory.EnumerateFileSystemEntries(Fixtures.Broken(""))
            .Select(Path.GetFileName).Where(n => n != "README.md").ToHashSet();
        var readme = File.ReadAllText(Fixtures.Broken("README.md"));

        Assert.True(onDisk.Count >= 30, $"only {onDisk.Count} broken inputs");
        Assert.Equal(onDisk.Order(), listed.Union(["fi-duplicate-txnid-exact.json"]).Order());
        Assert.All(onDisk, name => Assert.Contains($"`{name}`", readme));
    }

    [Fact]
    public void Exact_duplicate_transaction_is_a_warning_and_kept_once()
    {
        using var stream = Fixtures.Open(Fixtures.Broken("fi-duplicate-txnid-exact.json"));
        var result = DepositDocumentReader.ReadAll(stream, "dup.json");

        Assert.False(result.HasErrors);
        var warning = Assert.Single(result.Issues);
        Assert.Equal(IssueSeverity.Warning, warning.Severity);
        Assert.Equal("$.transactions.transaction[2].txnId", warning.Path);
        Assert.Equal("T1", warning.Value);
        Assert.Equal(["T1", "T2"], Assert.Single(result.Accounts).Transactions.Select(t => t.TxnId));
    }

    private static IReadOnlyList<IngestionIssue> Read(string file, Kind kind)
    {
        var path = Fixtures.Broken(file);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 2, 9, 0, 0, TimeSpan.FromMinutes(330)));
        switch (kind)
        {
            case Kind.Fi:
            {
                using var stream = Fixtures.Open(path);
                return DepositDocumentReader.ReadAll(stream, file).Issues;
            }
            case Kind.Consent:
            {
                using var stream = Fixtures.Open(path);
                var result = ConsentReader.Read(stream, file);
                Assert.Null(result.Consent);
                return result.Issues;
            }
            case Kind.Bundle:
            {
                var result = BundleReader.Open(path, null, clock);
                Assert.Null(result.Bundle);
                return result.Issues;
            }
            default:
            {
                var opened = BundleReader.Open(path, null, clock);
                Assert.True(opened.Bundle is not null, string.Join("\n", opened.Issues));
                return opened.Bundle!.ReadDocuments(new DiscardingSink()).Issues;
            }
        }
    }

    private sealed class DiscardingSink : IDepositSink
    {
        public void BeginAccount(AccountKey key)
        {
        }

        public void OnTransaction(AccountKey key, Transaction txn)
        {
        }

        public void EndAccount(DepositAccount header)
        {
        }
    }
}
