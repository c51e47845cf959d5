using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Features.Admin;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>Waiting for a test host's background demo load, the one way every fixture does it.</summary>
public static class DemoDataWait
{
    /// <summary>
    /// Room for the slowest CI pass: two cores shared by every fixture of the suite starting at once, under faketime in the calendar pass.
    /// Measured on a stopwatch, not by counting short delays, so a slow or coarse timer cannot end the wait early.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    /// <summary>Waits until the demo load finished; throws naming its progress, its error and how long was waited when it did not load cleanly.</summary>
    public static async Task WaitForDemoDataAsync(this IServiceProvider services)
    {
        var state = services.GetRequiredService<DemoLoadState>();
        var waited = Stopwatch.StartNew();
        while ((state.Running || state.Total == 0) && waited.Elapsed < Deadline)
        {
            await Task.Delay(100);
        }
        if (state.Running || state.Total == 0 || state.Rejected > 0 || state.Error is not null)
        {
            throw new InvalidOperationException(
                $"demo data did not load after {waited.Elapsed.TotalSeconds:0.0} s: done {state.Done}/{state.Total}, running {state.Running}, rejected {state.Rejected}, error {state.Error ?? "none"}");
        }
    }
}
