using System.Text;
using System.Text.Json;

using Msme.Domain.Ingestion;
using Msme.Domain.Ingestion.Reading;

namespace Msme.Domain.Tests.Ingestion;

/// <summary>
/// Issue 17: plain JSON transactions are read whole, straight off the tokeniser, and everything else goes through the
/// events as before. Every document here is read both ways and must give the same accounts, transactions and issues,
/// word for word; and the plain ones must really take the fast path.
/// </summary>
public class WholeTransactionTests
{
    private sealed record Outcome(string Accounts, string Issues, int Whole);

    private static Outcome Read(byte[] bytes, bool whole)
    {
        var issues = new IssueCollector("doc.json", cap: 1_000_000);
        var sink = new CollectingSink();
        var read = DepositDocumentReader.Read(new MemoryStream(bytes), issues, sink, new ReadOptions { WholeTransactions = whole });
        return new Outcome(JsonSerializer.Serialize(sink.Accounts), string.Join("\n", issues.ToList()), read);
    }

    private static void AssertSameBothWays(byte[] bytes, string because)
    {
        var events = Read(bytes, whole: false);
        var fast = Read(bytes, whole: true);
        Assert.Equal(0, events.Whole);
        Assert.True(events.Issues == fast.Issues, $"{because}: issues differ\n--- events\n{events.Issues}\n--- whole\n{fast.Issues}");
        Assert.True(events.Accounts == fast.Accounts, $"{because}: accounts differ");
    }

    public static TheoryData<string> JsonFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "aa", "broken" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", dir)).Order())
            {
                if (file.EndsWith(".json", StringComparison.Ordinal))
                {
                    data.Add(Path.Combine(dir, Path.GetFileName(file)));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(JsonFixtures))]
    public void Every_fixture_reads_the_same_both_ways(string fixture) =>
        AssertSameBothWays(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture)), fixture);

    [Fact]
    public void Plain_transactions_take_the_fast_path()
    {
        var bytes = File.ReadAllBytes(Fixtures.Aa("setu_docs_deposit_rebit_v1.1_example.json"));
        var fast = Read(bytes, whole: true);
        var parsed = DepositDocumentReader.ReadAll(new MemoryStream(bytes), "doc.json");

        Assert.NotEmpty(parsed.Accounts.SelectMany(a => a.Transactions));
        Assert.Equal(parsed.Accounts.Sum(a => a.Transactions.Count), fast.Whole);
    }

    [Fact]
    public void A_hostile_mix_of_spellings_kinds_and_mistakes_reads_the_same_both_ways_and_mostly_fast()
    {
        var bytes = HostileDocument(transactions: 3_000);
        Assert.True(bytes.Length > 4 * 64 * 1024, "objects must straddle the reader's 64 KiB buffer");

        AssertSameBothWays(bytes, "hostile mix");
        var fast = Read(bytes, whole: true);
        Assert.InRange(fast.Whole, 1_800, 2_900);
    }

    [Fact]
    public void A_document_cut_off_inside_a_transaction_fails_the_same_both_ways()
    {
        var bytes = HostileDocument(transactions: 40);
        var text = Encoding.UTF8.GetString(bytes);
        var first = text.IndexOf("\"transaction\":[", StringComparison.Ordinal);
        for (var cut = first; cut < bytes.Length; cut += 37)
        {
            AssertSameBothWays(bytes[..cut], $"cut at byte {cut}");
        }
    }

    [Fact]
    public void A_syntax_error_inside_a_transaction_names_the_same_place_both_ways()
    {
        var json = """
            {"maskedAccNumber":"XXXX1","version":"1.1","transactions":{"transaction":[
              {"txnId":"A1","type":"CREDIT","amount":"10","currentBalance":"5","transactionTimestamp":"2025-04-02T10:00:00+05:30"},
              {"txnId":"A2","type":"CREDIT","amount" "10","currentBalance":"5","transactionTimestamp":"2025-04-02T10:00:00+05:30"}
            ]}}
            """;
        var bytes = Encoding.UTF8.GetBytes(json);
        AssertSameBothWays(bytes, "missing colon");
        Assert.Contains("$.transactions.transaction[1].type ", Read(bytes, whole: true).Issues, StringComparison.Ordinal);
    }

    // Each field draws its spelling independently, so the 600 mixed transactions meet most combinations.
    private static readonly string[] TxnIds =
        ["\"txnId\":\"T{0}\"", "\"txn_id\":\"T{0}\"", "\"txnID\":\"T{0}\"", "\"txnId\":\" T{0} \"", "\"txnId\":{0}", "\"txnId\":\"\"",
         "\"txnId\":null", "\"txnId\":true", "\"txnId\":\"T\\u0041{0}\"", "\"txnId\":\"T1\"", "", "\"TxnId\":\"T{0}\"", "\"txnId\":\"\u00a0T{0}\""];

    private static readonly string[] Types =
        ["\"type\":\"CREDIT\"", "\"type\":\"DEBIT\"", "\"type\":\"REVERSAL\"", "\"type\":\"credit\"", "\"type\":\" DEBIT\"", "\"type\":\"X\"",
         "\"type\":1", "", "\"type\":\"\\u0044EBIT\"", "\"Type\":\"DEBIT\""];

    private static readonly string[] Modes =
        ["\"mode\":\"UPI\"", "\"mode\":\"\"", "\"mode\":null", "\"mode\":\"  \"", "\"mode\":\" NEFT \"", "\"mode\":5", "\"mode\":true",
         "\"mode\":\"\u00a0UPI\"", "", "\"mode\":\"é\"", "\"mode\":{\"a\":1}"];

    private static readonly string[] Amounts =
        ["\"amount\":\"100.50\"", "\"amount\":100.5", "\"amount\":\"1e3\"", "\"amount\":\"-5\"", "\"amount\":\"abc\"", "\"amount\":\"\"",
         "\"amount\":true", "\"amount\":{\"x\":1}", "\"amount\":\" 7\"", "\"amount\":\"\\u0031\\u0030\"", "\"amount\":\"0.005\"", "",
         "\"amount\":\"12.00\",\"amount\":\"12\"", "\"amount\":\"12\",\"amount\":\"12\"", "\"amount\":[1]", "\"amount\":\"+5\"", "\"amount\":\"١٢\""];

    private static readonly string[] Balances =
        ["\"currentBalance\":\"5000.25\"", "\"transactionalBalance\":\"-40.10\"", "\"currentBalance\":\"5.00\",\"transactionalBalance\":\"5\"",
         "\"currentBalance\":\"5.00\",\"transactionalBalance\":\"5.01\"", "", "\"current_balance\":\"9\"", "\"currentBalance\":\"x\"",
         "\"currentBalance\":null", "\"transactionalBalance\":\"\"", "\"currentBalance\":\"1\",\"currentBalance\":\"1\""];

    private static readonly string[] Timestamps =
        ["\"transactionTimestamp\":\"2024-04-01T10:00:00+05:30\"", "\"transactionTimestamp\":\"2024-04-01T10:00:00\\u002B05:30\"",
         "\"transactionTimestamp\":\"2024-04-01T10:00:00Z\"", "\"transactionTimestamp\":\"2024-04-01 10:00:00\"",
         "\"transactionTimestamp\":\"2024-02-30T10:00:00+05:30\"", "\"transactionTimestamp\":\"x\"", "",
         "\"transactionTimestamp\":123", "\"transactionTimestamp\":\"2024-04-01T10:00:00.123456789+05:30\"",
         "\"transactionTimestamp\":\" 2024-04-01T10:00:00+05:30\""];

    private static readonly string[] ValueDates =
        ["\"valueDate\":\"2024-04-01\"", "\"valueDate\":\"01-04-2024\"", "\"valueDate\":\"\"", "\"valueDate\":null",
         "\"valueDate\":\"2024-04-01T23:00:00+00:00\"", "\"valueDate\":\"2024-13-01\"", "", "\"valueDate\":\"  \"", "\"valueDate\":20240401"];

    private static readonly string[] Narrations =
        ["\"narration\":\"NEFT-SUPPLIER 7\"", "\"narration\":\"\"", "\"narration\":null", "\"narration\":\" padded \"",
         "\"narration\":\"ünïcode\"", "\"narration\":\"\u00a0x\"", "\"narration\":\"tab\\there\"", "\"narration\":123",
         "\"narration\":true", "\"narration\":\"trailing é\"", "", "\"narration\":\"\\u0020\""];

    private static readonly string[] References =
        ["\"reference\":\"RFN1\"", "", "\"reference\":\"\"", "\"reference\":\"\\/path\"", "\"reference\":\"x\u2003\""];

    private static readonly string[] Extras =
        ["", "", "", "\"foo\":1", "\"meta\":{\"a\":1}", "\"tags\":[1]", "\"narattion\":\"x\""];

    private static byte[] HostileDocument(int transactions)
    {
        var sb = new StringBuilder("""{"FI":{"DEPOSIT":[""");
        for (var account = 0; account < 3; account++)
        {
            sb.Append(account == 0 ? "" : ",");
            // The masked number after the transactions in one account: they are buffered until it is known.
            var masked = $"\"maskedAccNumber\":\"XXXX{account}\",\"version\":\"1.1\",";
            sb.Append('{').Append(account == 1 ? "" : masked).Append("\"transactions\":{\"startDate\":\"2024-04-01\",\"transaction\":[");
            for (var i = 0; i < transactions / 3; i++)
            {
                var n = (account * 100_000) + i;
                string[] parts =
                [
                    string.Format(Pick(TxnIds, i, 1), n), Pick(Types, i, 2), Pick(Modes, i, 3), Pick(Amounts, i, 5), Pick(Balances, i, 7),
                    Pick(Timestamps, i, 11), Pick(ValueDates, i, 13), Pick(Narrations, i, 17), Pick(References, i, 19), Pick(Extras, i, 23),
                ];
                // One in five mixes every field; one in five is plain but for one field, so each spelling is also met
                // alone (where the fast path must decide by it); the rest are plain.
                if (i % 5 != 0)
                {
                    string[] plain = [$"\"txnId\":\"T{n}\"", Types[i % 2], Modes[0], Amounts[i % 2], Balances[i % 2], Timestamps[i % 2],
                        ValueDates[0], Narrations[0], References[0], ""];
                    if (i % 5 == 1)
                    {
                        var field = i / 5 % plain.Length;
                        plain[field] = parts[field];
                    }

                    parts = plain;
                }

                sb.Append(i == 0 ? "" : ",").Append('{').Append(string.Join(",", parts.Where(p => p.Length > 0))).Append('}');
            }

            sb.Append("]}").Append(account == 1 ? "," + masked.TrimEnd(',') : "").Append('}');
        }

        sb.Append("]}}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    // Seeded per transaction and field: every run writes the same document.
    private static string Pick(string[] options, int i, int field) => options[new Random((i * 7919) + field).Next(options.Length)];
}
