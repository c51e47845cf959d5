using System.CommandLine;
using Msme.Portal.Features.Collections;

namespace Msme.Portal.Cli;

/// <summary><c>import-loans FILE [--verbose]</c>: imports a loan book (JSON or CSV); one line; exit code 1 when rejected.</summary>
internal static class ImportLoansCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "The loan book: .json (docs/loan-book-format.md) or .csv (one row per instalment)." };
        var verbose = new Option<bool>("--verbose") { Description = "Print every warning and error, not only the first error." };
        var command = new Command("import-loans", "Import the lender's loan book (atomic and idempotent); customers must already be imported.") { file, verbose };
        command.SetAction(async (parse, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"error: {path} does not exist");
                return 1;
            }
            using var host = await CliApp.StartStoreHostAsync(ct);
            var outcome = await host.Services.GetRequiredService<LoanBookImporter>().ImportFileAsync(path, "cli:" + Environment.UserName, ct);
            await output.WriteLineAsync(outcome.Summary);
            if (parse.GetValue(verbose) || outcome.Status == LoanImportStatus.Rejected)
            {
                foreach (var issue in parse.GetValue(verbose) ? outcome.Issues : outcome.Issues.Take(20))
                {
                    await output.WriteLineAsync("  " + issue);
                }
            }
            return outcome.Status == LoanImportStatus.Rejected ? 1 : 0;
        });
        return command;
    }
}
