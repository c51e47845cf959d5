using Microsoft.AspNetCore.Http.HttpResults;
using Msme.Domain.Collections.Actions;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Actions;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Customers;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Api;

/// <summary>An outbox message as the API returns it (recipient masked unless the caller's role sees mobiles).</summary>
public sealed record ApiMessage(long Id, DateTimeOffset CreatedAt, string CreatedBy, string Kind, string LoanId, string Recipient, string Text, string? UpiUri,
    decimal Amount, string Status, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt, string? Error);

/// <summary>Queue a message: <c>kind</c> Reminder, PreDebitNotification, BrokenPromiseFollowUp or UpiPaymentLink, for one of the customer's loans.</summary>
public sealed record ApiMessageRequest(int? LoanKey, MessageKind? Kind);

/// <summary>A delivery receipt from the gateway: Delivered or Failed, with the gateway's reason for a failure.</summary>
public sealed record ApiDeliveryReceipt(OutboxStatus? Status, string? Reason);

public sealed record ApiPresentmentLine(string LoanId, string MandateRef, string Mandate, string CustomerName, int Instalment, DateOnly DueDate, DateOnly Date,
    decimal Amount, int Sequence, string Reference, double? Probability, string Reason);

public sealed record ApiHeldInstalment(string LoanId, string CustomerName, int Instalment, DateOnly DueDate, decimal Amount, string Reason);

public sealed record ApiProjection(int Year, int Month, int PresentedSoFar, int ReturnedSoFar, int ToPresent, double ExpectedReturns, double Rate, bool CrossesLine);

/// <summary>A presentment schedule preview: the lines, what is held back and why, and the month's projection against NPCI's 50 % line.</summary>
public sealed record ApiPresentmentPreview(string UtilityCode, string SponsorBank, DateOnly AsOf, DateOnly From, DateOnly To, decimal Total, double ExpectedReturnRate,
    bool CrossesLine, IReadOnlyList<ApiProjection> Projections, IReadOnlyList<ApiPresentmentLine> Lines, IReadOnlyList<ApiHeldInstalment> Held);

public sealed record ApiPresentmentRequest(string? UtilityCode, DateOnly? From, DateOnly? To);

public sealed record ApiApproval(bool AcknowledgeLine);

public sealed record ApiPresentmentBatch(int Id, string UtilityCode, string SponsorBank, DateOnly From, DateOnly To, int Lines, int Held, decimal Total,
    string ExpectedReturnRate, bool CrossesLine, string Projection, string FileName, string FileSha256, string Status, string PreparedBy, DateTimeOffset PreparedAt,
    string? ApprovedBy, DateTimeOffset? ApprovedAt, bool LineAcknowledged);

public sealed record ApiReturnRateMonth(string UtilityCode, int Year, int Month, int Presentments, int Returns, double Rate, bool AboveLine);

public sealed record ApiReturnRates(DateOnly AsOf, double Line, IReadOnlyList<ApiReturnRateMonth> Months, IReadOnlyList<ReturnRateOutlook> Outlook);

/// <summary>Collection actions: the customer-message outbox, presentment batches (maker-checker) and the return-rate monitor.</summary>
public static class ActionsApi
{
    public const string MessagesRoute = "GET /api/v1/customers/{id:int}/outbox";
    public const string QueueMessageRoute = "POST /api/v1/customers/{id:int}/outbox";
    public const string ReceiptRoute = "POST /api/v1/outbox/{id:long}/receipt";
    public const string PreviewRoute = "POST /api/v1/collections/presentments/preview";
    public const string BatchesRoute = "GET /api/v1/collections/presentments";
    public const string PrepareRoute = "POST /api/v1/collections/presentments";
    public const string ApproveRoute = "POST /api/v1/collections/presentments/{id:int}/approve";
    public const string FileRoute = "GET /api/v1/collections/presentments/{id:int}/file";
    public const string ReturnRatesRoute = "GET /api/v1/collections/return-rates";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/customers/{id:int}/outbox", MessagesAsync).AllowRoles(MessagesRoute).WithTags("Collection actions").WithName("GetOutbox")
            .WithSummary("A customer's outbox messages, newest first, with their delivery status");
        api.MapPost("/customers/{id:int}/outbox", QueueAsync).AllowRoles(QueueMessageRoute).WithTags("Collection actions").WithName("QueueMessage")
            .WithSummary("Render a message with the customer's figures and queue it")
            .WithDescription("Body: `{ \"loanKey\": 12, \"kind\": \"UpiPaymentLink\" }` (Reminder, PreDebitNotification, BrokenPromiseFollowUp, UpiPaymentLink). " +
                "An Agent client may message its portfolio's customers only (404 otherwise). 422 with the reason when a figure is missing. Audited.");
        api.MapPost("/outbox/{id:long}/receipt", ReceiptAsync).AllowRoles(ReceiptRoute).WithTags("Collection actions").WithName("PostDeliveryReceipt")
            .WithSummary("A gateway's delivery receipt: a sent message becomes Delivered or Failed");
        api.MapPost("/collections/presentments/preview", PreviewAsync).AllowRoles(PreviewRoute).WithTags("Collection actions").WithName("PreviewPresentments")
            .WithSummary("The presentment schedule for a utility code and period, with the NPCI 50 % line projection");
        api.MapGet("/collections/presentments", BatchesAsync).AllowRoles(BatchesRoute).WithTags("Collection actions").WithName("GetPresentmentBatches")
            .WithSummary("Presentment batches, newest first");
        api.MapPost("/collections/presentments", PrepareAsync).AllowRoles(PrepareRoute).WithTags("Collection actions").WithName("PreparePresentmentBatch")
            .WithSummary("Maker: freeze the schedule into a batch waiting for another risk manager's or admin's approval");
        api.MapPost("/collections/presentments/{id:int}/approve", ApproveAsync).AllowRoles(ApproveRoute).WithTags("Collection actions").WithName("ApprovePresentmentBatch")
            .WithSummary("Checker: approve a batch (not your own) and produce its bulk-debit file")
            .WithDescription("Body: `{ \"acknowledgeLine\": true }` is required when the batch would take a month over NPCI's 50 % return line. 409 with the reason when refused.");
        api.MapGet("/collections/presentments/{id:int}/file", FileAsync).AllowRoles(FileRoute).WithTags("Collection actions").WithName("GetPresentmentFile")
            .WithSummary("An approved batch's bulk-debit file (MSME-BULKDEBIT-1, text/csv)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/collections/return-rates", ReturnRatesAsync).AllowRoles(ReturnRatesRoute).WithTags("Collection actions").WithName("GetReturnRates")
            .WithSummary("Return rate per utility code and month against NPCI's 50 % line, and the next 30 days' expected rate: due dates vs recommended windows");
    }

    private static async Task<Results<Ok<IReadOnlyList<ApiMessage>>, ProblemHttpResult>> MessagesAsync(int id, OutboxService outbox, CustomerAccess access, Viewer viewer, CancellationToken ct)
    {
        var target = $"GET /api/v1/customers/{id}/outbox";
        if (!await ApiAccess.CanSeeOrRefuseAsync(access, id, target, ct)) return ApiProblems.CustomerNotFound(id);
        var user = await viewer.UserAsync();
        var messages = await outbox.MessagesAsync(user, id, ct) ?? [];
        await access.RecordViewAsync(id, target, $"sections: outbox ({messages.Count} messages); masked: {ApiMasking.Describe(await viewer.PolicyAsync())}", ct);
        return TypedResults.Ok<IReadOnlyList<ApiMessage>>([.. messages.Select(Message)]);
    }

    private static async Task<Results<Created<ApiMessage>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        int id, ApiMessageRequest request, OutboxService outbox, CustomerAccess access, Viewer viewer, CancellationToken ct)
    {
        if (request.LoanKey is null) return ApiProblems.Invalid("loanKey", "loanKey is required (a loan of this customer, as the collection plan lists it)");
        if (request.Kind is null) return ApiProblems.Invalid("kind", "kind is required: Reminder, PreDebitNotification, BrokenPromiseFollowUp or UpiPaymentLink");
        if (!await ApiAccess.CanSeeOrRefuseAsync(access, id, $"POST /api/v1/customers/{id}/outbox", ct)) return ApiProblems.CustomerNotFound(id);
        var user = await viewer.UserAsync();
        var (row, error) = await outbox.QueueAsync(user, id, request.LoanKey.Value, request.Kind.Value, ct);
        if (row is null) return TypedResults.Problem(statusCode: 422, title: "The message cannot be rendered", detail: error);
        var view = OutboxService.View(row, await viewer.PolicyAsync());
        return TypedResults.Created($"/api/v1/customers/{id}/outbox", Message(view));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ReceiptAsync(long id, ApiDeliveryReceipt receipt, OutboxDispatcher dispatcher, Viewer viewer, CancellationToken ct)
    {
        if (receipt.Status is not (OutboxStatus.Delivered or OutboxStatus.Failed)) return ApiProblems.Invalid("status", "status is Delivered or Failed");
        var (ok, error) = await dispatcher.ReceiptAsync(id, receipt.Status.Value, receipt.Reason, await viewer.UserAsync(), ct);
        return ok ? TypedResults.NoContent() : TypedResults.Problem(statusCode: 409, title: "The receipt does not apply", detail: error);
    }

    private static async Task<Results<Ok<ApiPresentmentPreview>, ValidationProblem>> PreviewAsync(ApiPresentmentRequest request, PresentmentService presentments, Viewer viewer, CancellationToken ct)
    {
        if (Check(request) is { } problem) return problem;
        var (preview, error) = await presentments.PreviewAsync(await viewer.UserAsync(), request.UtilityCode!, request.From!.Value, request.To!.Value, ct);
        if (preview is null) return ApiProblems.Invalid("period", error!);
        var s = preview.Schedule;
        return TypedResults.Ok(new ApiPresentmentPreview(preview.UtilityCode, preview.SponsorBank, preview.AsOf, s.From, s.To, s.Total, preview.ExpectedReturnRate, preview.CrossesLine,
            [.. preview.Projections.Select(p => new ApiProjection(p.Year, p.Month, p.Projection.PresentedSoFar, p.Projection.ReturnedSoFar, p.Projection.ToPresent,
                p.Projection.ExpectedReturns, p.Projection.Rate, p.Projection.CrossesLine))],
            [.. s.Lines.Select(l => new ApiPresentmentLine(l.LoanId, l.MandateRef, l.Mandate.ToString(), l.CustomerName, l.Instalment, l.DueDate, l.Date, l.Amount, l.Sequence,
                l.Reference, l.Probability, l.Reason))],
            [.. s.Held.Select(h => new ApiHeldInstalment(h.LoanId, h.CustomerName, h.Instalment, h.DueDate, h.Amount, h.Reason))]));
    }

    private static async Task<Ok<IReadOnlyList<ApiPresentmentBatch>>> BatchesAsync(PresentmentService presentments, Viewer viewer, AuditLog audit, CancellationToken ct)
    {
        var batches = await presentments.BatchesAsync(ct: ct);
        await audit.AppendAsync(AuditEvent.For(await viewer.UserAsync(), "view", BatchesRoute, null, $"presentment batches: {batches.Count}"), ct);
        return TypedResults.Ok<IReadOnlyList<ApiPresentmentBatch>>([.. batches.Select(Batch)]);
    }

    private static async Task<Results<Created<ApiPresentmentBatch>, ValidationProblem, ProblemHttpResult>> PrepareAsync(
        ApiPresentmentRequest request, PresentmentService presentments, Viewer viewer, CancellationToken ct)
    {
        if (Check(request) is { } problem) return problem;
        var result = await presentments.PrepareAsync(await viewer.UserAsync(), request.UtilityCode!, request.From!.Value, request.To!.Value, ct);
        return result.Batch is { } b
            ? TypedResults.Created($"/api/v1/collections/presentments/{b.Id}", Batch(b))
            : TypedResults.Problem(statusCode: 422, title: "No batch prepared", detail: result.Error);
    }

    private static async Task<Results<Ok<ApiPresentmentBatch>, ProblemHttpResult>> ApproveAsync(int id, ApiApproval? approval, PresentmentService presentments, Viewer viewer, CancellationToken ct)
    {
        var result = await presentments.ApproveAsync(await viewer.UserAsync(), id, approval?.AcknowledgeLine ?? false, ct);
        return result.Batch is { } b ? TypedResults.Ok(Batch(b)) : TypedResults.Problem(statusCode: 409, title: "Not approved", detail: result.Error);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> FileAsync(int id, PresentmentService presentments, Viewer viewer, CancellationToken ct)
    {
        var batch = await presentments.DownloadAsync(await viewer.UserAsync(), id, ct);
        return batch is null
            ? ApiProblems.NotFound($"No approved presentment batch {id}.")
            : TypedResults.File(System.Text.Encoding.UTF8.GetBytes(batch.FileContent), "text/csv", batch.FileName);
    }

    private static async Task<Ok<ApiReturnRates>> ReturnRatesAsync(ReturnRateService rates, Viewer viewer, CancellationToken ct)
    {
        var report = await rates.ReportAsync(await viewer.UserAsync(), ct);
        return TypedResults.Ok(new ApiReturnRates(report.AsOf, ReturnRates.NpciLine,
            [.. report.Months.Select(m => new ApiReturnRateMonth(m.UtilityCode, m.Year, m.Month, m.Presentments, m.Returns, m.Rate, m.AboveLine))], report.Outlook));
    }

    private static ValidationProblem? Check(ApiPresentmentRequest r) =>
        string.IsNullOrWhiteSpace(r.UtilityCode) ? ApiProblems.Invalid("utilityCode", "utilityCode is required (one of Msme:Collections' codes)")
        : r.From is null ? ApiProblems.Invalid("from", "from is required (yyyy-MM-dd)")
        : r.To is null ? ApiProblems.Invalid("to", "to is required (yyyy-MM-dd)")
        : null;

    private static ApiMessage Message(MessageView m) => new(m.Id, m.At, m.CreatedBy, m.Kind.ToString(), m.LoanId, m.Recipient, m.Body, m.UpiUri, m.Amount,
        m.Status.ToString(), m.SentAt, m.DeliveredAt, m.Error);

    private static ApiPresentmentBatch Batch(PresentmentBatch b) => new(b.Id, b.UtilityCode, b.SponsorBank, b.PeriodFrom, b.PeriodTo, b.LineCount, b.HeldCount,
        b.TotalPaise / 100m, b.ExpectedReturnRate, b.CrossesLine, b.Projection, b.FileName, b.FileSha256, b.Status.ToString(), b.PreparedByName, b.PreparedAt,
        b.ApprovedByName, b.ApprovedAt, b.LineAcknowledged);
}
