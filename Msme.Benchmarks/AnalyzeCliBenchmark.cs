using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;

namespace Msme.Benchmarks;

/// <summary>
/// Issue 17, target 2: <c>analyze</c> over the 1,000,000-transaction set (20 JSON files, 2,000 accounts), timed as a whole
/// separate process (start-up included), next to a pandas implementation of the same contract figures over the same
/// files (<c>pandas/analyze_contract.py</c> on Debian's /usr/bin/python3). Both outputs are compared figure by figure:
/// months, counts, sums and balances to the paisa, coverage, typical credit day and tier exactly, ratios within 1e-6
/// (pandas works in floats), anomalies by month and series.
/// The verb is timed in both executables that offer it, run by turns in the same minutes: the batch tool (Msme.Cli)
/// compiled ahead of time, published first unless <c>--cli PATH</c> names a native build, and the portal's own
/// <c>Msme.Portal analyze</c>. Their outputs must be byte for byte the same.
/// Usage: analyze-cli [--files 20] [--accounts 2000] [--txns 500] [--runs 3] [--pandas-runs 2] [--python /usr/bin/python3] [--cli PATH].
/// </summary>
internal static class AnalyzeCliBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = ImportBenchmark.IntArg(args, "--files", 20);
        var accounts = ImportBenchmark.IntArg(args, "--accounts", 2000);
        var perAccount = ImportBenchmark.IntArg(args, "--txns", 500);
        var runs = ImportBenchmark.IntArg(args, "--runs", 3);
        var pandasRuns = ImportBenchmark.IntArg(args, "--pandas-runs", 2);
        var python = StringArg(args, "--python", "/usr/bin/python3");
        var dir = Path.Combine(Path.GetTempPath(), $"msme-bench-analyze-{files}-{accounts}-{perAccount}");
        var done = Path.Combine(dir, "complete");
        if (!File.Exists(done))
        {
            AnalyzeSet.WriteFiles(dir, files, accounts, perAccount);
            await File.WriteAllTextAsync(done, "");
        }
        var paths = Directory.GetFiles(dir, "deposit-*.json").Order(StringComparer.Ordinal).ToArray();
        var bytes = paths.Sum(p => new FileInfo(p).Length);
        Console.WriteLine($"analyze-cli: {paths.Length} files, {accounts:N0} accounts x {perAccount} = {accounts * (long)perAccount:N0} transactions, {bytes / 1e6:N0} MB in {dir}");
        Console.WriteLine($"cores: {Environment.ProcessorCount}; load: {ParseBenchmark.Load()}");

        Breakdown(paths);

        var portal = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Msme.Portal.exe" : "Msme.Portal");
        var csharpOut = Path.Combine(dir, "analyze.json");
        var portalOut = Path.Combine(dir, "analyze-portal.json");
        var pandasOut = Path.Combine(dir, "pandas.json");
        var script = Path.Combine(AppContext.BaseDirectory, "pandas", "analyze_contract.py");
        var native = StringArg(args, "--cli", "") is { Length: > 0 } given ? given : await PublishNativeAsync();

        // One untimed run of each first: the files into the page cache, as for the runs that follow (and as for pandas).
        await RunProcess(portal, ["analyze", .. paths], portalOut);
        if (native is not null)
        {
            await RunProcess(native, ["analyze", .. paths], csharpOut);
            if (!File.ReadAllBytes(csharpOut).AsSpan().SequenceEqual(File.ReadAllBytes(portalOut)))
            {
                Console.WriteLine("MISMATCH: the batch tool's output differs from the portal's");
                return 1;
            }
            Console.WriteLine("  the batch tool and the portal print the same bytes");
        }
        else
        {
            File.Copy(portalOut, csharpOut, overwrite: true);
        }
        var csharp = new List<double>();
        var csharpCpu = new List<double>();
        var viaPortal = new List<double>();
        var viaPortalCpu = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            if (native is not null)
            {
                csharp.Add(await RunProcess(native, ["analyze", .. paths], csharpOut));
                csharpCpu.Add(_lastCpu);
                Console.WriteLine($"  Msme.Cli analyze (native, whole process)    run {i + 1}: {csharp[^1],6:N2} s wall, {_lastCpu,6:N2} s CPU");
            }
            viaPortal.Add(await RunProcess(portal, ["analyze", .. paths], portalOut));
            viaPortalCpu.Add(_lastCpu);
            Console.WriteLine($"  Msme.Portal analyze (JIT, whole process)    run {i + 1}: {viaPortal[^1],6:N2} s wall, {_lastCpu,6:N2} s CPU");
        }
        if (native is null)
        {
            (csharp, csharpCpu) = (viaPortal, viaPortalCpu);
        }
        var pandas = new List<double>();
        var pandasCpu = new List<double>();
        for (var i = 0; i < pandasRuns; i++)
        {
            pandas.Add(await RunProcess(python, [script, pandasOut, .. paths], null));
            pandasCpu.Add(_lastCpu);
            Console.WriteLine($"  pandas (whole process)                      run {i + 1}: {pandas[^1],6:N2} s wall, {_lastCpu,6:N2} s CPU");
        }
        var best = csharp.Min();
        var pandasBest = pandas.Count > 0 ? pandas.Min() : double.NaN;
        Console.WriteLine($"analyze ({(native is null ? "the portal's verb: no native build" : "Msme.Cli, native")}) best {best:N2} s (median {Median(csharp):N2}), pandas best {pandasBest:N2} s (median {Median(pandas):N2}): " +
                          $"analyze is {pandasBest / best:N1}x faster (targets: <= 1.5 s {(best <= 1.5 ? "met" : "MISSED")}, >= 10x {(pandasBest / best >= 10 ? "met" : "MISSED")})");
        if (native is not null)
        {
            Console.WriteLine($"  the portal's verb in the same runs: best {viaPortal.Min():N2} s (median {Median(viaPortal):N2}), CPU best {viaPortalCpu.Min():N2} s: " +
                              $"{pandasBest / viaPortal.Min():N1}x pandas; the native tool takes {best / viaPortal.Min():P0} of its time");
        }
        if (pandasCpu.Count > 0)
        {
            Console.WriteLine($"CPU time: analyze best {csharpCpu.Min():N2} s, pandas best {pandasCpu.Min():N2} s: pandas uses {pandasCpu.Min() / csharpCpu.Min():N1}x the CPU");
        }
        Console.WriteLine($"load after: {ParseBenchmark.Load()}");
        return pandas.Count == 0 ? 0 : Compare(csharpOut, pandasOut);
    }

    /// <summary>
    /// Where analyze's CPU goes, in this process on one thread after a warm-up pass: reading the files, then for every
    /// account the contract figures, classifying the lines and the anomaly detectors, then writing the JSON.
    /// </summary>
    private static void Breakdown(string[] paths)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            var read = Stopwatch.StartNew();
            var accounts = paths.SelectMany(p =>
            {
                using var stream = File.OpenRead(p);
                return DepositDocumentReader.ReadAll(stream, Path.GetFileName(p)).Accounts;
            }).ToList();
            read.Stop();
            var contract = new Stopwatch();
            var classify = new Stopwatch();
            var anomalies = new Stopwatch();
            var results = new List<(AccountAnalysis, IReadOnlyList<AnomalyEvent>)>();
            foreach (var account in accounts)
            {
                contract.Start();
                var analysis = CashflowAnalyzer.Analyze(account);
                contract.Stop();
                classify.Start();
                var lines = ClassifiedTransaction.Of(account);
                classify.Stop();
                anomalies.Start();
                results.Add((analysis, AnomalyDetectors.Build(analysis, lines).Events));
                anomalies.Stop();
            }
            var write = Stopwatch.StartNew();
            var json = ContractJson.ToJsonString(results, []);
            write.Stop();
            if (pass == 1)
            {
                var txns = accounts.Sum(a => a.Transactions.Count);
                Console.WriteLine($"  in-process, 1 thread, warm: read {read.Elapsed.TotalSeconds:N2} s, contract {contract.Elapsed.TotalSeconds:N2} s, " +
                                  $"classify {classify.Elapsed.TotalSeconds:N2} s, anomalies {anomalies.Elapsed.TotalSeconds:N2} s, write {write.Elapsed.TotalSeconds:N2} s " +
                                  $"({txns:N0} transactions, {json.Length / 1e6:N1} MB of JSON)");
            }
        }
    }

    /// <summary>
    /// Publishes the batch tool ahead of time from the sources this benchmark was built from (the folder holding
    /// Msme.sln above it), into the temp folder; null, with the reason printed, when that cannot be done here (no native
    /// toolchain, no sources): the portal's verb is then the figure.
    /// </summary>
    private static async Task<string?> PublishNativeAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Msme.sln")))
        {
            root = root.Parent;
        }
        if (root is null || !OperatingSystem.IsLinux())
        {
            Console.WriteLine("  no native build: the sources (Msme.sln) are not above this benchmark, or this is not Linux; give one with --cli PATH");
            return null;
        }
        var output = Path.Combine(Path.GetTempPath(), "msme-bench-cli-native");
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "publish", Path.Combine(root.FullName, "Msme.Cli", "Msme.Cli.csproj"), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo" })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var native = Path.Combine(output, "Msme.Cli");
        if (process.ExitCode != 0 || !File.Exists(native))
        {
            var text = (await log) + (await errors);
            Console.WriteLine($"  no native build (dotnet publish Msme.Cli exited {process.ExitCode}; a native toolchain, clang, is needed): {text[^Math.Min(600, text.Length)..]}");
            return null;
        }
        Console.WriteLine($"  Msme.Cli published ahead of time in {clock.Elapsed.TotalSeconds:N0} s: {native} ({new FileInfo(native).Length / 1e6:N1} MB)");
        return native;
    }

    /// <summary>CPU seconds (user + system) of the last process run, read from /usr/bin/time when it is there.</summary>
    private static double _lastCpu = double.NaN;

    private static async Task<double> RunProcess(string file, string[] arguments, string? stdoutPath)
    {
        // Under /usr/bin/time when there is one: on a shared machine the child's CPU time is steadier than its wall time.
        var timeFile = Path.Combine(Path.GetTempPath(), $"msme-bench-time-{Environment.ProcessId}.txt");
        var timed = File.Exists("/usr/bin/time");
        var start = new ProcessStartInfo(timed ? "/usr/bin/time" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (timed)
        {
            foreach (var a in new[] { "-f", "%U %S", "-o", timeFile, file })
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited {process.ExitCode}: {(await error)[..Math.Min(2000, (await error).Length)]}");
        }
        if (stdoutPath is not null)
        {
            await File.WriteAllTextAsync(stdoutPath, await output);
        }
        _lastCpu = timed && File.ReadAllText(timeFile).Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var user, var system, ..]
            ? double.Parse(user, CultureInfo.InvariantCulture) + double.Parse(system, CultureInfo.InvariantCulture)
            : double.NaN;
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Figure by figure; prints the totals both sides agree on and every disagreement (up to 20).</summary>
    private static int Compare(string csharpPath, string pandasPath)
    {
        using var cs = JsonDocument.Parse(File.ReadAllBytes(csharpPath));
        using var py = JsonDocument.Parse(File.ReadAllBytes(pandasPath));
        var pandasAccounts = py.RootElement.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("maskedAccNumber").GetString()!);
        var differences = new List<string>();
        long months = 0, figures = 0;
        decimal inflow = 0, outflow = 0;
        var anomalies = 0;
        var accounts = 0;
        foreach (var a in cs.RootElement.GetProperty("accounts").EnumerateArray())
        {
            accounts++;
            var masked = a.GetProperty("maskedAccNumber").GetString()!;
            if (!pandasAccounts.TryGetValue(masked, out var p))
            {
                differences.Add($"{masked}: not in the pandas output");
                continue;
            }
            void Exact(string what, JsonElement x, JsonElement y)
            {
                figures++;
                var same = x.ValueKind == JsonValueKind.Number && y.ValueKind == JsonValueKind.Number
                    ? x.GetDecimal() == y.GetDecimal()
                    : x.ToString() == y.ToString() && (x.ValueKind == y.ValueKind || (x.ValueKind is JsonValueKind.True or JsonValueKind.False && y.ValueKind is JsonValueKind.True or JsonValueKind.False));
                if (!same)
                {
                    differences.Add($"{masked} {what}: analyze {x.GetRawText()}, pandas {y.GetRawText()}");
                }
            }
            void Near(string what, JsonElement x, JsonElement y)
            {
                figures++;
                if (x.ValueKind == JsonValueKind.Number && y.ValueKind == JsonValueKind.Number ? Math.Abs(x.GetDecimal() - y.GetDecimal()) > 0.000001m : x.ValueKind != y.ValueKind)
                {
                    differences.Add($"{masked} {what}: analyze {x.GetRawText()}, pandas {y.GetRawText()}");
                }
            }
            Exact("coverage.from", a.GetProperty("coverage").GetProperty("from"), p.GetProperty("coverage").GetProperty("from"));
            Exact("coverage.to", a.GetProperty("coverage").GetProperty("to"), p.GetProperty("coverage").GetProperty("to"));
            Exact("insufficientHistory", a.GetProperty("insufficientHistory"), p.GetProperty("insufficientHistory"));
            var cm = a.GetProperty("monthly").EnumerateArray().ToList();
            var pm = p.GetProperty("monthly").EnumerateArray().ToList();
            if (cm.Count != pm.Count)
            {
                differences.Add($"{masked}: {cm.Count} months, pandas {pm.Count}");
                continue;
            }
            for (var i = 0; i < cm.Count; i++)
            {
                months++;
                foreach (var field in new[] { "month", "complete", "inflow", "outflow", "net", "closingBalance", "creditCount", "debitCount" })
                {
                    Exact($"{cm[i].GetProperty("month").GetString()} {field}", cm[i].GetProperty(field), pm[i].GetProperty(field));
                }
                inflow += cm[i].GetProperty("inflow").GetDecimal();
                outflow += cm[i].GetProperty("outflow").GetDecimal();
            }
            var cmet = a.GetProperty("metrics");
            var pmet = p.GetProperty("metrics");
            foreach (var field in new[] { "avgMonthlyInflow", "medianMonthlyInflow", "averageBalance", "typicalCreditDay", "stabilityTier" })
            {
                Exact(field, cmet.GetProperty(field), pmet.GetProperty(field));
            }
            foreach (var field in new[] { "incomeCv", "surplusRatio", "balanceVolatility" })
            {
                Near(field, cmet.GetProperty(field), pmet.GetProperty(field));
            }
            var ca = a.GetProperty("anomalies").EnumerateArray().Where(x => x.GetProperty("detector").GetString() == "robust-z")
                .Select(x => $"{x.GetProperty("series").GetString()} {x.GetProperty("month").GetString()} {x.GetProperty("value").GetDecimal().ToString("0.00", CultureInfo.InvariantCulture)}").Order().ToList();
            var pa = p.GetProperty("anomalies").EnumerateArray()
                .Select(x => $"{x.GetProperty("series").GetString()} {x.GetProperty("month").GetString()} {x.GetProperty("value").GetDecimal().ToString("0.00", CultureInfo.InvariantCulture)}").Order().ToList();
            anomalies += ca.Count;
            figures++;
            if (!ca.SequenceEqual(pa))
            {
                differences.Add($"{masked} robust-z anomalies: analyze [{string.Join(", ", ca)}], pandas [{string.Join(", ", pa)}]");
            }
        }
        Console.WriteLine($"compared {accounts:N0} accounts, {months:N0} account-months, {figures:N0} figures: Σ inflow ₹{inflow.ToString("N2", CultureInfo.InvariantCulture)}, " +
                          $"Σ outflow ₹{outflow.ToString("N2", CultureInfo.InvariantCulture)}, {anomalies} robust-z anomalies; {differences.Count} difference(s)");
        foreach (var d in differences.Take(20))
        {
            Console.WriteLine($"  DIFFERENT {d}");
        }
        return differences.Count == 0 && accounts == pandasAccounts.Count ? 0 : 1;
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var s = values.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
