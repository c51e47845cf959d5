using Msme.Domain.DemoData;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.DemoData;

/// <summary>The demo generator and the ingestion path agree: every rendering it writes reads back exactly.</summary>
public sealed class DemoRoundTripTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("msme-demo-roundtrip-");

    [Fact]
    public void Every_demo_bundle_reads_back_with_the_generated_transactions_and_no_errors()
    {
        var options = new DemoOptions(new DateOnly(2026, 9, 30), Customers: 12, Months: 6, Seed: 7);
        var renderings = new HashSet<FiRendering>();
        foreach (var customer in DemoGenerator.Generate(options))
        {
            var path = Path.Combine(_dir.FullName, $"c{customer.Index}");
            DemoBundleWriter.Write(customer, path);
            renderings.UnionWith(customer.Renderings);

            var opened = BundleReader.Open(path, null, TimeProvider.System);
            Assert.False(opened.HasErrors, string.Join("\n", opened.Issues));
            var sink = new Collecting();
            var read = opened.Bundle!.ReadDocuments(sink);

            Assert.False(read.HasErrors, string.Join("\n", read.Issues));
            Assert.Equal(customer.Customer.AaHandle, opened.Bundle.Customer.AaHandle);
            Assert.Equal(customer.Accounts.Sum(a => a.Transactions.Count), sink.Transactions.Count);
            foreach (var account in customer.Accounts)
            {
                var expected = account.Transactions.Select(t => (t.TxnId, t.Type, t.Amount, t.Balance, t.Timestamp));
                var actual = sink.Transactions.Where(x => x.Key.MaskedAccNumber == account.MaskedAccNumber)
                    .Select(x => (x.Txn.TxnId, x.Txn.Type, x.Txn.Amount, x.Txn.Balance, x.Txn.Timestamp));
                Assert.Equal(expected, actual);
            }
        }
        Assert.Equal(Enum.GetValues<FiRendering>().Length, renderings.Count);
    }

    private sealed class Collecting : IDepositSink
    {
        public List<(AccountKey Key, Transaction Txn)> Transactions { get; } = [];
        public void BeginAccount(AccountKey key) { }
        public void OnTransaction(AccountKey key, Transaction txn) => Transactions.Add((key, txn));
        public void EndAccount(DepositAccount header) { }
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
