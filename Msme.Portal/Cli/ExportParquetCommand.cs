using System.CommandLine;
using System.Globalization;
using Msme.Domain.Privacy;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Exports;

namespace Msme.Portal.Cli;

/// <summary>
/// <c>export-parquet --out DIR [--mask-narrations]</c>: writes the Parquet lake (transactions, monthly, anomalies; see
/// docs/lake-export.md) into DIR and audits it. Whoever runs the CLI holds the store file already, so narrations are
/// written as an admin sees them unless --mask-narrations asks for the masked form (for a lake shared more widely).
/// </summary>
internal static class ExportParquetCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDir = new Option<string>("--out") { Description = "Folder to write transactions.parquet, monthly.parquet and anomalies.parquet into.", Required = true };
        var mask = new Option<bool>("--mask-narrations") { Description = "Mask counterparties in narrations and anomaly texts (as for a role without counterparty access)." };
        var command = new Command("export-parquet", "Export the store as a Parquet lake for analysts (consent applies; audited).") { outDir, mask };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await CliApp.StartStoreHostAsync(ct);
            using var scope = host.Services.CreateScope();
            var policy = parse.GetValue(mask) ? DisclosurePolicy.For([]) : DisclosurePolicy.For([Msme.Domain.Roles.Admin]);
            var directory = Path.GetFullPath(parse.GetValue(outDir)!);
            var result = await scope.ServiceProvider.GetRequiredService<LakeExport>().WriteAsync(directory, policy, ct);
            await host.Services.GetRequiredService<AuditLog>().AppendAsync(
                new AuditEvent(null, "cli:" + Environment.UserName, "", "export", "export-parquet", null, result.AuditDetails + $"; to {directory}"), ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"wrote {directory}: {result.Transactions} transactions ({result.TransactionsWithheld} withheld by consent), {result.MonthlyRows} monthly rows, {result.Anomalies} anomalies in {result.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        });
        return command;
    }
}
