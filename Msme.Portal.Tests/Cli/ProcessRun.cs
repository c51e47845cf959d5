using System.Diagnostics;

namespace Msme.Portal.Tests.Cli;

/// <summary>Runs an executable to its end with both outputs captured; past the timeout it is killed (with its children) and the wait throws.</summary>
internal static class ProcessRun
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(
        string file, IEnumerable<string> args, TimeSpan timeout, Action<ProcessStartInfo>? configure = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        configure?.Invoke(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
