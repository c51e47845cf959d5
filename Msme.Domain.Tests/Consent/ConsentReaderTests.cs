using System.Text;

using Msme.Domain.Consent;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Consent;

public class ConsentReaderTests
{
    private static ConsentParseResult ReadFixture(string name)
    {
        using var stream = Fixtures.Open(Fixtures.Aa(name));
        return ConsentReader.Read(stream, name);
    }

    [Fact]
    public void Sahamati_bare_consent_detail_reads_with_a_derived_stable_id_and_warns_about_extras()
    {
        var result = ReadFixture("sahamati_fiu-data-governance_consent.json");
        var again = ReadFixture("sahamati_fiu-data-governance_consent.json");

        var consent = result.Consent!;
        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Matches("^sha256:[0-9a-f]{16}$", consent.ConsentId);
        Assert.Equal(consent.ConsentId, again.Consent!.ConsentId);
        Assert.Equal(ConsentStatus.Active, consent.Status);
        Assert.Equal("customer_identifier@AA_identifier", consent.CustomerId);
        Assert.Equal("VIEW", consent.ConsentMode);
        Assert.Equal("ONETIME", consent.FetchType);
        Assert.Equal(["PROFILE"], consent.ConsentTypes);
        Assert.Equal(["DEPOSIT"], consent.FiTypes);
        Assert.Equal("fiu7465374537id", consent.DataConsumerId);
        Assert.Equal("fip123456789id", consent.DataProviderId);
        Assert.Equal("101", consent.PurposeCode);
        Assert.Equal("Wealth management service", consent.PurposeText);
        Assert.Equal(new DateTimeOffset(2018, 12, 6, 11, 39, 57, 153, TimeSpan.Zero), consent.FiDataFrom);
        Assert.Equal(new DateTimeOffset(2019, 12, 6, 11, 39, 57, 153, TimeSpan.Zero), consent.FiDataTo);
        Assert.Equal("MONTH", consent.DataLifeUnit);
        Assert.Equal(0, consent.DataLifeValue);
        Assert.Equal(new DataFilterRule("TRANSACTIONAMOUNT", ">=", "20000"), Assert.Single(consent.DataFilters));
        Assert.Contains(result.Issues, i => i is { Severity: IssueSeverity.Warning, Path: "$.confidentialMode" } && i.Message.Contains("non-standard field"));
        Assert.Contains(result.Issues, i => i.Message.Contains("no status; taken as ACTIVE"));
    }

    [Fact]
    public void Rebit_decoded_signed_consent_reads_accounts_and_filters()
    {
        var result = ReadFixture("rebit_aa_v2.0.0_signedConsent_example_decoded.json");

        var consent = result.Consent!;
        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Equal("demo@finvu", consent.CustomerId);
        Assert.Equal(["DEPOSIT", "TERM-DEPOSIT"], consent.FiTypes);
        Assert.Equal(["PROFILE", "SUMMARY", "TRANSACTIONS"], consent.ConsentTypes);
        Assert.Equal("cookiejar-aa@finvu.in", consent.DataConsumerId);
        Assert.Equal(2, consent.Accounts.Count);
        Assert.Equal(new ConsentAccount("DEPOSIT", "BARB0KIMXXX", "SAVINGS", "UBI485964579", "UBI85217881279"), consent.Accounts[0]);
        // "+0000" offsets, as the spec example writes them.
        Assert.Equal(new DateTimeOffset(2019, 5, 28, 11, 38, 20, 383, TimeSpan.Zero), consent.FiDataFrom);
        Assert.Equal(new DateTimeOffset(2020, 5, 28, 11, 38, 20, 381, TimeSpan.Zero), consent.ConsentExpiry);
        Assert.Equal(("MONTH", 4), (consent.DataLifeUnit, consent.DataLifeValue));
        Assert.Equal(("HOUR", 4), (consent.FrequencyUnit, consent.FrequencyValue));
        Assert.Equal(new DataFilterRule("TRANSACTIONAMOUNT", ">", "20000"), Assert.Single(consent.DataFilters));
        Assert.Equal("purposeCategoryType", consent.PurposeCategory);
    }

    [Fact]
    public void Consent_artefact_with_compact_jws_reads_the_payload_and_the_artefact_fields()
    {
        var detail = File.ReadAllText(Fixtures.Aa("rebit_aa_v2.0.0_signedConsent_example_decoded.json"));
        var payload = System.Text.Json.JsonDocument.Parse(detail).RootElement.GetProperty("signedConsentPayload").GetRawText();
        var jws = $"{B64("{\"alg\":\"RS256\",\"kid\":\"k1\"}")}.{B64(payload)}.{B64("signature")}";
        var artefact = $$"""
            { "ver": "2.0.0", "txnid": "t-1", "consentId": "654024c8-29c8-11e8-8868-0289437bf331", "status": "PAUSED",
              "createTimestamp": "2019-05-28T11:38:20.380+0000", "signedConsent": "{{jws}}",
              "ConsentUse": { "logUri": "x", "count": 1, "lastUseDateTime": "2019-05-28T11:38:20.380+0000" } }
            """;

        var result = ConsentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(artefact)), "artefact.json");

        Assert.Empty(result.Issues);
        var consent = result.Consent!;
        Assert.Equal("654024c8-29c8-11e8-8868-0289437bf331", consent.ConsentId);
        Assert.Equal(ConsentStatus.Paused, consent.Status);
        Assert.Equal("t-1", consent.TxnId);
        Assert.Equal("2.0.0", consent.Version);
        Assert.Equal(new DateTimeOffset(2019, 5, 28, 11, 38, 20, 380, TimeSpan.Zero), consent.CreateTimestamp);
        Assert.Equal("demo@finvu", consent.CustomerId);
        Assert.Equal(2, consent.Accounts.Count);
    }

    [Fact]
    public void B64_false_header_with_a_base64url_payload_is_the_rebit_2_0_0_form_and_decodes_without_a_warning()
    {
        var detail = File.ReadAllText(Fixtures.Aa("rebit_aa_v2.0.0_signedConsent_example_decoded.json"));
        var payload = System.Text.Json.JsonDocument.Parse(detail).RootElement.GetProperty("signedConsentPayload").GetRawText();
        var jws = $"{B64("{\"alg\":\"RS256\",\"b64\":false,\"crit\":[\"b64\"]}")}.{B64(payload)}.{B64("signature")}";
        var artefact = $$"""{ "ver": "2.0.0", "consentId": "c-1", "status": "ACTIVE", "signedConsent": "{{jws}}" }""";

        var result = ConsentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(artefact)), "artefact.json");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Equal("demo@finvu", result.Consent!.CustomerId);
        Assert.Empty(result.Issues);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
