using System.Text;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Msme.Domain.Consent;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Ingestion;

/// <summary>Files that are not UTF-8 from their first byte: UTF-16 with a BOM is read; anything else is a clean, named rejection.</summary>
public class EncodingAndGarbageTests
{
    private const string Sample = "setu_mock_deposit_XXXXXXX123_extract.json";

    private static readonly string[] Samples =
    [
        "setu_mock_deposit_XXXXXXX123_extract.json", "setu_docs_deposit_rebit_v1.1_example.json", "setu_docs_deposit_rebit_v2.0.0_example.json",
        "sahamati_fiu-data-governance_transactions.json", "setu_sandbox_deposit_3accounts_scrubbed.json",
    ];

    private const string Xml = """
        <?xml version="1.0" encoding="UTF-16"?>
        <Account xmlns="http://api.rebit.org.in/FISchema/deposit" linkedAccRef="ref-1" maskedAccNumber="XXXX2222" version="1.1" type="deposit">
          <Profile><Holders type="SINGLE"><Holder name="ŚRĪ GAṆEŚ TRADERS ₹" pan="AAAPL1234C"/></Holders></Profile>
          <Summary currentBalance="1500.00" currency="INR" type="SAVINGS" ifscCode="HDFC0000001" status="ACTIVE"/>
          <Transactions startDate="2025-04-01" endDate="2025-04-30">
            <Transaction txnId="X1" type="CREDIT" mode="UPI" amount="500.00" currentBalance="1500.00" transactionTimestamp="2025-04-02T10:00:00+05:30" valueDate="2025-04-02" narration="UPI/1/सेठ"/>
          </Transactions>
        </Account>
        """;

    public static TheoryData<string> Utf16Encodings => new() { "utf-16le", "utf-16be" };

    [Theory]
    [MemberData(nameof(Utf16Encodings))]
    public void Utf16_json_with_a_bom_reads_exactly_like_its_utf8(string encoding)
    {
        var utf8 = File.ReadAllBytes(Fixtures.Aa(Sample));
        var expected = DepositDocumentReader.ReadAll(new MemoryStream(utf8), Sample);

        var actual = DepositDocumentReader.ReadAll(new MemoryStream(Encode(Encoding.UTF8.GetString(utf8), encoding)), Sample);

        Assert.False(actual.HasErrors, string.Join("\n", actual.Issues));
        Assert.Equal(expected.Issues, actual.Issues);
        Assert.Equal(expected.Accounts.Single().Transactions, actual.Accounts.Single().Transactions);
        Assert.Equal("Ramkrishna Sapan", actual.Accounts.Single().Holders.Single().Name);
    }

    [Theory]
    [MemberData(nameof(Utf16Encodings))]
    public void Utf16_xml_with_a_bom_and_its_declaration_reads_with_non_ascii_text(string encoding)
    {
        var result = DepositDocumentReader.ReadAll(new MemoryStream(Encode(Xml, encoding)), "statement.xml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        var account = Assert.Single(result.Accounts);
        Assert.Equal("ŚRĪ GAṆEŚ TRADERS ₹", account.Holders.Single().Name);
        Assert.Equal("UPI/1/सेठ", account.Transactions.Single().Narration);
        Assert.Equal(500.00m, account.Transactions.Single().Amount);
    }

    [Fact]
    public void Utf8_with_a_bom_reads()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(File.ReadAllBytes(Fixtures.Aa(Sample))).ToArray();

        var result = DepositDocumentReader.ReadAll(new MemoryStream(bytes), Sample);

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Equal(30, result.Accounts.Single().Transactions.Count);
    }

    [Fact]
    public void Utf16_with_a_lone_surrogate_is_a_clean_error_naming_the_encoding()
    {
        var bytes = Encode("{\"maskedAccNumber\":\"X", "utf-16le").Concat(new byte[] { 0x00, 0xD8, 0x41, 0x00 }).ToArray();

        var result = DepositDocumentReader.ReadAll(new MemoryStream(bytes), "odd.json");

        var error = Assert.Single(result.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal("odd.json", error.File);
        Assert.Contains("the file is not UTF-16LE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf16_consent_reads_like_its_utf8()
    {
        var text = File.ReadAllText(Fixtures.Aa("sahamati_fiu-data-governance_consent.json"));

        var utf8 = ConsentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "consent.json");
        var utf16 = ConsentReader.Read(new MemoryStream(Encode(text, "utf-16le")), "consent.json");

        Assert.NotNull(utf16.Consent);
        Assert.Equal(utf8.Consent!.ConsentId, utf16.Consent!.ConsentId);
        Assert.Equal(utf8.Consent.DataFilters, utf16.Consent.DataFilters);
    }

    [Fact]
    public void A_utf16_bare_document_with_its_consent_opens_and_reads_as_a_bundle()
    {
        using var folder = new TempFolder();
        var consent = WriteActiveConsent(folder);
        var document = Path.Combine(folder.Path, "statement.json");
        File.WriteAllBytes(document, Encode(File.ReadAllText(Fixtures.Aa(Sample)), "utf-16le"));

        var opened = BundleReader.Open(document, consent, Clock);
        var read = opened.Bundle?.ReadDocuments(new CollectingSink());

        Assert.True(opened.Bundle is not null, string.Join("\n", opened.Issues));
        Assert.Equal("Ramkrishna Sapan", opened.Bundle!.Customer.LegalName);
        Assert.False(read!.HasErrors, string.Join("\n", read.Issues));
        Assert.Equal(30, read.TransactionsRead + read.TransactionsFilteredOut);
    }

    [Fact]
    public void Random_bytes_are_rejected_by_every_reader_with_an_error_naming_the_file_never_an_exception()
    {
        using var folder = new TempFolder();
        var consent = WriteActiveConsent(folder);
        Gen.Byte.Array[0, 3000].Sample(bytes =>
        {
            AssertRejected(bytes, folder, consent);
        }, iter: 300, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Truncations_of_real_samples_are_rejected_by_every_reader_never_an_exception()
    {
        using var folder = new TempFolder();
        var consent = WriteActiveConsent(folder);
        var samples = Samples.Select(s => File.ReadAllBytes(Fixtures.Aa(s))).ToArray();
        var gen = from sample in Gen.Int[0, samples.Length - 1]
                  from fraction in Gen.Double[0, 0.999]
                  from encoding in Gen.Int[0, 2].Select(i => new[] { "utf-8", "utf-16le", "utf-16be" }[i])
                  select (sample, fraction, encoding);
        gen.Sample(t =>
        {
            var text = Encoding.UTF8.GetString(samples[t.sample]).TrimEnd();
            var bytes = Encode(text, t.encoding);
            // Cut anywhere before the last significant character (the closing brace), BOM included.
            var lastSignificant = bytes.Length - (t.encoding == "utf-8" ? 1 : 2);
            var cut = bytes[..(int)(t.fraction * lastSignificant)];
            AssertRejected(cut, folder, consent);
        }, iter: 200, seed: "0N0XIzNsQ0O2");
    }

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2025, 1, 15, 10, 0, 0, TimeSpan.FromHours(5.5)));

    private static void AssertRejected(byte[] bytes, TempFolder folder, string consent)
    {
        var fi = DepositDocumentReader.ReadAll(new MemoryStream(bytes), "random.json");
        Assert.True(fi.HasErrors, "a document read without error");
        Assert.All(fi.Issues, i => Assert.Equal("random.json", i.File));

        var asConsent = ConsentReader.Read(new MemoryStream(bytes), "random-consent.json");
        Assert.Null(asConsent.Consent);
        Assert.Contains(asConsent.Issues, i => i.Severity == IssueSeverity.Error && i.File == "random-consent.json");

        var path = Path.Combine(folder.Path, "random.json");
        File.WriteAllBytes(path, bytes);
        var opened = BundleReader.Open(path, consent, Clock);
        var rejected = opened.Bundle is null ? opened.HasErrors : opened.Bundle.ReadDocuments(new CollectingSink()).HasErrors;
        Assert.True(rejected, "a bundle of garbage was accepted");

        // The same bytes as a bundle folder's manifest.
        var bundle = Directory.CreateDirectory(Path.Combine(folder.Path, "bundle"));
        File.WriteAllBytes(Path.Combine(bundle.FullName, "manifest.json"), bytes);
        var asFolder = BundleReader.Open(bundle.FullName, null, Clock);
        Assert.Null(asFolder.Bundle);
        Assert.Contains(asFolder.Issues, i => i.Severity == IssueSeverity.Error);
    }

    /// <summary>A consent that lets the bare document in, so a rejection is about the bytes and nothing else.</summary>
    private static string WriteActiveConsent(TempFolder folder)
    {
        var path = Path.Combine(folder.Path, "consent.json");
        File.WriteAllText(path, """
            { "consentId": "c-1", "status": "ACTIVE", "consentStart": "2025-01-01T00:00:00Z", "consentExpiry": "2026-01-01T00:00:00Z",
              "consentMode": "STORE", "fetchType": "ONETIME", "consentTypes": ["TRANSACTIONS"], "fiTypes": ["DEPOSIT"],
              "DataConsumer": { "id": "fiu" }, "Customer": { "id": "ram@aa" }, "Purpose": { "code": "103" },
              "FIDataRange": { "from": "2020-01-01T00:00:00Z", "to": "2025-01-01T00:00:00Z" }, "DataLife": { "unit": "MONTH", "value": 6 } }
            """);
        var check = ConsentReader.Read(File.OpenRead(path), "consent.json");
        Assert.True(check.Consent is not null, string.Join("\n", check.Issues));
        return path;
    }

    private static byte[] Encode(string text, string encoding)
    {
        Encoding e = encoding switch
        {
            "utf-16le" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            "utf-16be" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
            _ => new UTF8Encoding(false),
        };
        return [.. e.GetPreamble(), .. e.GetBytes(text)];
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("msme-encoding-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
