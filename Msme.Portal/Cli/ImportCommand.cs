using System.CommandLine;
using Msme.Portal.Features.Ingestion;

namespace Msme.Portal.Cli;

/// <summary><c>import PATH... [--consent FILE]</c>: one line per bundle; exit code 1 when any bundle is rejected.</summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("paths")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Bundle folders (with manifest.json), envelope files, bare FI documents (with --consent), or folders of these.",
        };
        var consent = new Option<string?>("--consent") { Description = "Consent file for bare FI documents (a ReBIT ConsentArtefact or a ConsentDetail)." };
        var verbose = new Option<bool>("--verbose") { Description = "Print every warning and error, not only the first error." };
        var command = new Command("import", "Import AA delivery bundles into the store (atomic and idempotent per bundle).") { paths, consent, verbose };
        command.SetAction(async (parse, ct) =>
        {
            var targets = BundleLocator.Expand(parse.GetValue(paths)!).ToList();
            if (targets.Count == 0)
            {
                await error.WriteLineAsync("error: no bundles found at the given paths");
                return 1;
            }
            using var host = await CliApp.StartStoreHostAsync(ct);
            var importer = host.Services.GetRequiredService<BundleImporter>();
            var rejected = 0;
            await importer.ImportManyAsync(targets, parse.GetValue(consent), "cli:" + Environment.UserName, outcome =>
            {
                output.WriteLine(outcome.Summary);
                if (parse.GetValue(verbose))
                {
                    foreach (var issue in outcome.Issues)
                    {
                        output.WriteLine("  " + issue);
                    }
                }
                rejected += outcome.Status == ImportStatus.Rejected ? 1 : 0;
            }, ct);
            await output.WriteLineAsync($"{targets.Count} bundle(s): {targets.Count - rejected} accepted, {rejected} rejected");
            return rejected > 0 ? 1 : 0;
        });
        return command;
    }
}
