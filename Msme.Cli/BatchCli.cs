using System.CommandLine;
using Msme.Domain.Analytics;

namespace Msme.Cli;

/// <summary>
/// The batch tool's verbs. Only what needs no store: <c>analyze FILE... [--consent FILE]</c>, the same verb, options,
/// output bytes, issues and exit codes as the portal's <c>analyze FILE...</c> (both run <see cref="AnalyzeFiles"/>).
/// What reads the store (<c>analyze --customer</c>, imports) stays with the portal.
/// </summary>
internal static class BatchCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider? clock = null)
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, Description = "FI documents (JSON or XML), bundle folders or envelope files." };
        var consent = new Option<string?>("--consent") { Description = "Read the documents under this consent: its FIDataRange and DataFilter apply, as at import." };
        var analyze = new Command("analyze", "Print the analytics contract JSON (contractVersion 1) for deposit accounts in files.") { paths, consent };
        analyze.SetAction((parse, ct) =>
            AnalyzeFiles.RunAsync(parse.GetValue(paths) ?? [], parse.GetValue(consent), clock ?? TimeProvider.System, output, error, ct));
        var root = new RootCommand("Msme batch tools, compiled ahead of time. For the store's verbs (analyze --customer, import, ...) run the portal.") { analyze };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}
