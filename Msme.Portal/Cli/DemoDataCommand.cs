using System.CommandLine;
using System.Globalization;
using Msme.Domain.DemoData;
using Msme.Portal.Features.Admin;

namespace Msme.Portal.Cli;

/// <summary><c>demo-data --customers N --months M --seed S --out DIR [--as-of yyyy-MM-dd]</c>: writes demo bundles, touching no store.</summary>
internal static class DemoDataCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var customers = new Option<int>("--customers") { DefaultValueFactory = _ => 200, Description = "How many customers." };
        var months = new Option<int>("--months") { DefaultValueFactory = _ => 18, Description = "Months of statement per customer." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42, Description = "Random seed: the same seed writes the same bytes." };
        var outDir = new Option<string>("--out") { Required = true, Description = "Folder to write into: bundles/ (one folder per customer) and loan-book.json." };
        var asOf = new Option<string?>("--as-of") { Description = "Last covered month, as a date yyyy-MM-dd (default: the end of last month, IST)." };
        var command = new Command("demo-data", "Write demo AA delivery bundles and the matching loan book; import them with the import verb.")
        {
            customers, months, seed, outDir, asOf,
        };
        command.SetAction(async (parse, ct) =>
        {
            var asOfText = parse.GetValue(asOf);
            DateOnly anchor;
            if (asOfText is null)
            {
                anchor = DemoDataset.DefaultAsOf(CliApp.ClockOverride ?? TimeProvider.System);
            }
            else if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out anchor))
            {
                await error.WriteLineAsync($"error: --as-of '{asOfText}' is not a date yyyy-MM-dd");
                return 1;
            }
            var (n, m) = (parse.GetValue(customers), parse.GetValue(months));
            if (n <= 0 || m <= 0)
            {
                await error.WriteLineAsync("error: --customers and --months must be positive");
                return 1;
            }
            var options = new DemoOptions(anchor, n, m, parse.GetValue(seed));
            var dir = Path.GetFullPath(parse.GetValue(outDir)!);
            var written = 0;
            foreach (var _ in DemoDataset.Write(options, dir))
            {
                ct.ThrowIfCancellationRequested();
                if (++written % 50 == 0)
                {
                    await output.WriteLineAsync($"  {written} of {n} bundles");
                }
            }
            await output.WriteLineAsync($"wrote {written} bundles to {Path.Combine(dir, DemoDataset.BundlesFolder)} and the loan book to {Path.Combine(dir, DemoDataset.LoanBookFile)} (seed {options.Seed}, {m} months to {options.WindowEnd:yyyy-MM-dd})");
            // The book's first-presentment bounce rate by timing archetype (README, "A realistic demo book"); generating
            // again costs about a second for 200 customers and keeps DemoDataset's write path a stream.
            await output.WriteAsync(DemoBookStats.Describe(DemoBookStats.FirstPresentmentBounces(DemoGenerator.Generate(options))));
            return 0;
        });
        return command;
    }
}
