using Microsoft.AspNetCore.Http.HttpResults;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Customers;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Api;

public sealed record ApiRecommendation(string Action, string Channel, DateOnly? Date, double ExpectedEffect, IReadOnlyList<string> Reasons);

public sealed record ApiWindow(DateOnly From, DateOnly To, double Probability, double BaseProbability, decimal? ExpectedBalance);

/// <summary>One upcoming or overdue instalment with its forecast, status, delinquency and recommendations, each with reasons.</summary>
public sealed record ApiCollection(int CustomerId, string CustomerName, int LoanKey, string LoanId, string Product, string Mandate, int InstalmentNumber,
    DateOnly DueDate, decimal Emi, double? Probability, ApiWindow? Window, decimal? ExpectedBalance, string Status, string? Confidence, int Dpd, string Bucket,
    decimal RiskAmount, IReadOnlyList<ApiRecommendation> Recommendations, IReadOnlyList<string> Reasons, IReadOnlyList<string> DelinquencyReasons,
    IReadOnlyList<ApiQueueFlag>? Flags = null);

/// <summary>A follow-up on a queue row: CallbackDue, PromiseDueToday, BrokenPromise or Escalated (by risk, with the reviewer's note).</summary>
public sealed record ApiQueueFlag(string Kind, DateOnly Date, IReadOnlyList<string> Reasons, long? WorkItemId, string? Note, string? By);

/// <summary>How many rows each filter would return (after status and search).</summary>
public sealed record ApiQueueCounts(int All, int DueToday, int Next7Days, int Overdue, int CallbacksDue, int PromisesDueToday, int BrokenPromises, int Escalated);

/// <summary>One loan's (or all loans') collection record up to <c>asOf</c>: book figures, and the statement's where held. Money in rupees.</summary>
public sealed record ApiLoanCollectionSummary(string LoanId, int InstalmentsDue, int Presentments, int Bounces, decimal? BounceRate, int OnTime, decimal? OnTimeRate,
    decimal Due, decimal Collected, decimal Overdue, decimal? BankDebited, int? Disagreements, IReadOnlyList<string> Reasons);

public sealed record ApiCollectionSummary(DateOnly AsOf, IReadOnlyList<ApiLoanCollectionSummary> Loans, ApiLoanCollectionSummary Total);

/// <summary>The caller's collections queue, riskiest rupees first, with the as-of date every figure is computed for.</summary>
public sealed record ApiQueuePage(IReadOnlyList<ApiCollection> Items, int Page, int PageSize, int Total, DateOnly AsOf, string AsOfReason,
    ApiQueueCounts? Counts = null, DateOnly? Today = null);

public sealed record ApiLoanPlan(int LoanKey, string LoanId, string Product, string? Lender, string Mandate, decimal Emi, int DueDay, string MaskedAccNumber,
    int Dpd, string Bucket, decimal Overdue, IReadOnlyList<string> DelinquencyReasons, string? AccountNote, IReadOnlyList<ApiCollection> Upcoming);

public sealed record ApiRiskSignal(string MaskedAccNumber, string Kind, IReadOnlyList<string> Reasons);

/// <summary>A customer's collection plan: every loan with its upcoming instalments and recommendations, and the customer's risk signals.</summary>
public sealed record ApiCollectionPlan(int CustomerId, string CustomerName, DateOnly AsOf, string AsOfReason, IReadOnlyList<ApiLoanPlan> Loans,
    IReadOnlyList<ApiRiskSignal> RiskSignals, ApiCollectionSummary? Summary = null, IReadOnlyList<ApiQueueFlag>? Flags = null);

/// <summary>What-if input: present the loan's next instalment on <c>day</c> (1–31) through <c>channel</c>.</summary>
public sealed record ApiWhatIfRequest(int? LoanKey, int? Day, PresentmentChannel? Channel);

public sealed record ApiWhatIf(int LoanKey, int PresentmentDay, DateOnly Date, string Channel, double Probability, decimal ExpectedAmount, int MonthsCollected,
    int DueDateMonthsCollected, int Months, IReadOnlyList<string> Reasons);

/// <summary>Smart Collect: the caller's queue, a customer's plan and the what-if simulation (Agent, RiskManager, Admin, as the screens).</summary>
public static class CollectionsApi
{
    public const string QueueRoute = "GET /api/v1/collections/queue";
    public const string PlanRoute = "GET /api/v1/customers/{id:int}/collections";
    public const string WhatIfRoute = "POST /api/v1/customers/{id:int}/collections/what-if";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/collections/queue", QueueAsync).AllowRoles(QueueRoute).WithTags("Smart Collect")
            .WithName("GetCollectionsQueue")
            .WithSummary("Upcoming and overdue collections for the caller, riskiest rupees first")
            .WithDescription("The agent queue: an Agent client sees its agent's portfolio, other roles every customer. `filter` is All, DueToday, " +
                "Next7Days, Overdue, CallbacksDue, PromisesDueToday, BrokenPromises or Escalated (agent follow-ups escalated by risk); `counts` gives each " +
                "filter's row count and each row's `flags` the follow-ups with their evidence; `status` one of Scheduled, Likely, AtRisk, HighRisk, Overdue, Collected; `search` matches customer name or loan id. " +
                "Figures are as of `asOf` (today, or the day after the latest bank data when earlier). Audited.");
        api.MapGet("/customers/{id:int}/collections", PlanAsync).AllowRoles(PlanRoute).WithTags("Smart Collect")
            .WithName("GetCollectionPlan")
            .WithSummary("A customer's collection plan: loans, upcoming instalments, recommendations with reasons, risk signals, collection summary")
            .WithDescription("`summary` gives presentments, bounces, on-time rate, amounts collected and overdue by loan and in total (the book, and what " +
                "the statement shows debited where held); `flags` the customer's follow-ups and open escalations. 404 when the customer is not visible " +
                "to the caller (attempt audited) or has no loans. Audited as a view.");
        api.MapPost("/customers/{id:int}/collections/what-if", WhatIfAsync).AllowRoles(WhatIfRoute).WithTags("Smart Collect")
            .WithName("SimulateWhatIf")
            .WithSummary("Simulate presenting a loan's next instalment on a chosen day through a chosen channel")
            .WithDescription("Body: `{ \"loanKey\": 12, \"day\": 5, \"channel\": \"ENach\" | \"UpiAutoPay\" | \"UpiLink\" }`. Answers the probability, expected " +
                "amount and how often that day was covered in past months, with reasons. Nothing is stored; the call is audited.");
    }

    private static async Task<Results<Ok<ApiQueuePage>, ValidationProblem>> QueueAsync(
        QueueFilter? filter, CollectionStatus? status, string? search, int? page, int? pageSize,
        CollectionsService collections, Viewer viewer, AuditLog audit, CancellationToken ct)
    {
        var (index, size, problem) = ApiPaging.Check(page, pageSize);
        if (problem is not null)
        {
            return problem;
        }
        var user = await viewer.UserAsync();
        var queue = await collections.QueueAsync(CollectionsViewer.From(user), new QueueQuery(filter ?? QueueFilter.All, status, search, null, true, index, size), ct);
        await audit.AppendAsync(AuditEvent.For(user, "view", QueueRoute, null,
            $"collections queue page {index + 1}: {queue.Items.Count} of {queue.TotalItems} instalments"), ct);
        var c = queue.Counts;
        return TypedResults.Ok(new ApiQueuePage([.. queue.Items.Select(Item)], index + 1, size, queue.TotalItems, queue.AsOf, queue.AsOfReason,
            new ApiQueueCounts(c.All, c.DueToday, c.Next7Days, c.Overdue, c.CallbacksDue, c.PromisesDueToday, c.BrokenPromises, c.Escalated), queue.Today));
    }

    private static async Task<Results<Ok<ApiCollectionPlan>, ProblemHttpResult>> PlanAsync(
        int id, CollectionsService collections, CustomerAccess access, Viewer viewer, CancellationToken ct)
    {
        var target = $"GET /api/v1/customers/{id}/collections";
        if (!await ApiAccess.CanSeeOrRefuseAsync(access, id, target, ct))
        {
            return ApiProblems.CustomerNotFound(id);
        }
        var plan = await collections.CustomerAsync(CollectionsViewer.From(await viewer.UserAsync()), id, ct);
        if (plan is null || plan.Loans.Count == 0)
        {
            return ApiProblems.NotFound($"Customer {id} has no loans in the loan book.");
        }
        await access.RecordViewAsync(id, target, "sections: collections plan (loans, forecasts, recommendations, risk signals, collection summary, follow-ups)", ct);
        return TypedResults.Ok(new ApiCollectionPlan(plan.CustomerId, plan.CustomerName, plan.AsOf, plan.AsOfReason,
            [.. plan.Loans.Select(l => new ApiLoanPlan(l.LoanKey, l.Loan.LoanId, l.Loan.Product, l.Loan.Lender, l.Loan.Mandate.ToString(), l.Loan.Emi, l.Loan.DueDay,
                l.Loan.MaskedAccNumber, l.Delinquency.Dpd, l.Delinquency.Bucket.ToString(), l.Delinquency.Overdue, l.Delinquency.Reasons, l.AccountNote,
                [.. l.Upcoming.Select(Item)]))],
            [.. plan.RiskSignals.Select(s => new ApiRiskSignal(s.MaskedAccNumber, s.Signal.Kind.ToString(), s.Signal.Reasons))],
            plan.Summary is { } sum ? new ApiCollectionSummary(sum.AsOf, [.. sum.Loans.Select(Summary)], Summary(sum.Total)) : null,
            [.. plan.Flags.Select(Flag)]));
    }

    private static async Task<Results<Ok<ApiWhatIf>, ValidationProblem, ProblemHttpResult>> WhatIfAsync(
        int id, ApiWhatIfRequest request, CollectionsService collections, CustomerAccess access, Viewer viewer, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.LoanKey is null)
        {
            errors["loanKey"] = ["loanKey is required (a loan of this customer, as the plan lists it)"];
        }
        if (request.Day is not (>= 1 and <= 31))
        {
            errors["day"] = ["day must be a day of the month, 1 to 31"];
        }
        if (request.Channel is null)
        {
            errors["channel"] = ["channel is required: ENach, UpiAutoPay or UpiLink"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request has invalid values");
        }
        var target = $"POST /api/v1/customers/{id}/collections/what-if";
        if (!await ApiAccess.CanSeeOrRefuseAsync(access, id, target, ct))
        {
            return ApiProblems.CustomerNotFound(id);
        }
        var result = await collections.WhatIfAsync(CollectionsViewer.From(await viewer.UserAsync()), id, request.LoanKey!.Value, request.Day!.Value, request.Channel!.Value, ct);
        if (result is null)
        {
            return ApiProblems.NotFound($"Customer {id} has no loan {request.LoanKey} with a matching AA account.");
        }
        await access.RecordViewAsync(id, target, $"what-if: loan #{request.LoanKey}, day {request.Day}, {request.Channel}", ct);
        return TypedResults.Ok(new ApiWhatIf(request.LoanKey.Value, result.PresentmentDay, result.Date, result.Channel.ToString(), result.Probability,
            result.ExpectedAmount, result.MonthsCollected, result.DueDateMonthsCollected, result.Months, result.Reasons));
    }

    private static ApiCollection Item(QueueItem i) => new(i.CustomerId, i.CustomerName, i.LoanKey, i.LoanId, i.Product, i.Mandate.ToString(), i.InstalmentNumber,
        i.DueDate, i.Emi, i.Probability,
        i.Window is { } w ? new ApiWindow(w.From, w.To, w.Probability, w.BaseProbability, w.ExpectedBalance) : null,
        i.ExpectedBalance, i.Status.ToString(), i.Confidence?.ToString(), i.Dpd, i.Bucket.ToString(), i.RiskAmount,
        [.. i.Recommendations.Select(r => new ApiRecommendation(r.Action.ToString(), r.Channel.ToString(), r.Date, r.ExpectedEffect, r.Reasons))],
        i.Reasons, i.DelinquencyReasons, [.. i.Flags.Select(Flag)]);

    private static ApiQueueFlag Flag(QueueFlag f) => new(f.Kind.ToString(), f.Date, f.Reasons, f.WorkItemId, f.Note, f.By);

    private static ApiLoanCollectionSummary Summary(LoanCollectionSummary l) => new(l.LoanId, l.InstalmentsDue, l.Presentments, l.Bounces, l.BounceRate,
        l.OnTime, l.OnTimeRate, l.Due, l.Collected, l.Overdue, l.BankDebited, l.Disagreements, l.Reasons);
}
