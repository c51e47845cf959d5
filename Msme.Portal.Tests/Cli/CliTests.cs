using Microsoft.Data.Sqlite;
using Msme.Portal.Cli;

namespace Msme.Portal.Tests.Cli;

/// <summary>The executable's verbs, run in-process against a temp store. One class: the settings override is process-wide.</summary>
public sealed class CliTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-cli-tests-");

    public CliTests() => CliApp.SettingsOverride = new Dictionary<string, string?> { ["Msme:DataDirectory"] = Path.Combine(_work.FullName, "store") };

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

    public void Dispose()
    {
        CliApp.SettingsOverride = null;
        SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }
}
