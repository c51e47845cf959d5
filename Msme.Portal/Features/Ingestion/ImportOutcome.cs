using Msme.Domain.Ingestion;

namespace Msme.Portal.Features.Ingestion;

public enum ImportStatus { Imported, Unchanged, Rejected }

/// <summary>What one bundle import did: the line the CLI prints and the row the import page shows.</summary>
public sealed record ImportOutcome(
    string BundleName,
    ImportStatus Status,
    string? SessionId,
    string? CustomerHandle,
    int TransactionsAdded,
    int TransactionsOverlapping,
    int TransactionsFilteredOut,
    IReadOnlyList<IngestionIssue> Issues,
    TimeSpan Elapsed)
{
    public IEnumerable<IngestionIssue> Errors => Issues.Where(i => i.Severity == IssueSeverity.Error);
    public IEnumerable<IngestionIssue> Warnings => Issues.Where(i => i.Severity == IssueSeverity.Warning);

    /// <summary>One line: "imported acme: 512 transactions added (3 overlapping, 0 filtered out), 2 warnings".</summary>
    public string Summary => Status switch
    {
        ImportStatus.Imported => $"imported {BundleName}: {TransactionsAdded} transactions added ({TransactionsOverlapping} overlapping, {TransactionsFilteredOut} filtered out by the consent's DataFilter){WarningSuffix}",
        ImportStatus.Unchanged => $"unchanged {BundleName}: session {SessionId} was already imported with the same content",
        _ => $"rejected {BundleName}: {Errors.FirstOrDefault()?.ToString() ?? "unknown error"}{MoreErrorsSuffix}",
    };

    private string WarningSuffix => Warnings.Count() is var n and > 0 ? $", {n} warning{(n == 1 ? "" : "s")}" : "";
    private string MoreErrorsSuffix => Errors.Count() is var n and > 1 ? $" (and {n - 1} more error{(n == 2 ? "" : "s")})" : "";

    public static ImportOutcome Rejected(string bundleName, IReadOnlyList<IngestionIssue> issues, TimeSpan elapsed, string? sessionId = null, string? customer = null) =>
        new(bundleName, ImportStatus.Rejected, sessionId, customer, 0, 0, 0, issues, elapsed);
}
