using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Msme.Domain.DemoData;

namespace Msme.Domain.Tests.DemoData;

public sealed class DemoBundleWriterTests : IDisposable
{
    private static readonly DemoOptions Options = new(new DateOnly(2026, 9, 30), Customers: 8, Months: 6, Seed: 5);
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("msme-demo-test-");

    public void Dispose() => root.Delete(recursive: true);

    private string WriteAll(string name, DemoOptions options)
    {
        var dir = Path.Combine(root.FullName, name);
        foreach (var c in DemoGenerator.Generate(options)) DemoBundleWriter.Write(c, Path.Combine(dir, $"c{c.Index:D3}"));
        DemoBundleWriter.WriteLoanBook(DemoGenerator.Generate(options), Path.Combine(dir, "loan-book.json"));
        return dir;
    }

    private static Dictionary<string, byte[]> Files(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    [Fact]
    public void Same_seed_writes_identical_bytes_and_another_seed_does_not()
    {
        var a = Files(WriteAll("a", Options));
        var b = Files(WriteAll("b", Options));
        var c = Files(WriteAll("c", Options with { Seed = 6 }));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs");
        Assert.False(a["c000/manifest.json"].AsSpan().SequenceEqual(c["c000/manifest.json"]));
    }

    [Fact]
    public void Every_bundle_has_a_manifest_naming_files_that_parse_as_json_or_xml()
    {
        var dir = WriteAll("parse", Options);
        var renderings = new HashSet<FiRendering>();
        foreach (var c in DemoGenerator.Generate(Options))
        {
            var bundle = Path.Combine(dir, $"c{c.Index:D3}");
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bundle, "manifest.json")));
            var m = manifest.RootElement;
            Assert.Equal(1, m.GetProperty("bundleVersion").GetInt32());
            Assert.Equal(c.Customer.AaHandle, m.GetProperty("customer").GetProperty("aaHandle").GetString());
            Assert.Equal(c.Session.SessionId, m.GetProperty("fetchSession").GetProperty("sessionId").GetString());
            Assert.EndsWith("+05:30", m.GetProperty("fetchSession").GetProperty("fetchedAt").GetString());
            Assert.Equal("consent.json", m.GetProperty("consent").GetString());
            var documents = m.GetProperty("documents").EnumerateArray().Select(d => d.GetString()!).ToList();
            Assert.Equal(c.Accounts.Count, documents.Count);
            for (var i = 0; i < documents.Count; i++)
            {
                renderings.Add(c.Renderings[i]);
                var path = Path.Combine(bundle, documents[i]);
                var expected = c.Accounts[i].Transactions.Count;
                Assert.Equal(expected, CountTransactions(path, c.Renderings[i]));
            }
        }
        Assert.True(renderings.Count >= 3, "a dozen customers should show most renderings");
    }

    private static int CountTransactions(string path, FiRendering rendering)
    {
        if (rendering == FiRendering.RebitV1Xml)
        {
            var doc = XDocument.Load(path);
            XNamespace ns = "http://api.rebit.org.in/FISchema/deposit";
            Assert.Equal(ns + "Account", doc.Root!.Name);
            Assert.Equal("1.1", doc.Root.Attribute("version")!.Value);
            var txns = doc.Root.Element(ns + "Transactions")!.Elements(ns + "Transaction").ToList();
            foreach (var t in txns) Assert.EndsWith("+05:30", t.Attribute("transactionTimestamp")!.Value);
            return txns.Count;
        }
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = json.RootElement;
        switch (rendering)
        {
            case FiRendering.SetuV1Json:
                Assert.Equal("1.1", root.GetProperty("version").GetString());
                var setu = root.GetProperty("transactions").GetProperty("transaction");
                Assert.Equal(JsonValueKind.String, setu[0].GetProperty("amount").ValueKind);
                return setu.GetArrayLength();
            case FiRendering.V2Json:
                Assert.Equal("2.0.0", root.GetProperty("version").GetString());
                Assert.Equal("REGULAR", root.GetProperty("summary").GetProperty("accountType").GetString());
                var v2 = root.GetProperty("transactions").GetProperty("transaction");
                Assert.Equal(JsonValueKind.Number, v2[0].GetProperty("transactionalBalance").ValueKind);
                return v2.GetArrayLength();
            default:
                var account = root.GetProperty("FI")[0].GetProperty("data")[0].GetProperty("decryptedFI").GetProperty("account");
                Assert.True(account.GetProperty("Profile").GetProperty("Holders").TryGetProperty("Holder", out _));
                return account.GetProperty("Transactions").GetProperty("Transaction").GetArrayLength();
        }
    }

    [Fact]
    public void Consent_alternates_between_a_signed_artefact_and_a_bare_detail_for_the_same_customer()
    {
        var dir = WriteAll("consent", Options with { Customers = 2 });
        using var artefact = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "c000", "consent.json")));
        using var detail = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "c001", "consent.json")));

        var jws = artefact.RootElement.GetProperty("signedConsent").GetString()!.Split('.');
        Assert.Equal(3, jws.Length);
        Assert.Equal("ACTIVE", artefact.RootElement.GetProperty("status").GetString());
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(jws[0]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(jws[1]));
        var customers = DemoGenerator.Generate(Options with { Customers = 2 }).ToList();
        Assert.Equal(customers[0].Customer.AaHandle, payload.RootElement.GetProperty("Customer").GetProperty("id").GetString());
        Assert.Equal("msme-fiu", payload.RootElement.GetProperty("DataConsumer").GetProperty("id").GetString());
        Assert.Equal("DEPOSIT", payload.RootElement.GetProperty("fiTypes")[0].GetString());

        Assert.False(detail.RootElement.TryGetProperty("signedConsent", out _));
        Assert.Equal(customers[1].Customer.AaHandle, detail.RootElement.GetProperty("Customer").GetProperty("id").GetString());
        Assert.True(detail.RootElement.GetProperty("FIDataRange").TryGetProperty("from", out _));
    }

    [Fact]
    public void Xml_attributes_are_escaped()
    {
        var c = DemoGenerator.Generate(Options).First();
        var account = c.Accounts[0] with
        {
            Transactions = [c.Accounts[0].Transactions[0] with { Narration = "A&B <\"quoted\"> D'Souza" }],
        };
        var tricky = c with { Accounts = [account], Renderings = [FiRendering.RebitV1Xml] };
        var dir = Path.Combine(root.FullName, "xml");
        DemoBundleWriter.Write(tricky, dir);
        var doc = XDocument.Load(Path.Combine(dir, "fi-1.xml"));
        var narration = doc.Descendants().Single(e => e.Name.LocalName == "Transaction").Attribute("narration")!.Value;
        Assert.Equal("A&B <\"quoted\"> D'Souza", narration);
    }

    [Fact]
    public void Loan_book_lists_every_loan_with_its_instalments()
    {
        var dir = WriteAll("book", Options);
        using var book = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "loan-book.json")));
        var loans = book.RootElement.GetProperty("loans");
        var expected = DemoGenerator.Generate(Options).SelectMany(c => c.Loans).ToList();
        Assert.Equal(expected.Count, loans.GetArrayLength());
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].LoanId, loans[i].GetProperty("loanId").GetString());
            Assert.Equal(expected[i].TenureMonths, loans[i].GetProperty("instalments").GetArrayLength());
            Assert.Contains(loans[i].GetProperty("mandate").GetString(), new[] { "E_NACH", "UPI_AUTOPAY", "NONE" });
        }
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "loan-book.json")));
        Assert.DoesNotContain("\r", text);
    }
}
