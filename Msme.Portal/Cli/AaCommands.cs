using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Msme.Portal.Features.Aa;

namespace Msme.Portal.Cli;

/// <summary>
/// The AA connector's verbs, for operations and for checking the connector from outside: <c>aa-consent</c>,
/// <c>aa-status</c>, <c>aa-fetch</c>. Same data folder and settings (<c>Msme:Aa</c>) as the portal; exit 1 on any
/// rejection or error, 0 otherwise.
/// </summary>
internal static class AaCommands
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Consent(TextWriter output, TextWriter error)
    {
        var customer = new Option<string>("--customer") { Description = "The customer's AA handle (user@aa).", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "ReBIT purpose code: 104 monitoring (collections), 103 underwriting, 101, 102, 105.", Required = true };
        var fiFrom = new Option<string>("--fi-from") { Description = "First day of FI data, yyyy-MM-dd.", Required = true };
        var fiTo = new Option<string>("--fi-to") { Description = "Last day of FI data, yyyy-MM-dd.", Required = true };
        var fetchType = new Option<string>("--fetch-type") { Description = "PERIODIC (default) or ONETIME." };
        var dataLife = new Option<int?>("--data-life-months") { Description = "How long fetched data may be kept, in months (default 12)." };
        var command = new Command("aa-consent", "Request a consent from the AA (POST /Consent); prints {\"consentHandle\":...}.")
            { customer, purpose, fiFrom, fiTo, fetchType, dataLife };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryDate(parse.GetValue(fiFrom)!, "--fi-from", error, out var from) || !TryDate(parse.GetValue(fiTo)!, "--fi-to", error, out var to))
            {
                return 1;
            }
            return await RunAsync(error, ct, async services =>
            {
                var ask = new ConsentAsk
                {
                    CustomerHandle = parse.GetValue(customer)!,
                    PurposeCode = parse.GetValue(purpose)!,
                    FiFrom = from,
                    FiTo = to,
                    FetchType = (parse.GetValue(fetchType) ?? "PERIODIC").ToUpperInvariant(),
                    DataLifeMonths = parse.GetValue(dataLife) ?? 12,
                };
                if (ask.FetchType == "ONETIME")
                {
                    ask = ask with { FrequencyUnit = "DAY", FrequencyValue = 1 };
                }
                var request = await services.GetRequiredService<AaConsentService>().RequestAsync(ask, Actor(), ct);
                await output.WriteLineAsync(JsonSerializer.Serialize(new { consentHandle = request.ConsentHandle }, Json));
                return 0;
            });
        });
        return command;
    }

    public static Command Status(TextWriter output, TextWriter error)
    {
        var handle = new Option<string>("--handle") { Description = "The consent handle aa-consent printed.", Required = true };
        var command = new Command("aa-status", "Ask the AA for a consent's status (POST /Consent/handle); once granted, fetch, verify and store the artefact.") { handle };
        command.SetAction(async (parse, ct) => await RunAsync(error, ct, async services =>
        {
            var check = await services.GetRequiredService<AaConsentService>().CheckAsync(parse.GetValue(handle)!, Actor(), ct);
            await output.WriteLineAsync(JsonSerializer.Serialize(new { consentHandle = check.ConsentHandle, status = check.Status, consentId = check.ConsentId }, Json));
            if (check.Refusal is not null)
            {
                await error.WriteLineAsync($"rejected: {check.Refusal}");
                return 1;
            }
            return check.Status is "REJECTED" or "FAILED" or "EXPIRED" ? 1 : 0;
        }));
        return command;
    }

    public static Command Fetch(TextWriter output, TextWriter error)
    {
        var consentId = new Option<string>("--consent-id") { Description = "The consent id aa-status printed.", Required = true };
        var from = new Option<string?>("--from") { Description = "First day, yyyy-MM-dd (default: the signed consent's FIDataRange)." };
        var to = new Option<string?>("--to") { Description = "Last day, yyyy-MM-dd (default: the signed consent's FIDataRange)." };
        var command = new Command("aa-fetch", "FI request and fetch for an ACTIVE consent; decrypt, verify and import (all or nothing per session).") { consentId, from, to };
        command.SetAction(async (parse, ct) =>
        {
            DateOnly? f = null, t = null;
            if (parse.GetValue(from) is { } fs)
            {
                if (!TryDate(fs, "--from", error, out var d)) return 1;
                f = d;
            }
            if (parse.GetValue(to) is { } ts)
            {
                if (!TryDate(ts, "--to", error, out var d)) return 1;
                t = d;
            }
            return await RunAsync(error, ct, async services =>
            {
                var result = await services.GetRequiredService<AaFetchService>().FetchAsync(parse.GetValue(consentId)!, f, t, "cli", Actor(), ct);
                foreach (var line in result.Lines)
                {
                    await output.WriteLineAsync(line.ToString());
                }
                if (!result.Succeeded && result.Lines.Count == 0)
                {
                    await output.WriteLineAsync($"rejected {result.ErrorCode}: {result.Error}");
                }
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    sessionId = result.SessionId, accounts = result.Accounts, transactions = result.Transactions, rejected = result.Rejected, customerId = result.CustomerId,
                }, Json));
                if (!result.Succeeded)
                {
                    await error.WriteLineAsync($"{result.ErrorCode}: {result.Error}");
                    return 1;
                }
                return 0;
            });
        });
        return command;
    }

    private static AaActor Actor() => new("cli:" + Environment.UserName);

    private static async Task<int> RunAsync(TextWriter error, CancellationToken ct, Func<IServiceProvider, Task<int>> body)
    {
        try
        {
            using var host = await CliApp.StartStoreHostAsync(ct);
            using var scope = host.Services.CreateScope();
            return await body(scope.ServiceProvider);
        }
        catch (AaCallException e)
        {
            await error.WriteLineAsync($"{e.ErrorCode}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is AaConfigurationException or ArgumentException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    private static bool TryDate(string text, string option, TextWriter error, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }
        error.WriteLine($"error: {option} '{text}' is not a date (yyyy-MM-dd)");
        return false;
    }
}
