using Msme.Domain;
using Msme.Domain.DemoData;
using Msme.Domain.Ingestion;

namespace Msme.AaSimulator;

/// <summary>
/// The demo generator's customers as the simulated AA's customers: each account rendered as the demo renders it
/// (Setu v1 JSON, ReBIT 2.0.0 JSON, the FI wrapper, ReBIT v1.1 XML), with only the transactions inside the requested
/// range. Customers are generated once, on first use.
/// </summary>
public sealed class DemoAaSource(IEnumerable<DemoCustomer> customers) : ISimulatedAaSource
{
    private readonly Lazy<Dictionary<string, SimulatedCustomer>> _byHandle = new(() =>
        customers.ToDictionary(c => c.Customer.AaHandle, ToSimulated, StringComparer.Ordinal));

    public DemoAaSource(DemoOptions options) : this(DemoGenerator.Generate(options))
    {
    }

    public SimulatedCustomer? Find(string customerHandle) => _byHandle.Value.GetValueOrDefault(customerHandle);

    public IReadOnlyCollection<string> Handles => _byHandle.Value.Keys;

    private static SimulatedCustomer ToSimulated(DemoCustomer c)
    {
        var accounts = new List<SimulatedAccount>(c.Accounts.Count);
        for (int i = 0; i < c.Accounts.Count; i++)
        {
            var account = c.Accounts[i];
            var rendering = c.Renderings[i];
            // The consent's account list says which FIP holds it and its sub-type; match by masked number.
            var linked = c.Consent.Accounts.FirstOrDefault(a => a.MaskedAccNumber == account.MaskedAccNumber);
            string fipId = linked?.FipId ?? c.Session.FipId ?? "DEMO-FIP";
            accounts.Add(new SimulatedAccount(
                fipId,
                linked?.LinkRefNumber ?? account.LinkedAccRef ?? account.MaskedAccNumber,
                account.MaskedAccNumber,
                linked?.FiType ?? "DEPOSIT",
                linked?.AccType ?? account.Summary?.AccountSubType ?? "CURRENT",
                (from, to) => Render(account, rendering, fipId, from, to)));
        }
        return new SimulatedCustomer(c.Customer.AaHandle, accounts);
    }

    /// <summary>The account's document for [from, to]: transactions outside the range are not sent.</summary>
    public static SimulatedDocument Render(DepositAccount account, FiRendering rendering, string fipId, DateTimeOffset from, DateTimeOffset to)
    {
        var inRange = account.Transactions.Where(t => t.Timestamp >= from && t.Timestamp <= to).ToList();
        var ranged = account with
        {
            Transactions = inRange,
            StartDate = IndianTime.DateOf(from),
            EndDate = IndianTime.DateOf(to),
            Summary = account.Summary is { } s && inRange.Count > 0 ? s with { CurrentBalance = inRange[^1].Balance } : account.Summary,
        };
        using var stream = new MemoryStream();
        FiDocumentWriter.Write(stream, ranged, rendering, fipId);
        return new SimulatedDocument(stream.ToArray(), rendering == FiRendering.RebitV1Xml ? "application/xml" : "application/json");
    }
}
