using Microsoft.AspNetCore.Http.HttpResults;
using Msme.Domain.Ecosystem;
using Msme.Portal.Features.Ecosystem;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Api;

/// <summary>
/// The ecosystem data products (OCEN loan application, ONDC seller credit profile, insurance suitability, SIP capacity),
/// computed from the same stored AA data as every screen, each from the data its consent purpose allows. RiskManager
/// and Admin, as the customer page's "Data products" tab.
/// </summary>
public static class EcosystemApi
{
    public const string ProductsRoute = "GET /api/v1/customers/{id:int}/products";
    public const string OcenRoute = "GET /api/v1/customers/{id:int}/products/ocen-loan-application";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/customers/{id:int}/products", ProductsAsync).AllowRoles(ProductsRoute).WithTags("Ecosystem")
            .WithName("GetDataProducts")
            .WithSummary("All four data products of a customer, each with its state, figures, formulas, inputs and source sessions")
            .WithDescription("Each product says its `state` (Ready, InsufficientData, NotPermitted, NoData) and why; credit products " +
                "(OCEN, ONDC) read only data under an ACTIVE consent for underwriting (purpose 103, 104 or 105), insurance and " +
                "mutual funds only data under purpose 101. Every figure carries its explanation (formula, inputs, narrative). " +
                "PAN and counterparties are masked for roles that may not see them. 404 when the customer is not visible. Audited as a view.");
        api.MapGet("/customers/{id:int}/products/ocen-loan-application", OcenAsync).AllowRoles(OcenRoute).WithTags("Ecosystem")
            .WithName("GetOcenLoanApplication")
            .WithSummary("The OCEN 4.0 loan application object for a customer, with the cashflow summary inline")
            .WithDescription("The document a lender system submits to an OCEN loan-application API: borrower, business KYC, requested " +
                "amount and tenure sized from the stable surplus and existing EMIs (docs/data-products.md), and the cashflow summary. " +
                "422 with `state` and `reason` when no application can be prepared (no consent allowing underwriting, or no data). Audited.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Results<Ok<CustomerDataProducts>, ProblemHttpResult>> ProductsAsync(int id, EcosystemService ecosystem, CancellationToken ct)
    {
        var products = await ecosystem.GetAsync(id, ct, $"GET /api/v1/customers/{id}/products");
        return products is null ? ApiProblems.CustomerNotFound(id) : TypedResults.Ok(products);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> OcenAsync(int id, EcosystemService ecosystem, CancellationToken ct)
    {
        var products = await ecosystem.GetAsync(id, ct, $"GET /api/v1/customers/{id}/products/{DataProductNames.OcenLoanApplication}");
        if (products is null)
        {
            return ApiProblems.CustomerNotFound(id);
        }
        var ocen = products.Ocen;
        if (ocen.Data is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No loan application can be prepared",
                detail: ocen.Reason, extensions: new Dictionary<string, object?> { ["state"] = ocen.State.ToString(), ["purposes"] = ocen.Purposes });
        }
        return TypedResults.Text(ocen.Data.Json, "application/json");
    }
}
