using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Msme.AaSimulator;
using Msme.Domain.Aa;
using Msme.Domain.DemoData;
using Msme.Portal.Cli;
using Msme.Portal.Features.Aa;
using Msme.Portal.Tests.Aa;

namespace Msme.Portal.Tests.Cli;

/// <summary>
/// aa-consent → aa-status → aa-fetch against a simulated AA speaking ReBIT 2.0.0 with the real crypto and signatures,
/// serving one customer's accounts from two FIPs in JSON and XML (issue 13 §5): every account imported, the analytics
/// equal to the served documents', a second fetch adds nothing, and every fault ends in exit 1 with nothing stored.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class AaVerbTests : IDisposable
{
    private static readonly DemoOptions Demo = new(new DateOnly(2026, 11, 30), 3, 6, 42);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-aa-verbs-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.FromHours(5.5)));
    private readonly AaTestSupport.TwoFipSource _source = new(Demo);
    private readonly SimulatedAa _aa;

    private string Store => Path.Combine(_work.FullName, "store");

    public AaVerbTests()
    {
        CliApp.SettingsOverride = new Dictionary<string, string?>
        {
            ["Msme:DataDirectory"] = Store,
            ["Msme:Aa:RetryDelay"] = "00:00:00.020",
            ["Msme:Aa:DataReadyTimeout"] = "00:00:30",
        };
        CliApp.ClockOverride = _clock;
        _aa = new SimulatedAa(new SimulatedAaOptions
        {
            ApiKey = AaSimulatorHost.DemoApiKey,
            FiuKeys = FiuKeys,
            StateFile = Path.Combine(_work.FullName, "aa-state.json"),
            SigningKeyFile = Path.Combine(_work.FullName, "aa-key.pem"),
        }, _source, _clock);
        CliApp.ServicesOverride = services => services.AddSingleton(new ProvidedAaSimulator(_aa));
    }

    /// <summary>The FIU's public key as the AA has it registered: the key the verbs generate under the store on first use.</summary>
    private AaKeySet FiuKeys()
    {
        using var key = RsaKeyFile.LoadOrCreate(Path.Combine(Store, "aa", "fiu-signing-key.pem"), out _);
        return AaKeySet.From([(RsaKeyFile.Kid(key), key)]);
    }

    public void Dispose()
    {
        CliApp.SettingsOverride = null;
        CliApp.ClockOverride = null;
        CliApp.ServicesOverride = null;
        _aa.Dispose();
        SqliteConnection.ClearAllPools();
        try { _work.Delete(recursive: true); } catch (IOException) { }
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string Handle => _source.Customer.Customer.AaHandle;

    private Task<(int Exit, string Out, string Err)> ConsentAsync() =>
        RunAsync("aa-consent", "--customer", Handle, "--purpose", "104", "--fi-from", Demo.WindowStart.AddMonths(-1).ToString("yyyy-MM-dd"), "--fi-to", "2026-12-05");

    /// <summary>aa-consent then aa-status until the AA answers with a consent id; returns the last status line and exit code.</summary>
    private async Task<(int Exit, JsonElement Status, string Err)> GrantedAsync()
    {
        var consent = await ConsentAsync();
        Assert.True(consent.Exit == 0, consent.Err);
        var handle = JsonDocument.Parse(consent.Out).RootElement.GetProperty("consentHandle").GetString()!;
        (int Exit, string Out, string Err) status = default;
        for (var i = 0; i < 5; i++)
        {
            status = await RunAsync("aa-status", "--handle", handle);
            if (status.Exit != 0 || !status.Out.Contains("\"PENDING\"", StringComparison.Ordinal)) break;
        }
        return (status.Exit, JsonDocument.Parse(status.Out!.Trim().Split('\n')[^1]).RootElement.Clone(), status.Err ?? "");
    }

    private long Transactions()
    {
        var db = Path.Combine(Store, "msme.db");
        if (!File.Exists(db)) return 0;
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Transactions;";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Consent_status_and_fetch_import_every_account_of_two_fips_json_and_xml_and_a_second_fetch_adds_nothing()
    {
        var consent = await ConsentAsync();
        Assert.Equal(0, consent.Exit);
        Assert.Single(consent.Out.Trim().Split('\n'));
        var handle = JsonDocument.Parse(consent.Out).RootElement.GetProperty("consentHandle").GetString()!;

        var pending = await RunAsync("aa-status", "--handle", handle);
        var granted = await RunAsync("aa-status", "--handle", handle);
        Assert.True((pending.Exit, granted.Exit) == (0, 0), pending.Err + granted.Err);
        Assert.Contains("\"status\":\"PENDING\"", pending.Out);
        var status = JsonDocument.Parse(granted.Out).RootElement;
        Assert.Equal(handle, status.GetProperty("consentHandle").GetString());
        Assert.Equal("ACTIVE", status.GetProperty("status").GetString());
        var consentId = status.GetProperty("consentId").GetString()!;

        var fetch = await RunAsync("aa-fetch", "--consent-id", consentId);

        Assert.True(fetch.Exit == 0, fetch.Out + fetch.Err);
        var lines = fetch.Out.Trim().Split('\n');
        Assert.Equal(_source.Accounts.Count, lines.Count(l => l.StartsWith("imported FIP-", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("imported FIP-ALPHA/", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("imported FIP-BETA/", StringComparison.Ordinal));
        var summary = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal(_source.Accounts.Count, summary.GetProperty("accounts").GetInt32());
        Assert.Equal(0, summary.GetProperty("rejected").GetInt32());
        var served = _source.Customer.Accounts.Sum(a => a.Transactions.Count);
        Assert.Equal(served, summary.GetProperty("transactions").GetInt32());
        Assert.Equal(served, Transactions());
        var customerId = summary.GetProperty("customerId").GetInt32();

        // The figures from the store equal the figures from the very documents the FIPs served, read as files.
        var files = new List<string>();
        foreach (var (account, i) in _source.Accounts.Select((a, i) => (a, i)))
        {
            var document = account.Render(new DateTimeOffset(Demo.WindowStart.AddMonths(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                new DateTimeOffset(2026, 12, 5, 23, 59, 59, 999, TimeSpan.Zero));
            var path = Path.Combine(_work.FullName, $"served-{i}.{(document.ContentType.EndsWith("xml", StringComparison.Ordinal) ? "xml" : "json")}");
            await File.WriteAllBytesAsync(path, document.Bytes);
            files.Add(path);
        }
        var fromStore = await RunAsync("analyze", "--customer", customerId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var fromFiles = await RunAsync(["analyze", .. files]);
        Assert.True(fromStore.Exit == 0, fromStore.Err);
        Assert.True(fromFiles.Exit == 0, fromFiles.Err);
        Assert.Equal(Figures(fromFiles.Out), Figures(fromStore.Out));

        var again = await RunAsync("aa-fetch", "--consent-id", consentId);
        Assert.Equal(0, again.Exit);
        var againLines = again.Out.Trim().Split('\n');
        Assert.Equal(_source.Accounts.Count, againLines.Count(l => l.StartsWith("unchanged ", StringComparison.Ordinal)));
        Assert.Equal(0, JsonDocument.Parse(againLines[^1]).RootElement.GetProperty("transactions").GetInt32());
        Assert.Equal(served, Transactions());
    }

    /// <summary>Each account's contract figures keyed by masked number: the same whatever order the accounts were read in.</summary>
    private static string Figures(string contractJson)
    {
        var root = JsonDocument.Parse(contractJson).RootElement;
        var accounts = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("accounts");
        return string.Join("\n", accounts.EnumerateArray().Select(a => a.GetRawText()).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> Faults() => ["tampered ciphertext", "FI answers signed by a key not in the JWKS", "every answer signed by such a key",
        "signedConsent signed by such a key", "a PAUSED artefact whose data the AA still serves", "a REVOKED artefact", "an account the consent does not name", "data outside the range"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Each_fault_ends_in_exit_1_with_not_one_transaction_stored(string fault)
    {
        switch (fault)
        {
            case "tampered ciphertext": _aa.Faults.TamperCiphertext = true; break;
            case "FI answers signed by a key not in the JWKS": _aa.Faults.SignFiResponsesWithRogueKey = true; break;
            case "every answer signed by such a key": _aa.Faults.SignAllResponsesWithRogueKey = true; break;
            case "signedConsent signed by such a key": _aa.Faults.SignConsentWithRogueKey = true; break;
            case "a PAUSED artefact whose data the AA still serves": _aa.Faults.ArtefactStatus = "PAUSED"; break;
            case "a REVOKED artefact": _aa.Faults.ArtefactStatus = "REVOKED"; break;
            case "an account the consent does not name": _aa.Faults.ServeUnconsentedAccount = true; break;
            case "data outside the range": _aa.Faults.ServeOutsideRange = true; break;
        }

        var failedAt = new List<string>();
        var consent = await ConsentAsync();
        if (consent.Exit != 0)
        {
            failedAt.Add("aa-consent: " + consent.Err);
        }
        else
        {
            var handle = JsonDocument.Parse(consent.Out).RootElement.GetProperty("consentHandle").GetString()!;
            (int Exit, string Out, string Err) status = default;
            for (var i = 0; i < 3 && (i == 0 || status.Out!.Contains("PENDING", StringComparison.Ordinal)); i++)
            {
                status = await RunAsync("aa-status", "--handle", handle);
            }
            if (status.Exit != 0)
            {
                failedAt.Add("aa-status: " + status.Err);
            }
            var consentId = status.Exit == 0 ? JsonDocument.Parse(status.Out!).RootElement.GetProperty("consentId").GetString() : null;
            if (consentId is not null)
            {
                // A narrower range than the consent's, so that data outside it can be served.
                var fetch = await RunAsync("aa-fetch", "--consent-id", consentId, "--from", Demo.AsOf.AddMonths(-2).ToString("yyyy-MM-dd"), "--to", Demo.AsOf.ToString("yyyy-MM-dd"));
                if (fetch.Exit != 0) failedAt.Add("aa-fetch: " + fetch.Err);
            }
        }

        Assert.NotEmpty(failedAt);
        Assert.Equal(0, Transactions());
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_data_not_ready_is_asked_again_until_it_is()
    {
        var (exit, status, err) = await GrantedAsync();
        Assert.True(exit == 0, err);
        _aa.Faults.TransientFailures = 2;
        _aa.Faults.NoDataFoundTimes = 2;

        var fetch = await RunAsync("aa-fetch", "--consent-id", status.GetProperty("consentId").GetString()!);

        Assert.True(fetch.Exit == 0, fetch.Out + fetch.Err);
        Assert.Equal(_source.Customer.Accounts.Sum(a => a.Transactions.Count), Transactions());
    }

    [Fact]
    public async Task A_range_outside_the_signed_consent_is_refused_before_the_aa_is_asked()
    {
        var (_, status, _) = await GrantedAsync();

        var fetch = await RunAsync("aa-fetch", "--consent-id", status.GetProperty("consentId").GetString()!, "--from", "2020-01-01", "--to", "2026-12-01");

        Assert.Equal(1, fetch.Exit);
        Assert.Contains("InvalidDateRange", fetch.Err);
        Assert.Equal(0, Transactions());
    }

    [Fact]
    public async Task Requests_signed_by_a_key_the_aa_has_not_registered_are_refused_and_the_verb_says_why()
    {
        // The AA knows another FIU key: every request's JWS fails at the AA.
        using var other = System.Security.Cryptography.RSA.Create(2048);
        using var aa = new SimulatedAa(new SimulatedAaOptions { ApiKey = AaSimulatorHost.DemoApiKey, FiuKeys = () => AaKeySet.From([("other", other)]) }, _source, _clock);
        CliApp.ServicesOverride = services => services.AddSingleton(new ProvidedAaSimulator(aa));

        var consent = await ConsentAsync();

        Assert.Equal(1, consent.Exit);
        Assert.Contains(AaErrorCodes.SignatureDoesNotMatch, consent.Err);
    }

    [Fact]
    public async Task A_bad_date_or_an_unknown_consent_is_exit_1_with_the_reason()
    {
        var badDate = await RunAsync("aa-consent", "--customer", Handle, "--purpose", "104", "--fi-from", "2026-13-01", "--fi-to", "2026-12-01");
        var unknown = await RunAsync("aa-fetch", "--consent-id", "no-such-consent");
        var unknownHandle = await RunAsync("aa-status", "--handle", "no-such-handle");

        Assert.Equal((1, 1, 1), (badDate.Exit, unknown.Exit, unknownHandle.Exit));
        Assert.Contains("--fi-from '2026-13-01' is not a date", badDate.Err);
        Assert.Contains("InvalidConsentId", unknown.Err);
        Assert.Contains("InvalidConsentHandle", unknownHandle.Err);
    }

    /// <summary>Sahamati FIU scenarios on answers the FIU must discard: well signed by the AA, but with another ver, txnid, customer, handle, consent id or key material.</summary>
    [Theory]
    [InlineData("1019", "Consent", "ver", "1.1.3")]
    [InlineData("1021", "Consent", "txnid", "3f0f8b0e-0000-4000-8000-000000000000")]
    [InlineData("1022", "Consent", "Customer", "{\"id\":\"someone-else@finvu\"}")]
    [InlineData("1024", "ConsentHandle", "ver", "1.1.3")]
    [InlineData("1026", "ConsentHandle", "ConsentHandle", "another-handle")]
    [InlineData("1031", "ConsentFetch", "ver", "1.1.3")]
    [InlineData("1033", "ConsentFetch", "consentId", "another-consent")]
    [InlineData("2017", "FiRequest", "ver", "1.1.3")]
    [InlineData("2019", "FiRequest", "txnid", "3f0f8b0e-0000-4000-8000-000000000000")]
    [InlineData("2020", "FiRequest", "consentId", "another-consent")]
    [InlineData("2022", "FiFetch", "ver", "1.1.3")]
    [InlineData("2023", "FiFetch", "timestamp", "not a date")]
    [InlineData("2025", "FiFetch", "FI", "[{\"fipID\":\"FIP-ALPHA\",\"data\":[],\"KeyMaterial\":{}}]")]
    public async Task Fiu_answers_the_aa_signed_but_got_wrong_are_discarded_and_nothing_is_stored(string scenario, string route, string field, string value)
    {
        _aa.Faults.RewriteAnswer = (at, answer) =>
        {
            if (at != route || answer.ContainsKey("errorCode")) return null;
            answer[field] = value.StartsWith('{') || value.StartsWith('[') ? System.Text.Json.Nodes.JsonNode.Parse(value) : value;
            return answer;
        };

        var failedAt = new List<string>();
        var consent = await ConsentAsync();
        if (consent.Exit != 0) failedAt.Add("aa-consent");
        else
        {
            var handle = JsonDocument.Parse(consent.Out).RootElement.GetProperty("consentHandle").GetString()!;
            (int Exit, string Out, string Err) status = default;
            for (var i = 0; i < 3 && (i == 0 || status.Out!.Contains("PENDING", StringComparison.Ordinal)); i++)
            {
                status = await RunAsync("aa-status", "--handle", handle);
            }
            if (status.Exit != 0) failedAt.Add("aa-status");
            else if (await RunAsync("aa-fetch", "--consent-id", JsonDocument.Parse(status.Out!).RootElement.GetProperty("consentId").GetString()!) is { Exit: not 0 })
            {
                failedAt.Add("aa-fetch");
            }
        }

        Assert.True(failedAt.Count > 0, $"scenario {scenario}: the wrong answer was accepted");
        Assert.Equal(0, Transactions());
    }

    [Fact]
    public async Task Fiu_1028_a_consent_the_customer_rejects_is_exit_1_and_nothing_is_stored()
    {
        _aa.Faults.RejectConsents = true;
        var consent = await ConsentAsync();
        var handle = JsonDocument.Parse(consent.Out).RootElement.GetProperty("consentHandle").GetString()!;
        (int Exit, string Out, string Err) status = default;
        for (var i = 0; i < 3 && (i == 0 || status.Out!.Contains("PENDING", StringComparison.Ordinal)); i++)
        {
            status = await RunAsync("aa-status", "--handle", handle);
        }
        Assert.Equal(1, status.Exit);
        Assert.Contains("\"status\":\"REJECTED\"", status.Out);
        Assert.Equal(0, Transactions());
    }
}
