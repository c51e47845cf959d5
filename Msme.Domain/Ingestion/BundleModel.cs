using Msme.Domain.Consent;

namespace Msme.Domain.Ingestion;

/// <summary>The lender's customer (the MSME) a bundle is about.</summary>
public sealed record CustomerInfo
{
    /// <summary>The AA handle (<c>user@aa</c>); must equal the consent's Customer.id.</summary>
    public required string AaHandle { get; init; }
    public string? LegalName { get; init; }
    public string? Pan { get; init; }
    public string? Udyam { get; init; }
    /// <summary>SERVICE, MANUFACTURING or TRADING.</summary>
    public string? BusinessCategory { get; init; }
    /// <summary>MICRO, SMALL or MEDIUM.</summary>
    public string? Scale { get; init; }
}

/// <summary>The FI fetch session that delivered the documents (FI/request, FI/Notification, FI/fetch).</summary>
public sealed record FetchSessionInfo
{
    public required string SessionId { get; init; }
    public string? FipId { get; init; }
    public required DateTimeOffset FetchedAt { get; init; }
    public DateTimeOffset? RangeFrom { get; init; }
    public DateTimeOffset? RangeTo { get; init; }
    /// <summary>ACTIVE, COMPLETED, EXPIRED or FAILED.</summary>
    public string Status { get; init; } = "COMPLETED";
}

public enum IssueSeverity { Warning, Error }

/// <summary>
/// Something wrong or odd in the input, named precisely: the file, the account (masked number), the JSON path or
/// XML element, the offending value and why.
/// </summary>
public sealed record IngestionIssue(IssueSeverity Severity, string File, string? Account, string Path, string? Value, string Message)
{
    /// <summary>1-based line in the file, when the reader knows it (XML always, JSON for syntax errors).</summary>
    public int? Line { get; init; }

    public override string ToString()
    {
        var at = Line is null ? Path : $"{Path} (line {Line})";
        var where = Account is null ? $"{File} {at}" : $"{File} account {Account} {at}";
        return Value is null ? $"{Severity.ToString().ToLowerInvariant()}: {where}: {Message}"
                             : $"{Severity.ToString().ToLowerInvariant()}: {where}: {Message} (value '{Value}')";
    }
}
