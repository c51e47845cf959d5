using System.Text;

using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Ingestion;

/// <summary>The same account in the shapes aggregators actually send: wrappers, spellings, XML, key orders.</summary>
public class DepositShapesTests
{
    private static readonly TimeSpan Ist = TimeSpan.FromMinutes(330);

    private static DepositParseResult Read(string text) =>
        DepositDocumentReader.ReadAll(new MemoryStream(Encoding.UTF8.GetBytes(text)), "inline.json");

    private const string Txn = """{"txnId":"A1","type":"CREDIT","mode":"UPI","amount":100.5,"currentBalance":"1100.50","transactionTimestamp":"2025-04-02T10:00:00+0530"}""";

    [Fact]
    public void Fi_fetch_wrapper_gives_each_account_the_fip_and_the_data_entrys_identity()
    {
        var result = Read(
            """{"ver":"2.0.0","txnid":"x","FI":[{"fipID":"HDFC-FIP","data":[{"linkRefNumber":"L1","maskedAccNumber":"XXXX9","decryptedFI":"""
            + """{"account":{"type":"deposit","version":"2.0.0","Transactions":{"Transaction":""" + Txn + "}}}}]}]}");

        Assert.Empty(result.Issues);
        var account = Assert.Single(result.Accounts);
        Assert.Equal(("HDFC-FIP", "L1", "XXXX9"), (account.FipId, account.LinkedAccRef, account.MaskedAccNumber));
        Assert.Equal(SchemaGeneration.V2, account.Generation);
        var txn = Assert.Single(account.Transactions);
        Assert.Equal(100.5m, txn.Amount);
        Assert.Equal(new DateTimeOffset(2025, 4, 2, 10, 0, 0, Ist), txn.Timestamp);
    }

    [Fact]
    public void Decrypted_fi_as_base64_xml_is_read_as_an_embedded_document()
    {
        var xml = """<Account linkedAccRef="L2" maskedAccNumber="XXXX2" version="1.1" type="deposit"><Transactions><Transaction txnId="B1" type="DEBIT" amount="7" currentBalance="3" transactionTimestamp="2025-04-02T10:00:00Z"/></Transactions></Account>""";
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(xml));
        var result = Read("{\"fiObjects\":[{\"fipID\":\"SBI-FIP\",\"data\":[{\"decryptedFI\":\"" + base64 + "\"}]}]}");

        Assert.Empty(result.Issues);
        var account = Assert.Single(result.Accounts);
        Assert.Equal(("SBI-FIP", "L2", "XXXX2"), (account.FipId, account.LinkedAccRef, account.MaskedAccNumber));
        Assert.Equal("B1", Assert.Single(account.Transactions).TxnId);
    }

    [Fact]
    public void Capitalised_keys_and_a_single_holder_object_are_read_like_setu_lower_case()
    {
        var result = Read($$$$"""
            {"Account":{"maskedAccNumber":"XXXX3","linkedAccRef":"L3","version":"1.1","type":"deposit",
              "Profile":{"Holders":{"type":"JOINT","Holder":{"name":"A B","dob":"1980-01-31","pan":"ABCDE1234F","ckycCompliance":true}}},
              "Summary":{"currentBalance":1100.5,"type":"CURRENT","ifscCode":"HDFC0001","Pending":{"transactionType":"DEBIT","amount":"5"}},
              "Transactions":{"startDate":"01-04-2025","endDate":"30-04-2025","Transaction":[{{{{Txn}}}}]}}}
            """);

        Assert.Empty(result.Issues);
        var account = Assert.Single(result.Accounts);
        Assert.Equal("JOINT", account.HoldingType);
        var holder = Assert.Single(account.Holders);
        Assert.Equal(("A B", new DateOnly(1980, 1, 31), "true"), (holder.Name, holder.Dob, holder.Ckyc));
        Assert.Equal("CURRENT", account.Summary!.AccountSubType);
        Assert.Equal(new PendingTxn("DEBIT", 5m), Assert.Single(account.Summary.Pending));
        Assert.Equal((new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30)), (account.StartDate, account.EndDate));
    }

    [Fact]
    public void Masked_number_after_the_transactions_is_waited_for_and_begin_comes_first()
    {
        var sink = new RecordingSink();
        var text = $$$"""{"version":"1.1","type":"deposit","transactions":{"transaction":[{{{Txn}}},{{{Txn.Replace("A1", "A2")}}}]},"maskedAccNumber":"XXXX4"}""";

        var issues = DepositDocumentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "late.json", sink);

        Assert.Empty(issues);
        Assert.Equal(["begin XXXX4", "txn XXXX4 A1", "txn XXXX4 A2", "end XXXX4 0"], sink.Calls);
    }

    [Fact]
    public void Xml_v2_account_reads_attributes_with_v2_names()
    {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Account xmlns="http://api.rebit.org.in/FISchema/deposit" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="x y" linkedAccRef="L5" maskedAccNumber="XXXX5" version="2.0.0" type="deposit">
              <Profile><Holders type="SINGLE"><Holder name="C D" ckycRegistered="NO_DATA_AVAILABLE" pan="ABCDE1234G"/></Holders></Profile>
              <Summary currentBalance="250.00" accountType="NRO" accountSubType="SAVINGS" ifsc="ICIC0001" facility="NO_FACILITY_GRANTED">
                <pendingTxns><pendingTxn transactionType="CREDIT" amount="12.345"/></pendingTxns>
              </Summary>
              <Transactions startDate="2025-04-01" endDate="2025-04-30">
                <Transaction txnId="X1" type="REVERSAL" mode="NEFT" amount="10" transactionalBalance="250.00" transactionTimestamp="2025-04-03T09:00:00" narration="NEFT RETURN"/>
              </Transactions>
            </Account>
            """;

        var result = Read(xml);

        Assert.Empty(result.Issues);
        var account = Assert.Single(result.Accounts);
        Assert.Equal(SchemaGeneration.V2, account.Generation);
        Assert.Equal(("NRO", "SAVINGS", "ICIC0001"), (account.Summary!.AccountType, account.Summary.AccountSubType, account.Summary.Ifsc));
        Assert.Equal(new PendingTxn("CREDIT", 12.35m), Assert.Single(account.Summary.Pending));
        Assert.Equal("NO_DATA_AVAILABLE", Assert.Single(account.Holders).Ckyc);
        var txn = Assert.Single(account.Transactions);
        Assert.Equal((TxnType.Reversal, "NEFT", 250.00m), (txn.Type, txn.Mode, txn.Balance));
        // No offset: India Standard Time.
        Assert.Equal(new DateTimeOffset(2025, 4, 3, 9, 0, 0, Ist), txn.Timestamp);
    }

    [Fact]
    public void A_utc_timestamp_late_in_the_evening_falls_on_the_next_ist_day()
    {
        var result = Read(Account(Txn.Replace("2025-04-02T10:00:00+0530", "2025-04-02T20:15:00Z")));

        var txn = Assert.Single(Assert.Single(result.Accounts).Transactions);
        Assert.Equal(new DateTimeOffset(2025, 4, 2, 20, 15, 0, TimeSpan.Zero), txn.Timestamp);
        Assert.Equal(new DateOnly(2025, 4, 3), txn.Date);
    }

    [Theory]
    [InlineData("159243.42000000001", "159243.42")]
    [InlineData("0.005", "0.01")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("1.5E3", "1500")]
    [InlineData("\"  12.30 \"", "12.30")]
    public void Balances_are_read_as_decimal_and_rounded_half_away_from_zero(string written, string expected)
    {
        var value = written.StartsWith('"') ? written : $"\"{written}\"";
        var result = Read(Account(Txn.Replace("\"1100.50\"", value)));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(Assert.Single(result.Accounts).Transactions).Balance);
    }

    [Fact]
    public void Per_transaction_errors_do_not_stop_the_good_ones()
    {
        var bad = Txn.Replace("\"A1\"", "\"A2\"").Replace("\"amount\":100.5", "\"amount\":\"abc\"");
        var result = Read(Account($"{Txn},{bad},{Txn.Replace("\"A1\"", "\"A3\"")}"));

        Assert.Equal(["A1", "A3"], Assert.Single(result.Accounts).Transactions.Select(t => t.TxnId));
        Assert.Equal([0, 2], result.Accounts[0].Transactions.Select(t => t.Position));
        var error = Assert.Single(result.Issues);
        Assert.Equal(("$.transactions.transaction[1].amount", "abc", "XXXX1"), (error.Path, error.Value, error.Account));
    }

    [Fact]
    public void Unknown_fields_are_warned_once_per_account()
    {
        var odd = Txn.Replace("\"mode\"", "\"channel\":\"x\",\"mode\"");
        var result = Read(Account($"{odd},{odd.Replace("\"A1\"", "\"A2\"")}"));

        var warning = Assert.Single(result.Issues);
        Assert.Equal((IssueSeverity.Warning, "$.transactions.transaction[0].channel"), (warning.Severity, warning.Path));
        Assert.Contains("unknown field 'channel'", warning.Message);
    }

    private static string Account(string transactions) =>
        """{"maskedAccNumber":"XXXX1","linkedAccRef":"L1","version":"1.1","type":"deposit","transactions":{"transaction":[""" + transactions + "]}}";

    private sealed class RecordingSink : IDepositSink
    {
        public List<string> Calls { get; } = [];

        public void BeginAccount(AccountKey key) => Calls.Add($"begin {key.MaskedAccNumber}");

        public void OnTransaction(AccountKey key, Transaction txn) => Calls.Add($"txn {key.MaskedAccNumber} {txn.TxnId}");

        public void EndAccount(DepositAccount header) => Calls.Add($"end {header.MaskedAccNumber} {header.Transactions.Count}");
    }
}
