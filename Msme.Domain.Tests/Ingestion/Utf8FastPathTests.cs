using System.Globalization;
using System.Text;

using Msme.Domain.Ingestion;
using Msme.Domain.Ingestion.Reading;

namespace Msme.Domain.Tests.Ingestion;

/// <summary>
/// The reader takes amounts, balances and timestamps straight from the JSON bytes when it can (issue 17): that path
/// must accept exactly what the text path accepts, give the same values, and hand every other spelling to the text
/// path so that its messages stay word for word.
/// </summary>
public class Utf8FastPathTests
{
    public static TheoryData<string> MoneySpellings => new()
    {
        "1239", "1239.00", "1239.5", "62289.25", "-5.50", "0", "0.00", "-0", "-0.00", "0.005", "0.015", "-0.005",
        "159243.42000000001", "007", "00.50", ".5", "5.", "-.5", "+5", " 5", "5 ", "1e3", "1E3", "1.5e-2", "1,000",
        "", "-", "--5", "5-", "1.2.3", "NaN", "Infinity", "79228162514264337593543950335", "79228162514264337593543950336",
        "0.00000000000000000000000000001", "12345678901234567890.123456789", "١٢٣",
    };

    [Theory]
    [MemberData(nameof(MoneySpellings))]
    public void Money_from_bytes_is_taken_only_where_the_text_path_gives_the_same_number_and_the_same_text(string spelling)
    {
        var fast = ValueParsers.TryMoneyExact(Encoding.UTF8.GetBytes(spelling), out var parsed);
        var slow = ValueParsers.TryMoney(spelling, out var expected, out _);

        if (fast)
        {
            Assert.True(slow);
            Assert.Equal(expected, ValueParsers.ToPaise(parsed));
            Assert.Equal(spelling, parsed.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("1239", true)]
    [InlineData("62289.25", true)]
    [InlineData("-5.50", true)]
    [InlineData("007", false)]
    [InlineData("1e3", false)]
    [InlineData(" 5", false)]
    [InlineData("+5", false)]
    [InlineData("x", false)]
    public void Money_from_bytes_takes_the_plain_spellings_and_leaves_the_rest(string spelling, bool taken) =>
        Assert.Equal(taken, ValueParsers.TryMoneyExact(Encoding.UTF8.GetBytes(spelling), out _));

    public static TheoryData<string> TimestampSpellings => new()
    {
        "2025-04-02T10:00:00+05:30", "2025-04-02T10:00:00-05:30", "2025-04-02T10:00:00+00:00", "2025-04-02T10:00:00-00:00",
        "2025-04-02T10:00:00+14:00", "2025-04-02T10:00:00+15:00", "2025-04-02T10:00:00+05:60", "2025-04-02T24:00:00+05:30",
        "2025-02-29T10:00:00+05:30", "2024-02-29T10:00:00+05:30", "1899-12-31T10:00:00+05:30", "2025-13-01T10:00:00+05:30",
        "2025-04-02t10:00:00+05:30", "2025-04-02 10:00:00+05:30", "2025-04-02T10:00:00Z", "2025-04-02T10:00:00+0530",
        "2025-04-02T10:00:00.123+05:30", "2025-04-02T10:00:00", "02-04-2025T10:00:00+05:30", "2025-04-02T10:00:0a+05:30",
        "2025-04-02T10:00:00+05:3a", "2025-04-02T10:00:00+05-30", "2025-04-02T10:00:60+05:30",
    };

    [Theory]
    [MemberData(nameof(TimestampSpellings))]
    public void Timestamps_from_bytes_are_taken_only_where_the_text_path_gives_the_same_instant_and_the_same_text(string spelling)
    {
        var fast = ValueParsers.TryTimestampExact(Encoding.UTF8.GetBytes(spelling), out var instant);
        var slow = ValueParsers.TryTimestamp(spelling, out var expected, out _);

        if (fast)
        {
            Assert.True(slow);
            Assert.Equal(expected, instant);
            Assert.Equal(expected.Offset, instant.Offset);
            Assert.Equal(spelling, instant.ToString(RawValue.InstantFormat, CultureInfo.InvariantCulture));
        }
        else
        {
            Assert.False(spelling.Length == 25 && slow && spelling[4] == '-' && spelling[10] == 'T' && spelling[19] == '+' && spelling[22] == ':',
                "the usual spelling should take the fast path");
        }
    }

    [Fact]
    public void Repeated_field_with_a_different_spelling_of_the_same_amount_is_reported_with_both_texts_as_written()
    {
        var json = """
            {"maskedAccNumber":"XXXX1","version":"1.1","transactions":{"transaction":[
              {"txnId":"A1","type":"CREDIT","amount":"100.50","amount":"100.5","currentBalance":"5","transactionTimestamp":"2025-04-02T10:00:00+05:30"},
              {"txnId":"A2","type":"CREDIT","amount":-7.25,"currentBalance":"5","transactionTimestamp":"2025-04-02T10:00:00+05:30","transactionTimestamp":"2025-04-02T10:00:00+0530"},
              {"txnId":"A3","type":"DEBIT","amount":"1","currentBalance":"5.00","transactionalBalance":"5.01","transactionTimestamp":"2025-04-02T11:00:00+05:30"}
            ]}}
            """;
        var result = DepositDocumentReader.ReadAll(new MemoryStream(Encoding.UTF8.GetBytes(json)), "inline.json");

        Assert.Collection(result.Issues.Where(i => i.Severity == IssueSeverity.Error),
            i => Assert.Equal(("$.transactions.transaction[0].amount", "100.5", "amount is given twice with different values (first '100.50')"), (i.Path, i.Value, i.Message)),
            i => Assert.Equal(("$.transactions.transaction[1].transactionTimestamp", "2025-04-02T10:00:00+0530",
                "transactionTimestamp is given twice with different values (first '2025-04-02T10:00:00+05:30')"), (i.Path, i.Value, i.Message)),
            i => Assert.Equal(("$.transactions.transaction[1].amount", "-7.25", "amount is negative; the direction belongs in type"), (i.Path, i.Value, i.Message)),
            i => Assert.Equal(("$.transactions.transaction[2].currentBalance", "5.00", "currentBalance and transactionalBalance disagree (5.01)"), (i.Path, i.Value, i.Message)));
    }
}
