using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Consent;
using Msme.Domain.Privacy;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Customers;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Api;

public sealed record ApiLineage(string ConsentId, string ConsentStatus, string? PurposeCode, string SessionId, DateTimeOffset FetchedAt, int Transactions,
    DateOnly? FirstDate, DateOnly? LastDate);

public sealed record ApiIncome(decimal? AvgMonthlyInflow, decimal? MedianMonthlyInflow, int? TypicalCreditDay, decimal? IncomeCv, string Consistency,
    string Confidence, int CompleteMonths);

public sealed record ApiCounterparty(string Name, int Count, decimal Total, decimal Share);

public sealed record ApiRecurring(string? Counterparty, string Category, string Type, decimal TypicalAmount, int TypicalDay, int Occurrences);

public sealed record ApiEmiSeries(string Lender, decimal Emi, int DueDay, int MonthsPaid, int Bounces);

public sealed record ApiAnomaly(string Detector, string Subject, string? Month, DateOnly? Date, decimal Value, decimal? Expected, decimal Score,
    decimal? DeviationPct, string Severity, string Why);

/// <summary>One anomaly event: the shape <c>analyze</c> prints, plus the amount out of line, why, and what explains it when it is not raised.</summary>
public sealed record ApiAnomalyEvent(string Period, string Kind, IReadOnlyList<string> Detectors, string Severity, decimal? DeviationPct, decimal Amount,
    bool Raised, string? ExplainedBy, string Why);

/// <summary>The insights beyond the contract for one account, or for the customer's accounts combined (maskedAccNumber null).</summary>
/// <param name="Anomalies">Every detector finding.</param>
/// <param name="Events">The findings merged into events: raised ones, then those the calendar or a loan disbursal explains.</param>
public sealed record ApiInsightScope(string? MaskedAccNumber, ApiIncome Income, IReadOnlyList<ApiCounterparty> TopInflowParties,
    IReadOnlyList<ApiCounterparty> TopOutflowParties, IReadOnlyList<ApiRecurring> Recurring, IReadOnlyList<ApiEmiSeries> Emi, int BounceCount,
    decimal? CashDepositRatio, IReadOnlyList<ApiAnomaly> Anomalies, IReadOnlyList<ApiLineage> Lineage, IReadOnlyList<ApiAnomalyEvent>? Events = null);

/// <summary>A customer's insights: combined (own transfers removed) and per account; empty when no consented data may be read.</summary>
public sealed record ApiInsights(int CustomerId, ApiInsightScope? Combined, IReadOnlyList<ApiInsightScope> Accounts, int OwnTransfers, string Masked);

/// <summary>The analytics contract JSON and the insights extras, computed on the fly from consented data (credit-review use: purposes 103–105).</summary>
public static class AnalyticsApi
{
    public const string ContractRoute = "GET /api/v1/customers/{id:int}/analytics";
    public const string InsightsRoute = "GET /api/v1/customers/{id:int}/analytics/insights";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/customers/{id:int}/analytics", ContractAsync).AllowRoles(ContractRoute).WithTags("Analytics")
            .WithName("GetAnalyticsContract")
            .WithSummary("The analytics contract JSON (contractVersion 1) for a customer's accounts")
            .WithDescription("Exactly what `analyze --customer ID` prints: per account the monthly series, metrics and anomalies, money with 2 " +
                "decimals and ratios with 6. Only data under an ACTIVE, unexpired consent for underwriting (purpose 103, 104 or 105) is read: " +
                "with none, `accounts` is empty. `accountId` narrows it to one account. Audited as a view.")
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/json");
        api.MapGet("/customers/{id:int}/analytics/insights", InsightsAsync).AllowRoles(InsightsRoute).WithTags("Analytics")
            .WithName("GetAnalyticsInsights")
            .WithSummary("Insights beyond the contract: income, counterparties, recurring and EMI series, cash ratio, anomalies, lineage")
            .WithDescription("Combined over the customer's accounts (own transfers removed) and per account, each with the consents and fetch " +
                "sessions the figures come from. Counterparty names are masked for roles that may not see them, as on the customer page. Audited as a view.");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ContractAsync(
        int id, int? accountId, CustomerAccess access, Viewer viewer, ConsentGate gate, CancellationToken ct)
    {
        var target = $"GET /api/v1/customers/{id}/analytics";
        if (!await ApiAccess.CanSeeOrRefuseAsync(access, id, target, ct))
        {
            return ApiProblems.CustomerNotFound(id);
        }
        // Agents: the monitoring use only (DisclosurePolicy.AnalyticsUse), never underwriting data.
        var use = (await viewer.PolicyAsync()).AnalyticsUse;
        var json = await InsightsService.ContractJsonAsync(gate, id, accountId, use, ct);
        if (json is null && accountId is { } one)
        {
            return ApiProblems.NotFound($"Customer {id} has no account {one} with consented data.");
        }
        await access.RecordViewAsync(id, target, $"sections: analytics contract{(accountId is { } a ? $" (account {a})" : "")} ({use} use); masked: none (figures only)", ct);
        // No consented data: the contract of no accounts, as the contract writer prints it.
        return TypedResults.Text(json ?? ContractJson.ToJsonString([]), "application/json");
    }

    private static async Task<Results<Ok<ApiInsights>, ProblemHttpResult>> InsightsAsync(
        int id, CustomerAccess access, Viewer viewer, CustomerService customers, InsightsService insights, CancellationToken ct)
    {
        var target = $"GET /api/v1/customers/{id}/analytics/insights";
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
        await access.RecordViewAsync(id, target, $"sections: analytics insights; masked: {ApiMasking.Describe(policy)}", ct);
        var view = await insights.GetAsync(id, detail.Customer.LegalName, policy.AnalyticsUse, ct);
        if (view is null)
        {
            return TypedResults.Ok(new ApiInsights(id, null, [], 0, ApiMasking.Describe(policy)));
        }
        var allLineage = view.Accounts.SelectMany(a => a.Lineage).ToList();
        var names = CounterpartyNames.Of(view.Insights.Accounts);
        var perAccount = view.Insights.Accounts.Select((a, i) => Scope(a, a.MaskedAccNumber, view.Accounts[i].Lineage, policy, names)).ToList();
        return TypedResults.Ok(new ApiInsights(id, Scope(view.Insights.Combined, null, allLineage, policy, names), perAccount, view.Insights.OwnTransfers.Count,
            ApiMasking.Describe(policy)));
    }

    private static ApiInsightScope Scope(AccountInsights a, string? masked, IReadOnlyList<AccountLineage> lineage, DisclosurePolicy policy, CounterpartyNames names)
    {
        var inc = a.Income;
        ApiCounterparty Party(Msme.Domain.Analytics.Patterns.CounterpartyTotal t) => new(policy.Counterparty(t.Name) ?? t.Name, t.Count, t.Total, t.Share);
        return new ApiInsightScope(masked,
            new ApiIncome(inc.AvgMonthlyInflow, inc.MedianMonthlyInflow, inc.TypicalCreditDay, inc.IncomeCv, inc.Consistency.ToString(), inc.Confidence.ToString(), inc.CompleteMonths),
            [.. a.Counterparties.InByValue.Select(Party)], [.. a.Counterparties.OutByValue.Select(Party)],
            [.. a.Recurring.Select(r => new ApiRecurring(policy.Counterparty(r.Counterparty), r.Category.ToString(), r.Type.ToString(), r.TypicalAmount, r.TypicalDay, r.Occurrences))],
            [.. a.Emi.Series.Select(s => new ApiEmiSeries(policy.Counterparty(s.Lender) ?? s.Lender, s.Emi, s.DueDay, s.MonthsPaid.Count, s.Bounces.Count))],
            a.Emi.BounceCount, a.CashRatio.Ratio,
            [.. a.Anomalies.Findings.Select(f => new ApiAnomaly(f.Detector, policy.Quoted(f.Subject, names) ?? "", f.Month?.ToString(), f.Date, f.Value, f.Expected, f.Score, f.DeviationPct,
                f.Severity.ToString(), policy.Quoted(f.Explanation.Narrative, names) ?? ""))],
            [.. lineage.Select(l => new ApiLineage(l.ConsentId, l.ConsentStatus, l.PurposeCode, l.SessionId, l.FetchedAt, l.Transactions, l.FirstDate, l.LastDate))],
            [.. a.Anomalies.Events.Select(e => Event(e, true)), .. a.Anomalies.Explained.Select(e => Event(e, false))]);

        ApiAnomalyEvent Event(Msme.Domain.Analytics.Anomalies.AnomalyEvent e, bool raised) => new(e.Period, e.KindName, e.Detectors, e.Severity.ToString(), e.DeviationPct,
            e.Amount, raised, policy.Quoted(e.ExplainedBy, names), policy.Quoted(e.Explanation.Narrative, names) ?? "");
    }
}
