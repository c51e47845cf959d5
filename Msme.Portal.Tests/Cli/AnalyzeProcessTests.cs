using Msme.Portal.Cli;

namespace Msme.Portal.Tests.Cli;

/// <summary>
/// <c>analyze FILE...</c> as a separate process, the way it is used: it runs itself again with tiering off
/// (<see cref="BatchJit"/>) and writes its JSON as bytes straight to the standard output. What comes out must be what
/// the verb writes in-process, and the child's exit code and errors must be the process's.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class AnalyzeProcessTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa");

    [Theory]
    [InlineData(new[] { "analyze", "a.json" }, true)]
    [InlineData(new[] { "analyze", "a.json", "b.xml", "--consent", "c.json" }, true)]
    [InlineData(new[] { "analyze" }, false)]
    [InlineData(new[] { "analyze", "--customer", "7" }, false)]
    [InlineData(new[] { "analyze", "--customer=7" }, false)]
    [InlineData(new[] { "analyze", "--help" }, false)]
    [InlineData(new[] { "analyze", "a.json", "-h" }, false)]
    [InlineData(new[] { "import", "a.json" }, false)]
    [InlineData(new[] { "demo-data", "--customers", "3" }, false)]
    public void Only_analyze_of_files_runs_itself_again(string[] args, bool relaunch)
    {
        Assert.Equal(relaunch, BatchJit.ShouldRelaunch(args, _ => null));
    }

    [Theory]
    [InlineData("DOTNET_TieredCompilation")]
    [InlineData("COMPlus_TieredCompilation")]
    public void Tiering_someone_has_set_is_left_alone(string variable)
    {
        Assert.False(BatchJit.ShouldRelaunch(["analyze", "a.json"], name => name == variable ? "1" : null));
    }

    [Fact]
    public async Task Analyze_as_a_process_prints_the_bytes_the_verb_writes_in_process()
    {
        string[] files = [Path.Combine(Fixtures, "setu_mock_deposit_XXXXXXX123_extract.json"), Path.Combine(Fixtures, "setu_sandbox_deposit_3accounts_scrubbed.json")];
        var (output, error) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, await CliApp.RunAsync(["analyze", .. files], output, error));

        var (exit, stdout, stderr) = await RunProcessAsync(["analyze", .. files]);

        Assert.True(exit == 0, stderr);
        Assert.Equal(output.ToString(), stdout);
        Assert.Contains("\"maskedAccNumber\": \"XXXXXXX123\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_as_a_process_exits_with_the_verbs_code_and_prints_only_its_errors()
    {
        var broken = Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", "fi-truncated.json");

        var (exit, stdout, stderr) = await RunProcessAsync(["analyze", Path.Combine(Fixtures, "setu_mock_deposit_XXXXXXX123_extract.json"), broken]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("fi-truncated.json account XXXX1111 $.transactions.transaction[1].narration", stderr, StringComparison.Ordinal);
    }

    /// <summary>The portal's assembly (beside the tests) under the muxer, as `dotnet Msme.Portal.dll` runs it; tiering as the machine has it.</summary>
    private static Task<(int Exit, string Out, string Err)> RunProcessAsync(string[] args) =>
        ProcessRun.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "Msme.Portal.dll"), .. args], TimeSpan.FromMinutes(2), start =>
        {
            start.Environment.Remove(BatchJit.Variable);
            start.Environment.Remove("COMPlus_TieredCompilation");
        });
}
