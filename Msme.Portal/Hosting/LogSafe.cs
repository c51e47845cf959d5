using System.Text.RegularExpressions;
using Msme.Domain.Ingestion;
using Msme.Portal.Features.Ingestion;

namespace Msme.Portal.Hosting;

/// <summary>
/// What may reach a log line from customer-facing data: logs leave the database's protection (a collector, a support
/// ticket), so they carry ids, counts, codes and paths, never a value from the data. An import outcome is logged by its
/// session and counts (not the bundle's name, which an uploader chooses, nor an issue's value or account); free text
/// from outside (an AA's message, a refusal, an exception) has anything shaped like an email, VPA or AA handle, a PAN,
/// a phone or account number (masked or not) replaced. The no-PII-in-logs test holds every log line to this.
/// </summary>
public static partial class LogSafe
{
    public const string Redacted = "[redacted]";

    /// <summary>"imported session S: 120 transactions added (3 overlapping, 0 filtered out), 1 warning(s)" and the like.</summary>
    public static string Outcome(ImportOutcome outcome) => outcome.Status switch
    {
        ImportStatus.Imported => $"imported session {outcome.SessionId}: {outcome.TransactionsAdded} transactions added " +
            $"({outcome.TransactionsOverlapping} overlapping, {outcome.TransactionsFilteredOut} filtered out), {outcome.Warnings.Count()} warning(s)",
        ImportStatus.Unchanged => $"unchanged session {outcome.SessionId}",
        _ => $"rejected session {outcome.SessionId ?? "-"}: {outcome.Errors.Count()} error(s)" +
            (outcome.Errors.FirstOrDefault() is { } first ? $", the first: {Issue(first)}" : ""),
    };

    /// <summary>An ingestion issue by where and why, without its file name, account or value.</summary>
    public static string Issue(IngestionIssue issue) =>
        $"{issue.Severity.ToString().ToLowerInvariant()} at {Text(issue.Path)}: {Text(issue.Message)}";

    /// <summary>Free text with every email, VPA, handle, PAN and long number (phone, account, masked account) replaced.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        text = Handle().Replace(text, Redacted);
        text = Pan().Replace(text, Redacted);
        return Number().Replace(text, Redacted);
    }

    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+")]
    private static partial Regex Handle();

    [GeneratedRegex(@"\b[A-Za-z]{5}[0-9]{4}[A-Za-z]\b")]
    private static partial Regex Pan();

    /// <summary>Masked account numbers (XXXX1234, ****1234) and runs of six or more digits (phones, account numbers, Udyam parts).</summary>
    [GeneratedRegex(@"[Xx*]{2,}[\dXx*\-]*\d{2,}|\+?\d[\d\- ]{4,}\d")]
    private static partial Regex Number();
}
