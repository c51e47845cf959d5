using System.Diagnostics;
using System.Reflection;

namespace Msme.Portal.Cli;

/// <summary>
/// The JIT set-up for a short batch verb. The executable's runtime configuration is the web server's: tiered
/// compilation with dynamic PGO, which pays back over days (issue 17: the deposit reader's steady state is 15-30 % faster
/// with it). A batch verb lives for seconds. It pays for every hot method three times (tier 0, an instrumented tier,
/// tier 1) and for about 1,300 of the framework's precompiled methods twice more, and the profile never pays back:
/// <c>analyze</c> over 1,000,000 transactions spent 2.6 s of its 5.5 s CPU in the JIT. Without tiering the framework's
/// precompiled code runs as it is and only our own methods are compiled, once, fully optimised: 633 methods, 0.5 s.
/// The runtime reads that choice only at start-up, so such a verb runs itself again with tiering off; the child
/// inherits the console and its exit code is the verb's.
/// </summary>
internal static class BatchJit
{
    /// <summary>The switch the child runs with; set already (by us, or by someone who chose otherwise), nothing is relaunched.</summary>
    public const string Variable = "DOTNET_TieredCompilation";

    /// <summary>
    /// True for a verb that only reads files and computes (<c>analyze FILE...</c>), when nobody has set the runtime's
    /// tiering yet. Verbs that open the store start a host with DI and EF Core: thousands of methods run once, for which
    /// tier 0 is the cheaper start.
    /// </summary>
    public static bool ShouldRelaunch(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        if (args.Count < 2 || args[0] != "analyze") return false;
        if (environment(Variable) is not null || environment("COMPlus_TieredCompilation") is not null) return false;
        return !args.Any(a => a is "--customer" or "--help" or "-h" or "-?" || a.StartsWith("--customer=", StringComparison.Ordinal));
    }

    /// <summary>Runs this executable again with the same arguments and tiering off, and returns the child's exit code.</summary>
    public static async Task<int> RelaunchAsync(string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("no process path")) { UseShellExecute = false };
        // Under the muxer (`dotnet Msme.Portal.dll ...`) the assembly is the muxer's first argument.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment[Variable] = "0";
        // Ctrl+C reaches the child too (same process group); this process waits for its answer rather than dying first.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
