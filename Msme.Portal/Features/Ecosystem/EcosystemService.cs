using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Analytics;
using Msme.Domain.Consent;
using Msme.Domain.Ecosystem;
using Msme.Domain.Ecosystem.Insurance;
using Msme.Domain.Ecosystem.MutualFunds;
using Msme.Domain.Ecosystem.Ocen;
using Msme.Domain.Ecosystem.Ondc;
using Msme.Domain.Privacy;
using Msme.Portal.Data;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Customers;

namespace Msme.Portal.Features.Ecosystem;

/// <summary>The consent and fetch session behind a product's figures.</summary>
public sealed record ProductSource(string ConsentId, string? PurposeCode, string SessionId, DateTimeOffset FetchedAt, int Transactions);

/// <summary>
/// One data product for one customer: its state, why it is not ready (if so), the data use and purposes it needs, the
/// product itself when it could be computed, and the consents and sessions its figures came from.
/// </summary>
/// <param name="Product">The product's stable name (<see cref="DataProductNames"/>): the API's route segment.</param>
/// <param name="Data">Null when <paramref name="State"/> is NotPermitted or NoData; present (with null figures and reasons) when InsufficientData.</param>
public sealed record DataProductResult<T>(string Product, ProductState State, string? Reason, string Use, IReadOnlyList<string> Purposes,
    T? Data, IReadOnlyList<ProductSource> Sources) where T : class;

/// <summary>All four data products of a customer, as the UI shows them and the API will return them.</summary>
/// <param name="Masked">What the viewer's role may not see and is masked here ("pan", "counterparties"), or "none".</param>
public sealed record CustomerDataProducts(
    int CustomerId,
    DateTimeOffset PreparedAt,
    string Masked,
    DataProductResult<OcenLoanApplication> Ocen,
    DataProductResult<OndcSellerProfile> Ondc,
    DataProductResult<InsuranceSuitability> Insurance,
    DataProductResult<SipCapacity> MutualFunds);

/// <summary>
/// Computes a customer's data products on the fly from the stored AA data, each from the data its consent purpose
/// allows (credit products: underwriting; insurance and funds: advisory). The portfolio check, the audit of the view
/// and the masking of PAN and counterparties happen here, so no caller can skip them.
/// </summary>
public sealed class EcosystemService(
    InsightsService insights,
    CustomerAccess access,
    Viewer viewer,
    IDbContextFactory<ApplicationDbContext> dbFactory,
    TimeProvider clock)
{
    /// <summary>The audit target of a look at the products.</summary>
    public static string Target(int customerId) => $"/customers/{customerId}/products";

    /// <summary>Null when the customer does not exist or is outside the viewer's portfolio (the refusal is audited).</summary>
    /// <param name="target">What the audit names as viewed: the customer page's tab unless an API route is given.</param>
    public async Task<CustomerDataProducts?> GetAsync(int customerId, CancellationToken ct = default, string? target = null)
    {
        target ??= Target(customerId);
        if (!await access.CanSeeAsync(customerId, ct))
        {
            await access.RecordRefusedAsync(customerId, target, ct);
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null)
        {
            return null;
        }
        var hasData = await db.Accounts.AnyAsync(a => a.CustomerId == customerId, ct);
        var policy = await viewer.PolicyAsync();
        Func<string, string> counterparty = name => policy.Counterparty(name) ?? name;
        var preparedAt = clock.GetUtcNow().ToOffset(IndianTime.Offset);

        var credit = await BaseAsync(customerId, DataUse.Underwriting, customer.LegalName, counterparty, ct);
        var advice = await BaseAsync(customerId, DataUse.Advisory, customer.LegalName, counterparty, ct);
        // The category is read from the full PAN before it is masked for the viewer.
        var borrower = BorrowerProfile.Create(customer.Pan, customer.LegalName, customer.AaHandle, customer.Udyam, customer.Scale, customer.BusinessCategory)
            with { Pan = policy.Pan(customer.Pan) };

        var result = new CustomerDataProducts(customerId, preparedAt, Masked(policy),
            Result(DataProductNames.OcenLoanApplication, credit, hasData, b => OcenApplicationBuilder.Build(borrower, b.Surplus, b.Combined, b.ConsentIds, preparedAt), a => a.Insufficient),
            Result(DataProductNames.OndcSellerProfile, credit, hasData, b => OndcProfileBuilder.Build(b.Surplus, b.Combined, counterparty), p => p.Insufficient),
            Result(DataProductNames.InsuranceSuitability, advice, hasData, b => InsuranceSuitabilityBuilder.Build(b.Surplus), i => i.Insufficient),
            Result(DataProductNames.MutualFundSip, advice, hasData, b => SipCapacityBuilder.Build(b.Surplus), s => s.Insufficient));
        await access.RecordViewAsync(customerId, target,
            $"data products: ocen {result.Ocen.State}, ondc {result.Ondc.State}, insurance {result.Insurance.State}, mutual funds {result.MutualFunds.State}; masked: {result.Masked}", ct);
        return result;
    }

    /// <summary>Records that the viewer took the OCEN application JSON out of the portal.</summary>
    public Task RecordDownloadAsync(int customerId, CancellationToken ct = default) =>
        access.RecordViewAsync(customerId, Target(customerId), "downloaded the OCEN loan application JSON", ct);

    private sealed record Base(AccountInsights Combined, SurplusBase Surplus, IReadOnlyList<string> ConsentIds, IReadOnlyList<ProductSource> Sources);

    private async Task<Base?> BaseAsync(int customerId, DataUse use, string? name, Func<string, string> counterparty, CancellationToken ct)
    {
        // The same insights the Insights tab shows, from the same cached analysis of the data this use may read.
        if (await insights.GetAsync(customerId, name, use, ct) is not { } view)
        {
            return null;
        }
        var combined = view.Insights.Combined;
        var lineage = view.Accounts.SelectMany(s => s.Lineage).ToList();
        return new Base(combined, SurplusBase.Build(combined, counterparty),
            [.. lineage.Select(l => l.ConsentId).Distinct()],
            [.. lineage.Select(l => new ProductSource(l.ConsentId, l.PurposeCode, l.SessionId, l.FetchedAt, l.Transactions))]);
    }

    private static DataProductResult<T> Result<T>(string product, Base? data, bool hasData, Func<Base, T> build, Func<T, string?> insufficient) where T : class
    {
        var use = ProductConsent.UseOf(product);
        var purposes = ConsentPurposes.Allowed[use];
        if (data is null)
        {
            return hasData
                ? new(product, ProductState.NotPermitted, ProductConsent.NotPermittedReason(product), use.ToString(), purposes, null, [])
                : new(product, ProductState.NoData, "No AA data has been received for this customer yet.", use.ToString(), purposes, null, []);
        }
        var value = build(data);
        var why = insufficient(value);
        return new(product, why is null ? ProductState.Ready : ProductState.InsufficientData, why, use.ToString(), purposes, value, data.Sources);
    }

    private static string Masked(DisclosurePolicy p) =>
        string.Join(",", new[] { p.Pan ? null : "pan", p.Counterparties ? null : "counterparties" }.Where(x => x is not null)) is { Length: > 0 } m ? m : "none";
}
