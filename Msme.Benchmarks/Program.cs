// Entry point: each benchmark is a verb. Run with -c Release; every run prints its figures.
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["import"] = Msme.Benchmarks.ImportBenchmark.RunAsync,
    ["demo"] = DemoBenchmark.RunAsync,
    ["analytics"] = Msme.Benchmarks.AnalyticsBenchmark.Run,
    ["collections"] = Msme.Benchmarks.CollectionsBenchmark.Run,
    ["insights"] = Msme.Benchmarks.InsightsBenchmark.Run,
    ["queue"] = Msme.Benchmarks.QueueBenchmark.RunAsync,
    ["risk"] = Msme.Benchmarks.RiskBenchmark.RunAsync,
    ["export"] = Msme.Benchmarks.ExportBenchmark.RunAsync,
    ["render"] = Msme.Benchmarks.RenderBenchmark.RunAsync,
    ["aa"] = AaBenchmark.RunAsync,
    ["scale"] = Msme.Benchmarks.ScaleBenchmark.RunAsync,
    ["soak"] = Msme.Benchmarks.SoakBenchmark.RunAsync,
    ["parse"] = Msme.Benchmarks.ParseBenchmark.Run,
    ["analyze-cli"] = Msme.Benchmarks.AnalyzeCliBenchmark.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: Msme.Benchmarks <{string.Join('|', benchmarks.Keys)}> [options]");
    return 2;
}
return await run(args[1..]);
