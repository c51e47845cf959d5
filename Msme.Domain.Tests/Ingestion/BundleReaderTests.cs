using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.Extensions.Time.Testing;

using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Ingestion;

/// <summary>Round trips through the three bundle shapes, built in a temp folder from the sample fixtures.</summary>
public sealed class BundleReaderTests : IDisposable
{
    private static readonly TimeSpan Ist = TimeSpan.FromMinutes(330);
    private readonly string _dir = Directory.CreateTempSubdirectory("msme-bundle-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2021, 10, 1, 10, 0, 0, Ist));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A consent that covers the Setu sandbox data (Apr-Sep 2021).
    private static JsonObject ConsentDetail(params JsonObject[] filters) => new()
    {
        ["consentStart"] = "2021-03-01T00:00:00+05:30",
        ["consentExpiry"] = "2022-03-01T00:00:00+05:30",
        ["consentMode"] = "STORE",
        ["fetchType"] = "ONETIME",
        ["consentTypes"] = new JsonArray("PROFILE", "SUMMARY", "TRANSACTIONS"),
        ["fiTypes"] = new JsonArray("DEPOSIT"),
        ["Customer"] = new JsonObject { ["id"] = "acme@onemoney" },
        ["Purpose"] = new JsonObject { ["code"] = "103" },
        ["FIDataRange"] = new JsonObject { ["from"] = "2021-01-01T00:00:00+05:30", ["to"] = "2021-09-30T23:59:59+05:30" },
        ["DataLife"] = new JsonObject { ["unit"] = "MONTH", ["value"] = 6 },
        ["DataFilter"] = new JsonArray(filters),
    };

    private static JsonObject Manifest(params string[] documents) => new()
    {
        ["bundleVersion"] = 1,
        ["customer"] = new JsonObject { ["aaHandle"] = "acme@onemoney", ["legalName"] = "Acme Traders", ["pan"] = "AAACA1234F" },
        ["fetchSession"] = Session(),
        ["consent"] = "consent.json",
        ["documents"] = new JsonArray(documents.Select(d => (JsonNode)d!).ToArray()),
    };

    private static JsonObject Session() => new()
    {
        ["sessionId"] = "s-1", ["fipId"] = "SETU-FIP", ["fetchedAt"] = "2021-09-20T14:00:00+05:30",
        ["rangeFrom"] = "2021-01-01T00:00:00+05:30", ["rangeTo"] = "2021-09-30T23:59:59+05:30", ["status"] = "COMPLETED",
    };

    private const string Xml = """
        <Account linkedAccRef="L-X" maskedAccNumber="XXXX7777" version="1.1" type="deposit">
          <Transactions><Transaction txnId="X1" type="CREDIT" amount="25000" currentBalance="25000" transactionTimestamp="2021-05-01T10:00:00+05:30"/>
          <Transaction txnId="X2" type="DEBIT" amount="500" currentBalance="24500" transactionTimestamp="2021-05-02T10:00:00+05:30"/></Transactions>
        </Account>
        """;

    /// <summary>A folder bundle of one JSON and one XML document with its consent and manifest.</summary>
    private string JsonAndXmlBundle()
    {
        var folder = Path.Combine(_dir, "acme-2021-09");
        Directory.CreateDirectory(folder);
        File.Copy(Fixtures.Aa("setu_sandbox_deposit_3accounts_scrubbed.json"), Path.Combine(folder, "fi-1.json"));
        File.WriteAllText(Path.Combine(folder, "fi-2.xml"), Xml);
        File.WriteAllText(Path.Combine(folder, "consent.json"), ConsentDetail().ToJsonString());
        File.WriteAllText(Path.Combine(folder, "manifest.json"), Manifest("fi-1.json", "fi-2.xml").ToJsonString());
        return folder;
    }

    [Fact]
    public void Opening_and_reading_a_bundle_closes_every_file_it_opened()
    {
        // Linux shows a process's open files in /proc/self/fd; elsewhere there is nothing to count.
        if (!Directory.Exists("/proc/self/fd"))
        {
            return;
        }

        var folder = JsonAndXmlBundle();
        BundleReader.Open(folder, null, _clock).Bundle!.ReadDocuments(new CountingSink());
        GC.Collect();
        GC.WaitForPendingFinalizers();

        // No collection while counting: a handle left to a finalizer stays open, as it would in a long import.
        var before = Directory.GetFiles("/proc/self/fd").Length;
        Assert.True(GC.TryStartNoGCRegion(64 * 1024 * 1024), "could not hold off the GC");
        int after;
        try
        {
            for (var i = 0; i < 20; i++)
            {
                BundleReader.Open(folder, null, _clock).Bundle!.ReadDocuments(new CountingSink());
            }
            after = Directory.GetFiles("/proc/self/fd").Length;
        }
        finally
        {
            if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }

        // Other tests run in parallel and open files too: a leak of even one file per open is 20 here.
        Assert.InRange(after - before, int.MinValue, 10);
    }

    [Fact]
    public void Folder_bundle_round_trips_json_and_xml_documents_with_hashes_and_the_session_fip()
    {
        var folder = JsonAndXmlBundle();

        var opened = BundleReader.Open(folder, null, _clock);
        var sink = new CountingSink();
        var read = opened.Bundle!.ReadDocuments(sink);

        Assert.False(opened.HasErrors, string.Join("\n", opened.Issues));
        var bundle = opened.Bundle;
        Assert.Equal("acme-2021-09", bundle.Name);
        Assert.Equal(("acme@onemoney", "Acme Traders"), (bundle.Customer.AaHandle, bundle.Customer.LegalName));
        Assert.Equal(("s-1", "SETU-FIP"), (bundle.Session.SessionId, bundle.Session.FipId));
        Assert.Equal(["manifest", "consent", "fi", "fi"], bundle.Files.Select(f => f.Role));
        Assert.Equal(["application/json", "application/json", "application/json", "application/xml"], bundle.Files.Select(f => f.ContentType));
        var fi1 = bundle.Files[2];
        Assert.Equal(new FileInfo(Path.Combine(folder, "fi-1.json")).Length, fi1.Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(fi1.FullPath))), fi1.Sha256Hex);

        Assert.False(read.HasErrors, string.Join("\n", read.Issues));
        Assert.Equal(30 + 252 + 389 + 2, read.TransactionsRead);
        Assert.Equal(0, read.TransactionsFilteredOut);
        Assert.Equal(["XXXXXXX123", "XXXXXXX444", "XXXXXXX456", "XXXX7777"], sink.Accounts.Select(a => a.MaskedAccNumber));
        Assert.All(sink.Accounts, a => Assert.Equal("SETU-FIP", a.FipId));
    }

    [Fact]
    public void A_bundle_reads_each_file_once_and_parses_the_bytes_it_hashed_even_if_the_file_changes_later()
    {
        var folder = JsonAndXmlBundle();
        var xmlPath = Path.Combine(folder, "fi-2.xml");
        var original = File.ReadAllBytes(xmlPath);
        var bundle = BundleReader.Open(folder, null, _clock).Bundle!;
        var xml = bundle.Files.Single(f => f.Name == "fi-2.xml");

        // The file is replaced after the bundle was opened (hashed): what is parsed and handed on is still what was hashed.
        File.WriteAllText(xmlPath, Xml.Replace("txnId=\"X1\"", "txnId=\"CHANGED\"", StringComparison.Ordinal));
        var sink = new CountingSink();
        bundle.ReadDocuments(sink);
        Assert.Equal(["X1", "X2"], sink.TxnIds[^2..]);
        Assert.True(bundle.TryGetContent(xml, out var content));
        Assert.Equal(original, content.ToArray());
        Assert.Equal(xml.Sha256Hex, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content.Span)));
        Assert.Equal(original.Length, xml.Size);
        Assert.All(bundle.Files, f => Assert.True(bundle.TryGetContent(f, out _), f.Name));

        // Released: nothing is held any more, and a second read goes to the disk (and so sees the change).
        bundle.ReleaseContent();
        Assert.All(bundle.Files, f => Assert.False(bundle.TryGetContent(f, out _), f.Name));
        var again = new CountingSink();
        bundle.ReadDocuments(again);
        Assert.Equal(["CHANGED", "X2"], again.TxnIds[^2..]);
    }

    [Fact]
    public void A_file_over_the_held_size_is_hashed_as_a_stream_and_read_from_disk()
    {
        var path = Path.Combine(_dir, "big.json");
        var bytes = System.Text.Encoding.UTF8.GetBytes("{\"padding\": \"" + new string('x', 5000) + "\"}");
        File.WriteAllBytes(path, bytes);
        var held = new HeldFiles(maxHeldBytes: 4096);

        var (size, sha) = held.Read(path);

        Assert.Equal(bytes.Length, size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), sha);
        Assert.False(held.TryGet(path, out _));
        using var stream = held.Open(path);
        Assert.IsType<FileStream>(stream);

        // At the limit it is held, and the stream over it is read-only.
        var small = new HeldFiles(maxHeldBytes: bytes.Length);
        Assert.Equal((bytes.Length, sha), small.Read(path));
        Assert.True(small.TryGet(path, out var content));
        Assert.Equal(bytes, content.ToArray());
        using var memory = small.Open(path);
        Assert.False(memory.CanWrite);
    }

    [Fact]
    public void A_bundle_holds_no_more_than_its_budget_and_a_file_read_twice_keeps_its_first_bytes()
    {
        var (a, b) = (Path.Combine(_dir, "a.json"), Path.Combine(_dir, "b.json"));
        File.WriteAllBytes(a, new byte[100]);
        File.WriteAllBytes(b, Enumerable.Repeat((byte)'b', 100).ToArray());
        var held = new HeldFiles(maxHeldBytes: 1000, maxBundleBytes: 150);

        var first = held.Read(a);
        var second = held.Read(b);

        // The second file would take the bundle past its budget: hashed as a stream, read from disk.
        Assert.True(held.TryGet(a, out _));
        Assert.False(held.TryGet(b, out _));
        Assert.Equal((100L, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(b)))), second);

        // Named again after it changed on disk: the bytes (and hash) every reader of this bundle sees are the first ones.
        File.WriteAllBytes(a, Enumerable.Repeat((byte)'x', 100).ToArray());
        File.WriteAllBytes(b, Enumerable.Repeat((byte)'y', 100).ToArray());
        Assert.Equal(first, held.Read(a));
        Assert.Equal(second, held.Read(b));
        Assert.True(held.TryGet(a, out var content));
        Assert.Equal(new byte[100], content.ToArray());

        // Released: nothing held, and the budget does not let a released bundle hold anything again.
        held.Release();
        held.Release();
        Assert.False(held.TryGet(a, out _));
        var c = Path.Combine(_dir, "c.json");
        File.WriteAllBytes(c, new byte[10]);
        held.Read(c);
        Assert.False(held.TryGet(c, out _));
    }

    private string XmlBundle(string name, Action<JsonObject>? editSession = null, Action<JsonObject>? editConsent = null)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "fi-1.xml"), Xml);
        var consent = ConsentDetail();
        editConsent?.Invoke(consent);
        File.WriteAllText(Path.Combine(folder, "consent.json"), consent.ToJsonString());
        var manifest = Manifest("fi-1.xml");
        editSession?.Invoke(manifest["fetchSession"]!.AsObject());
        File.WriteAllText(Path.Combine(folder, "manifest.json"), manifest.ToJsonString());
        return folder;
    }

    [Fact]
    public void A_fetch_more_than_five_minutes_ahead_of_the_clock_is_refused_and_within_five_minutes_accepted()
    {
        // The clock reads 2021-10-01 10:00 IST.
        var ahead = XmlBundle("ahead", s => s["fetchedAt"] = "2021-10-01T10:05:01+05:30");
        var skew = XmlBundle("skew", s => s["fetchedAt"] = "2021-10-01T10:05:00+05:30");

        var refused = BundleReader.Open(ahead, null, _clock);
        var accepted = BundleReader.Open(skew, null, _clock);

        Assert.Null(refused.Bundle);
        var error = Assert.Single(refused.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal("fetchSession.fetchedAt", error.Path);
        Assert.Contains("later than now", error.Message, StringComparison.Ordinal);
        Assert.True(accepted.Bundle is not null, string.Join("\n", accepted.Issues));
    }

    [Fact]
    public void A_consent_already_expired_at_import_is_refused_even_for_data_fetched_before_it_expired()
    {
        // Fetched 2021-09-20, consent expired 2021-09-30, imported 2021-10-01.
        var late = XmlBundle("late", editConsent: c => c["consentExpiry"] = "2021-09-30T00:00:00+05:30");

        var opened = BundleReader.Open(late, null, _clock);

        Assert.Null(opened.Bundle);
        var error = Assert.Single(opened.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal("consentExpiry", error.Path);
        Assert.Contains("before this import", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PAUSED")]
    [InlineData("REVOKED")]
    [InlineData("EXPIRED")]
    public void A_consent_that_is_not_active_is_refused(string status)
    {
        var folder = XmlBundle("status-" + status);
        // The status travels in the artefact around the ConsentDetail.
        var artefact = new JsonObject { ["consentId"] = "c-" + status, ["status"] = status, ["ConsentDetail"] = ConsentDetail() };
        File.WriteAllText(Path.Combine(folder, "consent.json"), artefact.ToJsonString());

        var opened = BundleReader.Open(folder, null, _clock);

        Assert.Null(opened.Bundle);
        Assert.Contains(opened.Issues, i => i.Severity == IssueSeverity.Error && i.Path == "status" && i.Message.Contains($"the consent is {status}", StringComparison.Ordinal));
    }

    [Fact]
    public void Data_filter_drops_transactions_and_counts_them_without_errors()
    {
        var folder = Path.Combine(_dir, "filtered");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "fi-1.xml"), Xml);
        File.WriteAllText(Path.Combine(folder, "consent.json"),
            ConsentDetail(new JsonObject { ["type"] = "TRANSACTIONAMOUNT", ["operator"] = ">=", ["value"] = 20000 }).ToJsonString());
        File.WriteAllText(Path.Combine(folder, "manifest.json"), Manifest("fi-1.xml").ToJsonString());

        var sink = new CountingSink();
        var read = BundleReader.Open(folder, null, _clock).Bundle!.ReadDocuments(sink);

        Assert.False(read.HasErrors, string.Join("\n", read.Issues));
        Assert.Equal((1, 1), (read.TransactionsRead, read.TransactionsFilteredOut));
        Assert.Equal(["X1"], sink.TxnIds);
    }

    [Fact]
    public void Envelope_round_trips_an_fi_wrapper_and_an_xml_string_in_two_streaming_passes()
    {
        var mock = JsonNode.Parse(File.ReadAllText(Fixtures.Aa("setu_mock_deposit_XXXXXXX123_extract.json")))!;
        var envelope = new JsonObject
        {
            ["bundleVersion"] = 1,
            ["customer"] = new JsonObject { ["aaHandle"] = "acme@onemoney" },
            ["fetchSession"] = Session(),
            ["consent"] = ConsentDetail(),
            ["fi"] = new JsonArray(
                new JsonObject { ["FI"] = new JsonArray(new JsonObject { ["fipID"] = "HDFC-FIP", ["data"] = new JsonArray(new JsonObject { ["account"] = mock }) }) },
                Xml),
        };
        var path = Path.Combine(_dir, "envelope.json");
        File.WriteAllText(path, envelope.ToJsonString());

        var opened = BundleReader.Open(path, null, _clock);
        var sink = new CountingSink();
        var read = opened.Bundle!.ReadDocuments(sink);

        Assert.False(opened.HasErrors, string.Join("\n", opened.Issues));
        Assert.Equal("envelope", Assert.Single(opened.Bundle.Files).Role);
        Assert.Equal("acme@onemoney", opened.Bundle.Consent.CustomerId);
        Assert.False(read.HasErrors, string.Join("\n", read.Issues));
        Assert.Equal(32, read.TransactionsRead);
        Assert.Equal([("HDFC-FIP", "XXXXXXX123"), ("SETU-FIP", "XXXX7777")], sink.Accounts.Select(a => (a.FipId, a.MaskedAccNumber)));
    }

    [Fact]
    public void Bare_document_with_consent_derives_the_session_from_the_document_hash_and_the_customer_from_the_consent()
    {
        var consentPath = Path.Combine(_dir, "consent.json");
        File.WriteAllText(consentPath, ConsentDetail().ToJsonString());
        var doc = Fixtures.Aa("setu_mock_deposit_XXXXXXX123_extract.json");

        var first = BundleReader.Open(doc, consentPath, _clock);
        _clock.Advance(TimeSpan.FromDays(1));
        var second = BundleReader.Open(doc, consentPath, _clock);
        var read = first.Bundle!.ReadDocuments(new CountingSink());

        Assert.False(first.HasErrors, string.Join("\n", first.Issues));
        var bundle = first.Bundle;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(doc)));
        Assert.Equal("file-sha256:" + hash[..32], bundle.Session.SessionId);
        Assert.Equal(bundle.Session.SessionId, second.Bundle!.Session.SessionId);
        Assert.Equal(new DateTimeOffset(2021, 10, 1, 10, 0, 0, Ist), bundle.Session.FetchedAt);
        Assert.Equal(("acme@onemoney", "Ramkrishna Sapan", "AAAPL1234C"), (bundle.Customer.AaHandle, bundle.Customer.LegalName, bundle.Customer.Pan));
        Assert.Equal(["consent", "fi"], bundle.Files.Select(f => f.Role));
        Assert.Equal(30, read.TransactionsRead);
    }

    [Fact]
    public void Bare_document_without_a_consent_is_refused()
    {
        var result = BundleReader.Open(Fixtures.Aa("setu_mock_deposit_XXXXXXX123_extract.json"), null, _clock);

        Assert.Null(result.Bundle);
        Assert.Contains("needs its consent", Assert.Single(result.Issues).Message);
    }

    private sealed class CountingSink : IDepositSink
    {
        public List<DepositAccount> Accounts { get; } = [];
        public List<string> TxnIds { get; } = [];

        public void BeginAccount(AccountKey key)
        {
        }

        public void OnTransaction(AccountKey key, Transaction txn) => TxnIds.Add(txn.TxnId);

        public void EndAccount(DepositAccount header) => Accounts.Add(header);
    }
}
