using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Msme.Benchmarks;

/// <summary>
/// Heap snapshots of this very process by <c>dotnet-gcdump</c> (a .NET global tool: <c>dotnet tool install -g dotnet-gcdump</c>;
/// found on PATH, in ~/.dotnet/tools, or at <c>MSME_GCDUMP</c>), read back with its <c>report</c> command, and the difference
/// of two of them per type: where the bytes of an open circuit are.
/// </summary>
internal static partial class HeapSnapshot
{
    /// <summary>Bytes and objects per type (the report's size buckets folded together), or null when the tool is missing.</summary>
    public static async Task<Dictionary<string, (long Bytes, long Count)>?> CollectAsync(string directory, string name)
    {
        var tool = Tool();
        if (tool is null)
        {
            Console.WriteLine("    gcdump: skipped, dotnet-gcdump is not installed (dotnet tool install -g dotnet-gcdump, or MSME_GCDUMP=path)");
            return null;
        }
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{name}.gcdump");
        File.Delete(file);
        await RunAsync(tool, $"collect -p {Environment.ProcessId} -o \"{file}\"");
        var report = await RunAsync(tool, $"report \"{file}\"");
        var types = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
        foreach (var line in report.Split('\n'))
        {
            var m = ReportLine().Match(line);
            if (!m.Success)
            {
                continue;
            }
            var type = $"{m.Groups["type"].Value.Trim()}  {m.Groups["asm"].Value}";
            var (bytes, count) = types.GetValueOrDefault(type);
            types[type] = (bytes + long.Parse(m.Groups["bytes"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                count + long.Parse(m.Groups["count"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        }
        Console.WriteLine($"    gcdump: {file} ({types.Count:N0} types)");
        return types;
    }

    /// <summary>The types that grew most from <paramref name="before"/> to <paramref name="open"/>, per circuit, and the growth by library.</summary>
    public static void PrintPerCircuit(Dictionary<string, (long Bytes, long Count)> before, Dictionary<string, (long Bytes, long Count)> open, int circuits)
    {
        var inv = CultureInfo.InvariantCulture;
        var grew = open.Select(kv =>
            {
                var b = before.GetValueOrDefault(kv.Key);
                return (Type: kv.Key, Bytes: (kv.Value.Bytes - b.Bytes) / (double)circuits, Count: (kv.Value.Count - b.Count) / (double)circuits);
            })
            .Where(x => x.Bytes > 0)
            .OrderByDescending(x => x.Bytes)
            .ToList();
        var total = grew.Sum(x => x.Bytes);
        Console.WriteLine(string.Create(inv, $"    heap snapshot, growth per circuit: {total / 1024:N0} KiB in types that grew (exclusive sizes); by library:"));
        foreach (var g in grew.GroupBy(x => Library(x.Type)).Select(g => (Library: g.Key, Bytes: g.Sum(x => x.Bytes))).OrderByDescending(x => x.Bytes).Take(8))
        {
            Console.WriteLine(string.Create(inv, $"      {g.Bytes / 1024,8:N1} KiB  {g.Bytes / total,4:P0}  {g.Library}"));
        }
        Console.WriteLine("    the types that grew most, per circuit (KiB, objects):");
        foreach (var x in grew.Take(25))
        {
            Console.WriteLine(string.Create(inv, $"      {x.Bytes / 1024,8:N1} {x.Count,8:N0}  {(x.Type.Length > 140 ? x.Type[..140] + "…" : x.Type)}"));
        }
    }

    /// <summary>The assembly the report names for a type, e.g. MudBlazor.dll or Microsoft.AspNetCore.Components.dll.</summary>
    private static string Library(string type)
    {
        var open = type.LastIndexOf('[');
        return open >= 0 && type.EndsWith(']') ? type[(open + 1)..^1] : "?";
    }

    private static string? Tool()
    {
        if (Environment.GetEnvironmentVariable("MSME_GCDUMP") is { Length: > 0 } set)
        {
            return set;
        }
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "dotnet-gcdump")).FirstOrDefault(File.Exists);
        return onPath ?? (File.Exists(home) ? home : null);
    }

    private static async Task<string> RunAsync(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet-gcdump {arguments} exited {process.ExitCode}: {await error}");
        }
        return await output;
    }

    // "    134,217,752         2  System.Byte[] (Bytes > 100M)  [System.Private.CoreLib.dll]"
    [GeneratedRegex(@"^\s*(?<bytes>[\d,]+)\s+(?<count>[\d,]+)\s+(?<type>.+?)\s*(\(Bytes > [^)]*\)\s*)?(?<asm>\[[^\]]*\])\s*$")]
    private static partial Regex ReportLine();
}
