using System.CommandLine;
using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;
using Msme.Portal.Features.Analytics;

namespace Msme.Portal.Cli;

/// <summary>
/// <c>analyze FILE... [--consent F]</c> prints the analytics contract JSON for the deposit accounts in documents or
/// bundles, without touching the store; <c>analyze --customer ID</c> does the same from the store.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.ZeroOrMore, Description = "FI documents (JSON or XML), bundle folders or envelope files." };
        var consent = new Option<string?>("--consent") { Description = "Read the documents under this consent: its FIDataRange and DataFilter apply, as at import." };
        var customer = new Option<int?>("--customer") { Description = "Analyse a stored customer's accounts instead of files." };
        var command = new Command("analyze", "Print the analytics contract JSON (contractVersion 1) for deposit accounts.") { paths, consent, customer };
        command.SetAction(async (parse, ct) =>
        {
            var files = parse.GetValue(paths) ?? [];
            var customerId = parse.GetValue(customer);
            if (customerId is null == (files.Length == 0))
            {
                await error.WriteLineAsync("error: give either files or --customer ID");
                return 1;
            }
            if (customerId is { } id)
            {
                using var host = await CliApp.StartStoreHostAsync(ct);
                // Through the consent gate and its analysis cache, exactly as the API's analytics endpoint.
                // No customer name: own transfers pair by the holders' names, as for files, so the store and the bundle it came from print the same.
                var json = await InsightsService.AnalyzeJsonAsync(host.Services.GetRequiredService<ConsentGate>(), id, null, ct);
                if (json is null)
                {
                    await error.WriteLineAsync($"error: customer {id} has no accounts in the store whose consent allows underwriting now (or does not exist)");
                    return 1;
                }
                // A read of customer data like any other: on the trail, as the operating-system user who ran it.
                await host.Services.GetRequiredService<Msme.Portal.Features.Compliance.AuditLog>().AppendAsync(new Msme.Portal.Features.Compliance.AuditEvent(
                    null, "cli:" + Environment.UserName, "", "view", "analyze --customer", id,
                    "analytics contract JSON with anomaly events under the underwriting use"), ct);
                await output.WriteLineAsync(json);
                return 0;
            }
            else
            {
                var read = Read(files, parse.GetValue(consent));
                foreach (var issue in read.Issues)
                {
                    await error.WriteLineAsync(issue.ToString());
                }
                if (read.Issues.Any(i => i.Severity == IssueSeverity.Error))
                {
                    return 1;
                }
                await WriteAsync(output, read.Parts, ct);
                return 0;
            }
        });
        return command;
    }

    private static (IReadOnlyList<AnalyzePart> Parts, IReadOnlyList<IngestionIssue> Issues) Read(IReadOnlyList<string> paths, string? consentPath)
    {
        // Every file is read, analysed and written as JSON on its own core (each is independent); the parts are put
        // together in the order given, so the output and the issues read exactly as a sequential pass would print them.
        // Nothing is printed when any file has an error.
        var results = new (AnalyzePart? Part, List<IngestionIssue> Issues)[paths.Count];
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = ReadOne(paths[i], consentPath));
        return ([.. results.Where(r => r.Part is not null).Select(r => r.Part!)], [.. results.SelectMany(r => r.Issues)]);
    }

    /// <summary>
    /// The output as UTF-8. On the console the bytes go straight to the standard output stream (8 MB for a million
    /// transactions: no string of it, and no second encoding); any other writer (a test's) gets the same text.
    /// </summary>
    private static async Task WriteAsync(TextWriter output, IReadOnlyList<AnalyzePart> parts, CancellationToken ct)
    {
        if (ReferenceEquals(output, Console.Out))
        {
            await output.FlushAsync(ct);
            await using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
            AnalyzeJson.Write(stdout, parts);
            stdout.Write(System.Text.Encoding.UTF8.GetBytes(Environment.NewLine));
            return;
        }
        using var buffer = new MemoryStream();
        AnalyzeJson.Write(buffer, parts);
        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).AsMemory(), ct);
    }

    private static (AnalyzePart? Part, List<IngestionIssue> Issues) ReadOne(string path, string? consentPath)
    {
        var customers = new List<AnalysedCustomer>();
        var issues = new List<IngestionIssue>();
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            issues.Add(new IngestionIssue(IssueSeverity.Error, path, null, "$", null, "no such file or folder"));
            return (null, issues);
        }
        var isBundle = Directory.Exists(path) || consentPath is not null || LooksLikeEnvelope(path);
        if (isBundle)
        {
            var opened = BundleReader.Open(path, consentPath, CliApp.ClockOverride ?? TimeProvider.System);
            issues.AddRange(opened.Issues);
            if (opened.Bundle is null || opened.HasErrors)
            {
                return (null, issues);
            }
            var sink = new CollectingSink();
            issues.AddRange(opened.Bundle.ReadDocuments(sink).Issues);
            opened.Bundle.ReleaseContent();
            // One bundle is one customer's delivery.
            if (!issues.Any(x => x.Severity == IssueSeverity.Error))
            {
                customers.Add(AnalyzeJson.Analyse([.. sink.Accounts]));
            }
        }
        else
        {
            // A bare document's accounts are each their own customer: each is analysed as soon as it is read and its
            // transactions let go, so they die young instead of being promoted through the GC's generations.
            var sink = new AnalysingSink(customers);
            using var stream = File.OpenRead(path);
            issues.AddRange(DepositDocumentReader.Read(stream, Path.GetFileName(path), sink));
        }
        return (issues.Any(x => x.Severity == IssueSeverity.Error) ? null : AnalyzePart.Of(customers), issues);
    }

    private sealed class AnalysingSink(List<AnalysedCustomer> customers) : IDepositSink
    {
        private readonly CollectingSink _account = new();

        public void BeginAccount(AccountKey key) => _account.BeginAccount(key);

        public void OnTransaction(AccountKey key, Transaction txn) => _account.OnTransaction(key, txn);

        public void EndAccount(DepositAccount header)
        {
            _account.EndAccount(header);
            customers.Add(AnalyzeJson.Analyse([_account.Accounts[^1]]));
            _account.Accounts.Clear();
        }
    }

    /// <summary>An envelope names itself in its first bytes ("bundleVersion"); a bare FI document never does.</summary>
    private static bool LooksLikeEnvelope(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[512];
        var n = stream.Read(head, 0, head.Length);
        return System.Text.Encoding.UTF8.GetString(head, 0, n).Contains("\"bundleVersion\"", StringComparison.Ordinal);
    }
}
