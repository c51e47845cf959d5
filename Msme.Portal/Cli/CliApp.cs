using System.CommandLine;
using Msme.Portal.Features.Aa;
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
    public static readonly IReadOnlySet<string> Verbs = new HashSet<string>(StringComparer.Ordinal) { "import", "import-loans", "demo-data", "analyze", "verify-audit", "export-parquet", "backtest", "aa-consent", "aa-status", "aa-fetch", "--help", "-h", "-?" };

    /// <summary>
    /// True for a verb, and for a word in the verb's place that is no verb (a typo such as <c>analyse</c>): that must print
    /// the usage, not start the web server. Switches (<c>--urls ...</c>) and <c>key=value</c> settings are the server's.
    /// </summary>
    public static bool IsCli(string[] args) => args.Length > 0 && (Verbs.Contains(args[0]) || IsUnknownVerb(args[0]));

    private static bool IsUnknownVerb(string first) =>
        !Verbs.Contains(first) && first.Length > 0 && !first.StartsWith('-') && !first.StartsWith('/') && !first.Contains('=');

    /// <summary>The exit code of a command line that names no known verb: the usage is printed instead.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Settings that override configuration (tests point the store at a temp folder).</summary>
    internal static IReadOnlyDictionary<string, string?>? SettingsOverride { get; set; }

    /// <summary>The clock the verbs run on (tests pin it); the system clock otherwise.</summary>
    internal static TimeProvider? ClockOverride { get; set; }

    /// <summary>Services a test adds to every verb's host (an AA simulator with its own customers and faults).</summary>
    internal static Action<IServiceCollection>? ServicesOverride { get; set; }

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
        root.Subcommands.Add(AaCommands.Consent(output, error));
        root.Subcommands.Add(AaCommands.Status(output, error));
        root.Subcommands.Add(AaCommands.Fetch(output, error));
        root.Subcommands.Add(BacktestCommand.Create(output, error));
        if (args.Length > 0 && IsUnknownVerb(args[0]))
        {
            var near = Verbs.Where(v => !v.StartsWith('-')).FirstOrDefault(v => Distance(v, args[0]) <= 2);
            await error.WriteLineAsync($"error: '{args[0]}' is not a command{(near is null ? "" : $" (did you mean '{near}'?)")}; the web portal starts with no command at all.");
            await error.WriteLineAsync();
            await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = error, Error = error });
            return UsageExitCode;
        }

        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>Edit distance, for suggesting the verb a typo meant.</summary>
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var (diagonal, row0) = (row[0], i);
            row[0] = row0;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
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
        if (ClockOverride is not null)
        {
            builder.Services.AddSingleton(ClockOverride);
        }
        builder.Services.AddMsmeData(builder.Configuration);
        builder.Services.AddConsentGate();
        builder.Services.AddCollections();
        builder.Services.AddRisk();
        builder.Services.AddExports();
        builder.Services.AddAaConnector();
        ServicesOverride?.Invoke(builder.Services);
        var host = builder.Build();
        await host.Services.MigrateDatabaseAsync(ct);
        return host;
    }
}
