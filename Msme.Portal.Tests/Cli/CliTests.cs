using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Msme.Portal.Cli;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Cli;

/// <summary>The executable's verbs, run in-process against a temp store. One class: the settings override is process-wide.</summary>
[Collection(CliCollection.Name)]
public sealed class CliTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-cli-tests-");

    public CliTests()
    {
        CliApp.SettingsOverride = new Dictionary<string, string?> { ["Msme:DataDirectory"] = Path.Combine(_work.FullName, "store") };
        // After the demo data's fetches (as of 2026-09-30) and inside every test consent: no test follows the calendar.
        CliApp.ClockOverride = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(5.5)));
    }

    [Theory]
    [InlineData("analyse")]
    [InlineData("imprt")]
    [InlineData("serve")]
    public async Task An_unknown_verb_prints_the_usage_and_exits_2_without_starting_anything(string verb)
    {
        Assert.True(CliApp.IsCli([verb, "--customer", "1"]));

        var result = await RunAsync(verb, "--customer", "1");

        Assert.Equal(2, result.Exit);
        Assert.Contains($"'{verb}' is not a command", result.Err);
        Assert.Contains("import", result.Err);
        Assert.Contains("verify-audit", result.Err);
        Assert.Equal("", result.Out);
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "store")));
    }

    [Fact]
    public async Task A_typo_of_a_verb_is_told_the_verb_it_meant()
    {
        var result = await RunAsync("analyse", "file.json");

        Assert.Contains("did you mean 'analyze'?", result.Err);
    }

    [Theory]
    [InlineData()]
    [InlineData("--urls", "http://localhost:5000")]
    [InlineData("--Msme:SeedDemoData=false")]
    [InlineData("environment=Production")]
    public void No_verb_switches_and_settings_start_the_web_server(params string[] args) => Assert.False(CliApp.IsCli(args));

    [Fact]
    public async Task A_utf16_document_imports_and_binary_garbage_is_a_rejected_line_naming_the_file_not_a_stack_trace()
    {
        var consent = TestConsents.Write(_work.FullName, customer: "customer_identifier@AA_identifier");
        var utf16 = Path.Combine(_work.FullName, "statement-utf16.json");
        var text = await File.ReadAllTextAsync(TestConsents.Sample("setu_mock_deposit_XXXXXXX123_extract.json"));
        await File.WriteAllBytesAsync(utf16, [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(text)]);
        var garbage = Path.Combine(_work.FullName, "garbage.json");
        await File.WriteAllBytesAsync(garbage, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 131 % 251))]);

        var good = await RunAsync("import", utf16, "--consent", consent);
        var bad = await RunAsync("import", garbage, "--consent", consent);

        Assert.True(good.Exit == 0, good.Out + good.Err);
        Assert.StartsWith("imported statement-utf16.json", good.Out);
        Assert.Equal(1, bad.Exit);
        Assert.StartsWith("rejected garbage.json: error: garbage.json ", bad.Out);
        Assert.DoesNotContain("   at ", bad.Out + bad.Err);
        Assert.DoesNotContain("Exception", bad.Out + bad.Err);
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Demo_data_then_import_prints_a_line_per_bundle_and_a_second_import_is_unchanged()
    {
        var demo = Path.Combine(_work.FullName, "demo");
        var bundles = Path.Combine(demo, "bundles");

        var written = await RunAsync("demo-data", "--customers", "3", "--months", "3", "--seed", "5", "--out", demo, "--as-of", "2026-09-30");
        var first = await RunAsync("import", bundles);
        var second = await RunAsync("import", bundles);

        Assert.Equal(0, written.Exit);
        Assert.Contains("wrote 3 bundles to ", written.Out);
        Assert.True(File.Exists(Path.Combine(demo, "loan-book.json")));
        Assert.True(first.Exit == 0, first.Out + first.Err);
        Assert.Equal(3, first.Out.Split('\n').Count(l => l.StartsWith("imported customer-", StringComparison.Ordinal)));
        Assert.Contains("3 bundle(s): 3 accepted, 0 rejected", first.Out);
        Assert.Equal(3, second.Out.Split('\n').Count(l => l.StartsWith("unchanged customer-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Import_loans_after_the_bundles_prints_one_line_and_is_unchanged_the_second_time()
    {
        var demo = Path.Combine(_work.FullName, "demo-loans");
        await RunAsync("demo-data", "--customers", "3", "--months", "3", "--seed", "5", "--out", demo, "--as-of", "2026-09-30");
        var book = Path.Combine(demo, "loan-book.json");

        var early = await RunAsync("import-loans", book);
        await RunAsync("import", Path.Combine(demo, "bundles"));
        var first = await RunAsync("import-loans", book);
        var second = await RunAsync("import-loans", book);

        Assert.Equal(1, early.Exit);
        Assert.Contains("rejected loan-book.json: error: loan-book.json account LN", early.Out);
        Assert.Contains("unknown customer", early.Out);
        Assert.True(first.Exit == 0, first.Out + first.Err);
        Assert.Matches(@"^imported loan-book\.json: \d+ loans added, 0 updated, 0 unchanged; \d+ instalments changed; \d+ bucket moves recorded", first.Out);
        Assert.Equal(0, second.Exit);
        Assert.StartsWith("unchanged loan-book.json: ", second.Out);
    }

    [Fact]
    public async Task Backtest_json_is_the_issues_object_with_figures_that_agree_with_its_items()
    {
        var demo = Path.Combine(_work.FullName, "demo-backtest");
        await RunAsync("demo-data", "--customers", "24", "--months", "12", "--seed", "42", "--out", demo, "--as-of", "2026-09-30");
        await RunAsync("import", Path.Combine(demo, "bundles"));
        Assert.Equal(0, (await RunAsync("import-loans", Path.Combine(demo, "loan-book.json"))).Exit);

        var result = await RunAsync("backtest", "--json");
        var text = await RunAsync("backtest");

        Assert.True(result.Exit == 0, result.Out + result.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal(["presentments", "dueDate", "recommended", "bounceReduction", "brier", "baseRateBrier", "auc", "items"], root.EnumerateObject().Select(p => p.Name));
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.True(items.Count >= 30, $"{items.Count} presentments");
        Assert.Equal(items.Count, root.GetProperty("presentments").GetInt32());
        Assert.Equal(["loanId", "instalment", "dueDate", "recommendedDate", "probability", "dueDateCovered", "recommendedCovered"], items[0].EnumerateObject().Select(p => p.Name));
        var b1 = items.Count(i => !i.GetProperty("dueDateCovered").GetBoolean());
        var b2 = items.Count(i => !i.GetProperty("recommendedCovered").GetBoolean());
        Assert.Equal(b1, root.GetProperty("dueDate").GetProperty("bounces").GetInt32());
        Assert.Equal(b2, root.GetProperty("recommended").GetProperty("bounces").GetInt32());
        Assert.Equal(Math.Round(b1 / (double)items.Count, 4), root.GetProperty("dueDate").GetProperty("bounceRate").GetDouble());
        Assert.True(b1 > 0, "the demo book bounces");
        Assert.Equal(Math.Round(1 - (b2 / (double)items.Count) / (b1 / (double)items.Count), 4), root.GetProperty("bounceReduction").GetDouble(), 3);
        var brier = items.Average(i => Math.Pow(i.GetProperty("probability").GetDouble() - (i.GetProperty("dueDateCovered").GetBoolean() ? 1 : 0), 2));
        Assert.Equal(brier, root.GetProperty("brier").GetDouble(), 3);
        Assert.InRange(root.GetProperty("auc").GetDouble(), 0, 1);
        foreach (var i in items)
        {
            var due = DateOnly.ParseExact(i.GetProperty("dueDate").GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var rec = DateOnly.ParseExact(i.GetProperty("recommendedDate").GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(rec, due.AddDays(-3), due.AddDays(5)); // the allowed window
        }
        Assert.Contains("bounce reduction", text.Out);
        Assert.Contains("AUC", text.Out);

        // One customer: only its loans' presentments, scored by the same model.
        var loanId = items[0].GetProperty("loanId").GetString()!;
        var customerId = 0;
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_work.FullName, "store", "msme.db")}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT CustomerId FROM Loans WHERE LoanId = $id";
            command.Parameters.AddWithValue("$id", loanId);
            customerId = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        var one = await RunAsync("backtest", "--customer", customerId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        using var oneDoc = System.Text.Json.JsonDocument.Parse(one.Out);
        var oneItems = oneDoc.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(oneItems, i => i.GetProperty("loanId").GetString() == loanId);
        Assert.True(oneItems.Count < items.Count);
        var all = items.Select(i => (i.GetProperty("loanId").GetString(), i.GetProperty("instalment").GetInt32(), i.GetProperty("probability").GetDouble())).ToHashSet();
        Assert.All(oneItems, i => Assert.Contains((i.GetProperty("loanId").GetString(), i.GetProperty("instalment").GetInt32(), i.GetProperty("probability").GetDouble()), all));
    }

    [Fact]
    public async Task A_rejected_bundle_prints_the_reason_and_exits_with_1()
    {
        var broken = Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", "bundle-consent-revoked");

        var result = await RunAsync("import", broken);

        Assert.Equal(1, result.Exit);
        Assert.Contains("rejected bundle-consent-revoked: error: consent.json status: the consent is REVOKED", result.Out);
    }

    [Fact]
    public async Task A_bare_document_without_a_consent_is_refused()
    {
        var result = await RunAsync("import", Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa", "setu_mock_deposit_XXXXXXX123_extract.json"));

        Assert.Equal(1, result.Exit);
        Assert.Contains("consent", result.Out);
    }

    [Fact]
    public async Task Analyze_prints_the_contract_json_for_a_document_without_touching_the_store()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa", "setu_mock_deposit_XXXXXXX123_extract.json");

        var result = await RunAsync("analyze", file);

        Assert.Equal(0, result.Exit);
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal(1, json.RootElement.GetProperty("contractVersion").GetInt32());
        var account = Assert.Single(json.RootElement.GetProperty("accounts").EnumerateArray());
        Assert.Equal("XXXXXXX123", account.GetProperty("maskedAccNumber").GetString());
        Assert.Equal("2021-04-01", account.GetProperty("coverage").GetProperty("from").GetString());
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "store")));
    }

    [Fact]
    public async Task Analyze_of_unreadable_input_exits_1_naming_the_problem()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", "fi-truncated.json");

        var result = await RunAsync("analyze", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("fi-truncated.json account XXXX1111 $.transactions.transaction[1].narration", result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Analyze_a_stored_customer_gives_the_same_json_as_the_bundle_it_came_from()
    {
        var demo = Path.Combine(_work.FullName, "demo");
        await RunAsync("demo-data", "--customers", "1", "--months", "5", "--seed", "9", "--out", demo, "--as-of", "2026-09-30");
        var bundle = Path.Combine(demo, "bundles", "customer-00000");
        await RunAsync("import", bundle);

        var fromStore = await RunAsync("analyze", "--customer", "1");
        var fromFiles = await RunAsync("analyze", bundle);

        Assert.True(fromStore.Exit == 0, fromStore.Err);
        Assert.True(fromFiles.Exit == 0, fromFiles.Err);
        Assert.Equal(fromFiles.Out, fromStore.Out);
    }

    [Fact]
    public async Task Analyze_prints_events_beside_the_unchanged_contract_and_the_three_crore_spike_is_a_High_event()
    {
        var demo = Path.Combine(_work.FullName, "demo-events");
        await RunAsync("demo-data", "--customers", "8", "--months", "12", "--seed", "42", "--out", demo, "--as-of", "2026-09-30");
        var bundle = Path.Combine(demo, "bundles", "customer-00007");

        var result = await RunAsync("analyze", bundle);

        Assert.True(result.Exit == 0, result.Err);
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        var accounts = json.RootElement.GetProperty("accounts").EnumerateArray().ToList();
        Assert.All(accounts, a => Assert.Equal(System.Text.Json.JsonValueKind.Array, a.GetProperty("events").ValueKind));
        // The contract's fields are exactly what ContractJson writes without events.
        var generated = Msme.Domain.DemoData.DemoGenerator.Generate(new Msme.Domain.DemoData.DemoOptions(new DateOnly(2026, 9, 30), 8, 12, 42)).ElementAt(7);
        using var contract = System.Text.Json.JsonDocument.Parse(Msme.Domain.Analytics.Cashflow.ContractJson.ToJsonString(
            generated.Accounts.Select(Msme.Domain.Analytics.Cashflow.CashflowAnalyzer.Analyze)));
        var expected = contract.RootElement.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal(expected.Count, accounts.Count);
        for (var i = 0; i < accounts.Count; i++)
            foreach (var field in expected[i].EnumerateObject())
                Assert.Equal(field.Value.GetRawText(), accounts[i].GetProperty(field.Name).GetRawText());
        // The ₹3.09 crore one-off the generator plants on this customer: one High inflow-spike, txn-spike among its detectors.
        var spike = Assert.Single(accounts.SelectMany(a => a.GetProperty("events").EnumerateArray()), e => e.GetProperty("amount").GetDecimal() >= 30_000_000m);
        Assert.Equal(("inflow-spike", "High"), (spike.GetProperty("kind").GetString(), spike.GetProperty("severity").GetString()));
        Assert.Contains("txn-spike", spike.GetProperty("detectors").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task Analyze_of_a_stored_customer_is_audited_as_the_operating_system_user()
    {
        var demo = Path.Combine(_work.FullName, "demo-audited");
        await RunAsync("demo-data", "--customers", "1", "--months", "3", "--seed", "9", "--out", demo, "--as-of", "2026-09-30");
        await RunAsync("import", Path.Combine(demo, "bundles", "customer-00000"));

        var analyzed = await RunAsync("analyze", "--customer", "1");

        Assert.True(analyzed.Exit == 0, analyzed.Err);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_work.FullName, "store", "msme.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT UserName || '|' || Action || '|' || Target || '|' || CustomerId FROM AuditEntries ORDER BY Id DESC LIMIT 1;";
        Assert.Equal($"cli:{Environment.UserName}|view|analyze --customer|1", (string)command.ExecuteScalar()!);
        Assert.Equal(0, (await RunAsync("verify-audit")).Exit);
    }

    [Fact]
    public async Task Verify_audit_reports_an_intact_chain_and_exits_1_naming_a_broken_entry()
    {
        await RunAsync("import", Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", "bundle-consent-revoked"));
        var intact = await RunAsync("verify-audit");
        var db = Path.Combine(_work.FullName, "store", "msme.db");
        using (var connection = new SqliteConnection($"Data Source={db}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO AuditEntries (Id, At, UserName, Roles, Action, Target, PreviousHash, Hash) VALUES (1000, 0, 'x', '', 'view', '/', 'a', 'b');";
            command.ExecuteNonQuery();
        }
        var broken = await RunAsync("verify-audit");

        Assert.Equal(0, intact.Exit);
        Assert.StartsWith("audit chain intact: 1 entries", intact.Out);
        Assert.Equal(1, broken.Exit);
        Assert.Contains("audit chain broken at entry #1000", broken.Err);
    }

    [Fact]
    public async Task Export_parquet_writes_the_three_lake_files_prints_the_counts_and_audits_the_export()
    {
        var demo = Path.Combine(_work.FullName, "demo-lake");
        await RunAsync("demo-data", "--customers", "2", "--months", "4", "--seed", "5", "--out", demo, "--as-of", "2026-09-30");
        await RunAsync("import", Path.Combine(demo, "bundles"));
        var lake = Path.Combine(_work.FullName, "lake");

        var exported = await RunAsync("export-parquet", "--out", lake, "--mask-narrations");
        var verified = await RunAsync("verify-audit");

        Assert.True(exported.Exit == 0, exported.Out + exported.Err);
        Assert.Matches(@"^wrote .*lake: [1-9]\d* transactions \(0 withheld by consent\), [1-9]\d* monthly rows, \d+ anomalies in ", exported.Out);
        foreach (var file in new[] { "transactions.parquet", "monthly.parquet", "anomalies.parquet" })
        {
            Assert.True(new FileInfo(Path.Combine(lake, file)).Length > 0, file);
        }
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_work.FullName, "store", "msme.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Action || '|' || Target || '|' || Details FROM AuditEntries ORDER BY Id DESC LIMIT 1;";
        var last = (string)command.ExecuteScalar()!;
        Assert.StartsWith("export|export-parquet|Parquet lake: ", last);
        Assert.Contains("narrations masked", last);
        Assert.Equal(0, verified.Exit);
    }

    public void Dispose()
    {
        CliApp.SettingsOverride = null;
        CliApp.ClockOverride = null;
        SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }
}
