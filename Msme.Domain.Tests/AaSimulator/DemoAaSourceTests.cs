using System.Net;
using Msme.AaSimulator;
using Msme.Domain.Aa;
using Msme.Domain.DemoData;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.AaSimulator;

public class DemoAaSourceTests
{
    private static readonly DemoOptions Options = new(AsOf: new DateOnly(2026, 10, 15), Customers: 6, Months: 4);
    private static readonly IReadOnlyList<DemoCustomer> Customers = DemoGenerator.Generate(Options).ToList();

    private static DepositAccount Parse(SimulatedDocument document)
    {
        var result = DepositDocumentReader.ReadAll(new MemoryStream(document.Bytes), "served");
        Assert.False(result.HasErrors, string.Join("; ", result.Issues));
        return result.Accounts.Single();
    }

    [Fact]
    public void Every_demo_customer_is_known_by_its_aa_handle_with_all_accounts()
    {
        var source = new DemoAaSource(Customers);
        foreach (var c in Customers)
        {
            var found = source.Find(c.Customer.AaHandle);
            Assert.NotNull(found);
            Assert.Equal(c.Accounts.Select(a => a.MaskedAccNumber), found.Accounts.Select(a => a.MaskedAccNumber));
            Assert.All(found.Accounts, a => Assert.Contains(c.Consent.Accounts, ca => ca.FipId == a.FipId && ca.LinkRefNumber == a.LinkRefNumber));
        }
        Assert.Null(source.Find("nobody@nowhere"));
    }

    [Fact]
    public void A_rendered_range_holds_exactly_the_transactions_inside_it()
    {
        var source = new DemoAaSource(Customers);
        var from = new DateTimeOffset(2026, 9, 1, 0, 0, 0, IndianTime.Offset);
        var to = new DateTimeOffset(2026, 9, 30, 23, 59, 59, IndianTime.Offset);
        int documents = 0;
        foreach (var c in Customers)
        {
            var accounts = source.Find(c.Customer.AaHandle)!.Accounts;
            for (int i = 0; i < accounts.Count; i++)
            {
                var document = accounts[i].Render(from, to);
                Assert.Equal(c.Renderings[i] == FiRendering.RebitV1Xml ? "application/xml" : "application/json", document.ContentType);
                var served = Parse(document);
                var expected = c.Accounts[i].Transactions.Where(t => t.Timestamp >= from && t.Timestamp <= to).Select(t => (t.TxnId, t.Amount)).ToList();
                Assert.NotEmpty(expected);
                Assert.Equal(expected, served.Transactions.Select(t => (t.TxnId, t.Amount)));
                Assert.Equal(c.Accounts[i].MaskedAccNumber, served.MaskedAccNumber);
                documents++;
            }
        }
        Assert.True(documents >= Customers.Count);
    }

    [Fact]
    public async Task A_demo_customer_arrives_through_the_simulator_and_parses()
    {
        var customer = Customers.First(c => c.Renderings.Distinct().Count() > 1 || c.Accounts.Count > 1);
        using var fiu = new FiuTestClient(new DemoAaSource(Customers));
        var artefact = await fiu.GrantedConsent(customer.Customer.AaHandle);
        var (sessionId, keys) = await fiu.Session(artefact);
        using (keys)
        {
            var answer = await fiu.Post("FI/fetch", fiu.FiFetch(sessionId));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            var served = answer.Read<FiFetchResponse>().FI
                .SelectMany(f => f.Data.Select(d => Parse(new SimulatedDocument(keys.Decrypt(f.KeyMaterial, d.EncryptedFI), "?"))))
                .ToList();
            // The consent's range (2026-01-01 .. 2026-11-30) covers the whole demo window: every transaction arrives.
            Assert.Equal(customer.Accounts.Sum(a => a.Transactions.Count), served.Sum(a => a.Transactions.Count));
            Assert.Equal(customer.Accounts.Select(a => a.MaskedAccNumber).Order(), served.Select(a => a.MaskedAccNumber).Order());
        }
    }
}
