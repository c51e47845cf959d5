using System.CommandLine;
using Msme.Portal.Features.Compliance;

namespace Msme.Portal.Cli;

/// <summary><c>verify-audit</c>: re-derives the audit trail's hash chain; exit code 1 and the first broken entry when it is not intact.</summary>
internal static class VerifyAuditCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("verify-audit", "Check that the audit trail's hash chain is intact; name the first broken entry if not.");
        command.SetAction(async (_, ct) =>
        {
            using var host = await CliApp.StartStoreHostAsync(ct);
            var result = await host.Services.GetRequiredService<AuditLog>().VerifyAsync(ct);
            await (result.Intact ? output : error).WriteLineAsync(result.ToString());
            return result.Intact ? 0 : 1;
        });
        return command;
    }
}
