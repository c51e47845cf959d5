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
            // The file side is the domain's, shared with the ahead-of-time compiled tool (Msme.Cli): the same bytes out.
            return await AnalyzeFiles.RunAsync(files, parse.GetValue(consent), CliApp.ClockOverride ?? TimeProvider.System, output, error, ct);
        });
        return command;
    }
}
