using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Msme.Benchmarks;

/// <summary>
/// Heap snapshots of a process (this one by default) by <c>dotnet-dump</c> (a .NET global tool: <c>dotnet tool install -g
/// dotnet-dump</c>; found on PATH, in ~/.dotnet/tools, or at <c>MSME_DOTNET_DUMP</c>): a heap dump, read back with SOS's
/// <c>dumpheap -stat -live</c> (live objects only, every type), and the difference of two of them per type: where the bytes
/// of an open circuit are. (<c>dotnet-gcdump</c> was tried first: its report listed a tenth of the heap's bytes.)
/// The dump file is deleted once read; it is as large as the process.
/// </summary>
internal static partial class HeapSnapshot
{
    /// <summary>Bytes and objects per type (the report's size buckets folded together), or null when the tool is missing.</summary>
    public static async Task<Dictionary<string, (long Bytes, long Count)>?> CollectAsync(string directory, string name, int? processId = null)
    {
        var tool = Tool();
        if (tool is null)
        {
            Console.WriteLine("    heap snapshot: skipped, dotnet-dump is not installed (dotnet tool install -g dotnet-dump, or MSME_DOTNET_DUMP=path)");
            return null;
        }
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{name}.dump");
        File.Delete(file);
        await RunAsync(tool, $"collect -p {processId ?? Environment.ProcessId} --type Heap -o \"{file}\"");
        var report = await RunAsync(tool, $"analyze \"{file}\" -c \"dumpheap -stat -live\" -c exit");
        if (Environment.GetEnvironmentVariable("MSME_KEEP_DUMPS") != "1")
        {
            // Half a gigabyte each; MSME_KEEP_DUMPS=1 keeps them to follow objects to their roots (dumpheap, gcroot).
            File.Delete(file);
        }
        var types = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
        foreach (var line in report.Split('\n'))
        {
            var m = StatLine().Match(line);
            if (!m.Success)
            {
                continue;
            }
            var type = m.Groups["type"].Value.Trim();
            var (bytes, count) = types.GetValueOrDefault(type);
            types[type] = (bytes + long.Parse(m.Groups["bytes"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                count + long.Parse(m.Groups["count"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        }
        File.WriteAllText(Path.Combine(directory, $"{name}.txt"), report);
        Console.WriteLine($"    heap snapshot {name}: {types.Values.Sum(x => x.Bytes) / 1048576.0:N1} MiB live in {types.Count:N0} types ({Path.Combine(directory, name + ".txt")})");
        return types;
    }

    /// <summary>The types that grew most from <paramref name="before"/> to <paramref name="open"/> (divided by <paramref name="per"/>), and the growth by namespace.</summary>
    public static void PrintGrowth(Dictionary<string, (long Bytes, long Count)> before, Dictionary<string, (long Bytes, long Count)> open, int per, string title)
    {
        var inv = CultureInfo.InvariantCulture;
        var grew = open.Select(kv =>
            {
                var b = before.GetValueOrDefault(kv.Key);
                return (Type: kv.Key, Bytes: (kv.Value.Bytes - b.Bytes) / (double)per, Count: (kv.Value.Count - b.Count) / (double)per);
            })
            .Where(x => x.Bytes > 0)
            .OrderByDescending(x => x.Bytes)
            .ToList();
        var total = grew.Sum(x => x.Bytes);
        Console.WriteLine(string.Create(inv, $"    heap snapshot, {title}: {total / 1024:N0} KiB in types that grew (exclusive sizes); by namespace:"));
        foreach (var g in grew.GroupBy(x => Area(x.Type)).Select(g => (Area: g.Key, Bytes: g.Sum(x => x.Bytes))).OrderByDescending(x => x.Bytes).Take(10))
        {
            Console.WriteLine(string.Create(inv, $"      {g.Bytes / 1024,8:N1} KiB  {g.Bytes / total,4:P0}  {g.Area}"));
        }
        Console.WriteLine($"    the types that grew most, {title} (KiB, objects):");
        foreach (var x in grew.Take(25))
        {
            Console.WriteLine(string.Create(inv, $"      {x.Bytes / 1024,8:N1} {x.Count,8:N0}  {(x.Type.Length > 140 ? x.Type[..140] + "…" : x.Type)}"));
        }
    }

    /// <summary>A type's namespace, two levels deep (MudBlazor, Microsoft.AspNetCore, Msme.Portal, System.Collections…); arrays and generics by their outer type.</summary>
    private static string Area(string type)
    {
        var outer = type.Split('<', '[', '+')[0];
        var parts = outer.Split('.');
        return parts.Length <= 2 ? string.Join('.', parts[..^1].DefaultIfEmpty(outer)) : $"{parts[0]}.{parts[1]}";
    }

    private static string? Tool()
    {
        if (Environment.GetEnvironmentVariable("MSME_DOTNET_DUMP") is { Length: > 0 } set)
        {
            return set;
        }
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-dump");
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "dotnet-dump")).FirstOrDefault(File.Exists);
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
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {arguments} exited {process.ExitCode}: {await error}");
        }
        return await output;
    }

    // "    7f3c1a2b4c50    1,204     86,688 MudBlazor.MudText" (dumpheap -stat: method table, count, total size, type)
    [GeneratedRegex(@"^\s*[0-9a-f]{8,16}\s+(?<count>[\d,]+)\s+(?<bytes>[\d,]+)\s+(?<type>\S.*?)\s*$")]
    private static partial Regex StatLine();
}
