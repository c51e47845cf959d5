using Msme.Domain.Ingestion;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Tests.Operations;

public sealed class LogSafeTests
{
    [Theory]
    [InlineData("the signed consent's Customer.id 'sharma101@onemoney' is not the customer asked for", "sharma101@onemoney")]
    [InlineData("UPI/CR/412345678901/RAVI KUMAR/ravi.k@okaxis/FAMILY", "ravi.k@okaxis")]
    [InlineData("holder PAN ABCPK1234F does not match", "ABCPK1234F")]
    [InlineData("mobile 9876543210 not verified", "9876543210")]
    [InlineData("account XXXXXXXX5910 closed", "XXXXXXXX5910")]
    [InlineData("account 001234567890 closed", "001234567890")]
    [InlineData("contact accounts@sharmatraders.in", "accounts@sharmatraders.in")]
    public void Free_text_loses_every_handle_pan_phone_and_account_number(string text, string secret)
    {
        var safe = LogSafe.Text(text);

        Assert.DoesNotContain(secret, safe, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(LogSafe.Redacted, safe, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_reasons_and_small_numbers_stay_readable()
    {
        Assert.Equal("FI/fetch answered 503 after 3 retries in 20 s", LogSafe.Text("FI/fetch answered 503 after 3 retries in 20 s"));
    }

    [Fact]
    public void An_outcome_is_logged_by_session_and_counts_without_the_bundle_name_account_or_value()
    {
        var outcome = ImportOutcome.Rejected("Sharma Traders Pvt Ltd",
            [new IngestionIssue(IssueSeverity.Error, "fi-1.json", "XXXXXXXX5910", "$.Account.Transactions.Transaction[0].amount", "ABCPK1234F", "amount is not a number")],
            TimeSpan.Zero, sessionId: "5c1f0e2a-session");

        var line = LogSafe.Outcome(outcome);

        Assert.Equal("rejected session 5c1f0e2a-session: 1 error(s), the first: error at $.Account.Transactions.Transaction[0].amount: amount is not a number", line);
    }
}
