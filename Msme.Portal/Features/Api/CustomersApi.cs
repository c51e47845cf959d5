using Microsoft.AspNetCore.Http.HttpResults;
using Msme.Domain;
using Msme.Domain.Privacy;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Customers;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Api;

/// <summary>A customer in a list, masked for the caller's role as the customers page masks it.</summary>
public sealed record ApiCustomerItem(int Id, string? LegalName, string AaHandle, string? Pan, string? BusinessCategory, string? Scale, int Accounts);

/// <summary>One deposit account (no transactions; holder names only, as the customer page shows them).</summary>
public sealed record ApiAccount(int Id, string FipId, string MaskedAccNumber, string? AccountType, string? AccountSubType, string? Ifsc, string? Branch,
    decimal? CurrentBalance, string? HoldingType, IReadOnlyList<string> Holders, int Transactions, DateOnly? FirstDate, DateOnly? LastDate);

public sealed record ApiCustomerConsent(int Id, string ConsentId, string Status, string? PurposeCode, string? PurposeText, string? FetchType,
    DateTimeOffset? FiDataFrom, DateTimeOffset? FiDataTo, DateTimeOffset? ConsentExpiry, int Sessions);

/// <summary>One customer: profile (masked for the role), accounts and consents. <c>masked</c> lists what the role does not see.</summary>
public sealed record ApiCustomer(int Id, string? LegalName, string AaHandle, string? Pan, string? Udyam, string? BusinessCategory, string? Scale,
    IReadOnlyList<ApiAccount> Accounts, IReadOnlyList<ApiCustomerConsent> Consents, string Masked);

/// <summary>GET /api/v1/customers and /api/v1/customers/{id}: the customer list and page, for every staff role.</summary>
public static class CustomersApi
{
    public const string ListRoute = "GET /api/v1/customers";
    public const string OneRoute = "GET /api/v1/customers/{id:int}";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/customers", ListAsync).WithTags("Customers").AllowRoles(ListRoute)
            .WithName("ListCustomers")
            .WithSummary("Customers the caller may see, paged")
            .WithDescription("Agents see only their portfolio; other roles every customer. `search` matches name, AA handle and masked account " +
                "number by substring and PAN exactly. PAN is masked for roles that may not see it, as on the customers page. The call is audited.");
        api.MapGet("/customers/{id:int}", GetAsync).WithTags("Customers").AllowRoles(OneRoute)
            .WithName("GetCustomer")
            .WithSummary("One customer: profile, accounts and consents")
            .WithDescription("Masked for the caller's role exactly as the customer page is. A customer outside an agent's portfolio is 404, " +
                "like one that does not exist, and the attempt is audited; every view is audited.");
    }

    private static async Task<Results<Ok<Paged<ApiCustomerItem>>, ValidationProblem>> ListAsync(
        string? search, int? page, int? pageSize, CustomerService customers, CustomerAccess access, Viewer viewer, AuditLog audit, CancellationToken ct)
    {
        var (index, size, problem) = ApiPaging.Check(page, pageSize);
        if (problem is not null)
        {
            return problem;
        }
        var policy = await viewer.PolicyAsync();
        var visible = await access.VisibleCustomersAsync(ct);
        var found = await customers.SearchAsync(search, index, size, "name", false, visible, ct);
        await audit.AppendAsync(AuditEvent.For(await viewer.UserAsync(), "view", ListRoute, null,
            $"customer list page {index + 1}: {found.Items.Count} of {found.TotalItems}; masked: {ApiMasking.Describe(policy)}"), ct);
        return TypedResults.Ok(new Paged<ApiCustomerItem>(
            [.. found.Items.Select(c => new ApiCustomerItem(c.Id, c.LegalName, c.AaHandle, policy.Pan(c.Pan), c.BusinessCategory, c.Scale, c.Accounts))],
            index + 1, size, found.TotalItems));
    }

    private static async Task<Results<Ok<ApiCustomer>, ProblemHttpResult>> GetAsync(int id, CustomerService customers, CustomerAccess access, Viewer viewer, CancellationToken ct)
    {
        var target = $"GET /api/v1/customers/{id}";
        if (!await ApiAccess.CanSeeOrRefuseAsync(access, id, target, ct))
        {
            return ApiProblems.CustomerNotFound(id);
        }
        var detail = await customers.GetAsync(id, ct);
        if (detail is null)
        {
            return ApiProblems.CustomerNotFound(id);
        }
        var policy = await viewer.PolicyAsync();
        await access.RecordViewAsync(id, target, $"sections: profile, accounts, consents; masked: {ApiMasking.Describe(policy)}", ct);
        var c = detail.Customer;
        return TypedResults.Ok(new ApiCustomer(c.Id, c.LegalName, c.AaHandle, policy.Pan(c.Pan), c.Udyam, c.BusinessCategory, c.Scale,
            [.. detail.Accounts.Select(a => new ApiAccount(a.Id, a.FipId, a.MaskedAccNumber, a.AccountType, a.AccountSubType, a.Ifsc, a.Branch, a.CurrentBalance,
                a.HoldingType, [.. a.Holders.Select(h => h.Name).OfType<string>()], a.Transactions, a.FirstDate, a.LastDate))],
            [.. detail.Consents.Select(k => new ApiCustomerConsent(k.Id, k.ConsentId, k.Status.ToUpperInvariant(), k.PurposeCode, k.PurposeText, k.FetchType,
                k.FiDataFrom, k.FiDataTo, k.ConsentExpiry, k.Sessions))],
            ApiMasking.Describe(policy)));
    }
}

/// <summary>The portfolio rule for API calls: outside it a customer is "not found", and the attempt is audited.</summary>
public static class ApiAccess
{
    public static async Task<bool> CanSeeOrRefuseAsync(CustomerAccess access, int customerId, string target, CancellationToken ct)
    {
        if (await access.CanSeeAsync(customerId, ct))
        {
            return true;
        }
        await access.RecordRefusedAsync(customerId, target, ct);
        return false;
    }
}

public static class ApiMasking
{
    /// <summary>"pan,email" — what the policy hides, as the customer page records it in the audit; "none" when nothing.</summary>
    public static string Describe(DisclosurePolicy p) =>
        string.Join(",", new[] { p.Pan ? null : "pan", p.Mobile ? null : "mobile", p.Email ? null : "email", p.Counterparties ? null : "counterparties" }
            .OfType<string>()) is { Length: > 0 } m ? m : "none";
}
