using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics;

/// <summary>
/// The file side of <c>analyze</c>: FI documents, bundle folders and envelope files read, analysed and written as the
/// contract JSON, with no store. One implementation for both executables that offer the verb: the portal
/// (<c>Msme.Portal analyze FILE...</c>) and the ahead-of-time compiled batch tool (<c>Msme.Cli analyze FILE...</c>),
/// so the two print the same bytes.
/// </summary>
public static class AnalyzeFiles
{
    /// <summary>
    /// Reads and analyses the files, prints every issue to <paramref name="error"/>, and the JSON to
    /// <paramref name="output"/> when no file has an error. Returns the exit code: 0, or 1 when anything was an error.
    /// </summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> paths, string? consentPath, TimeProvider clock, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var (parts, issues) = Read(paths, consentPath, clock);
        foreach (var issue in issues)
        {
            await error.WriteLineAsync(issue.ToString());
        }
        if (issues.Any(i => i.Severity == IssueSeverity.Error))
        {
            return 1;
        }
        await WriteAsync(output, parts, ct);
        return 0;
    }

    /// <summary>
    /// Every file is read, analysed and written as JSON on its own core (each is independent); the parts are put
    /// together in the order given, so the output and the issues read exactly as a sequential pass would print them.
    /// Nothing is printed when any file has an error.
    /// </summary>
    public static (IReadOnlyList<AnalyzePart> Parts, IReadOnlyList<IngestionIssue> Issues) Read(IReadOnlyList<string> paths, string? consentPath, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new (AnalyzePart? Part, List<IngestionIssue> Issues)[paths.Count];
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = ReadOne(paths[i], consentPath, clock));
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

    private static (AnalyzePart? Part, List<IngestionIssue> Issues) ReadOne(string path, string? consentPath, TimeProvider clock)
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
            var opened = BundleReader.Open(path, consentPath, clock);
            issues.AddRange(opened.Issues);
            if (opened.Bundle is null || opened.HasErrors)
            {
                return (null, issues);
            }
            var sink = new CollectingSink();
            try
            {
                issues.AddRange(opened.Bundle.ReadDocuments(sink).Issues);
            }
            finally
            {
                opened.Bundle.ReleaseContent();
            }
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
