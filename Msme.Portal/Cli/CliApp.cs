using System.CommandLine;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Exports;
using Msme.Portal.Features.Risk;
using Msme.Portal.Hosting;

namespace Msme.Portal.Cli;

/// <summary>
/// The executable's verbs. No verb runs the web server; a verb runs against the same store and the same services,
/// without the web host.
/// </summary>
public static class CliApp
{
    public static readonly IReadOnlySet<string> Verbs = new HashSet<string>(StringComparer.Ordinal) { "import", "import-loans", "demo-data", "analyze", "verify-audit", "export-parquet", "--help", "-h", "-?" };

    public static bool IsCli(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    /// <summary>Settings that override configuration (tests point the store at a temp folder).</summary>
    internal static IReadOnlyDictionary<string, string?>? SettingsOverride { get; set; }

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = new RootCommand("Msme ops portal. Run with no verb to start the web portal.");
        root.Subcommands.Add(ImportCommand.Create(output, error));
        root.Subcommands.Add(ImportLoansCommand.Create(output, error));
        root.Subcommands.Add(DemoDataCommand.Create(output, error));
        root.Subcommands.Add(AnalyzeCommand.Create(output, error));
        root.Subcommands.Add(VerifyAuditCommand.Create(output, error));
        root.Subcommands.Add(ExportParquetCommand.Create(output, error));
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>A host with the portal's services and configuration, for verbs that touch the store.</summary>
    internal static async Task<IHost> StartStoreHostAsync(CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Development",
        });
        // The verbs print their own results; the framework's information logs would drown them.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Msme", LogLevel.Warning);
        if (SettingsOverride is not null)
        {
            builder.Configuration.AddInMemoryCollection(SettingsOverride);
        }
        builder.Services.AddMsmeData(builder.Configuration);
        builder.Services.AddConsentGate();
        builder.Services.AddCollections();
        builder.Services.AddRisk();
        builder.Services.AddExports();
        var host = builder.Build();
        await host.Services.MigrateDatabaseAsync(ct);
        return host;
    }
}
