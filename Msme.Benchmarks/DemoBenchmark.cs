using System.Diagnostics;
using System.Globalization;
using Msme.Domain.DemoData;

/// <summary>
/// "demo": generates N customers into a temp folder (bundles plus loan book) and prints throughput.
/// Options: --customers N (200) --months M (18) --seed S (42) --as-of yyyy-MM-dd (2026-09-30) --keep (leave the folder).
/// </summary>
internal static class DemoBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var customers = 200;
        var months = 18;
        var seed = 42;
        var asOf = new DateOnly(2026, 9, 30); // fixed, not today: the figures must be repeatable
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--customers": customers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--months": months = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--as-of": asOf = DateOnly.ParseExact(args[++i], "yyyy-MM-dd", CultureInfo.InvariantCulture); break;
                case "--keep": keep = true; break;
                default:
                    Console.Error.WriteLine($"demo: unknown option {args[i]}");
                    return Task.FromResult(2);
            }
        }

        var options = new DemoOptions(asOf, customers, months, seed);
        var dir = Directory.CreateTempSubdirectory("msme-demo-");
        try
        {
            // Generation alone first, then generation plus writing, so the writer's cost is visible.
            var clock = Stopwatch.StartNew();
            long transactions = 0, loans = 0, bounces = 0;
            foreach (var c in DemoGenerator.Generate(options))
            {
                foreach (var a in c.Accounts) transactions += a.Transactions.Count;
                loans += c.Loans.Count;
                foreach (var l in c.Loans)
                foreach (var i in l.Instalments)
                    bounces += i.Attempts.Count(x => x.Bounced);
            }
            var generate = clock.Elapsed;

            clock.Restart();
            long bytes = 0;
            foreach (var c in DemoGenerator.Generate(options))
                bytes += DemoBundleWriter.Write(c, Path.Combine(dir.FullName, $"customer-{c.Index:D5}"));
            bytes += DemoBundleWriter.WriteLoanBook(DemoGenerator.Generate(options), Path.Combine(dir.FullName, "loan-book.json"));
            var write = clock.Elapsed;

            Console.WriteLine($"demo: {customers} customers x {months} months (seed {seed}, as of {asOf:yyyy-MM-dd})");
            Console.WriteLine($"  transactions {transactions:N0}, loans {loans:N0}, bounced presentments {bounces:N0}");
            Console.WriteLine($"  generate only      {generate.TotalSeconds,8:F2} s  {customers / generate.TotalSeconds,10:N0} customers/s  {transactions / generate.TotalSeconds,12:N0} transactions/s");
            Console.WriteLine($"  generate + write   {write.TotalSeconds,8:F2} s  {customers / write.TotalSeconds,10:N0} customers/s  {transactions / write.TotalSeconds,12:N0} transactions/s");
            Console.WriteLine($"  bytes written {bytes:N0} ({bytes / 1024.0 / 1024.0:F1} MiB) in {dir.FullName}{(keep ? "" : " (deleted)")}");
            return Task.FromResult(0);
        }
        finally
        {
            if (!keep) dir.Delete(recursive: true);
        }
    }
}
