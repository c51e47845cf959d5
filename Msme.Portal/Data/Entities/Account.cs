namespace Msme.Portal.Data.Entities;

/// <summary>A deposit account at a FIP. Told apart by FIP, linkRefNumber and masked number together.</summary>
public class Account
{
    public int Id { get; set; }
    public int CustomerId { get; set; }
    public Customer? Customer { get; set; }
    /// <summary>Empty string when the FIP is unknown, so the unique key stays usable.</summary>
    public string FipId { get; set; } = "";
    public string LinkedAccRef { get; set; } = "";
    public required string MaskedAccNumber { get; set; }
    public string? SchemaVersion { get; set; }
    public string? AccountType { get; set; }
    public string? AccountSubType { get; set; }
    public string? Ifsc { get; set; }
    public string? Branch { get; set; }
    public string? Currency { get; set; }
    public string? Status { get; set; }
    public string? Facility { get; set; }
    public DateOnly? OpeningDate { get; set; }
    public long? CurrentBalancePaise { get; set; }
    public long? CurrentOdLimitPaise { get; set; }
    public long? DrawingLimitPaise { get; set; }
    public DateTimeOffset? BalanceDateTime { get; set; }
    public string? HoldingType { get; set; }
    /// <summary>Holders (name, PAN, mobile, email...) as JSON: personal data, masked per role on every screen.</summary>
    public string HoldersJson { get; set; } = "[]";
    /// <summary>Statement period the latest document declared (IST dates).</summary>
    public DateOnly? StatementStart { get; set; }
    public DateOnly? StatementEnd { get; set; }
    public int LastFetchSessionId { get; set; }
}

/// <summary>One transaction. Money in integer paise; time as an IST instant plus its IST calendar date.</summary>
public class AccountTransaction
{
    public long Id { get; set; }
    public int AccountId { get; set; }
    public int FetchSessionId { get; set; }

    /// <summary>The FIP's id of the transaction; setting it sets <see cref="TxnKey"/>.</summary>
    public required string TxnId
    {
        get;
        set
        {
            field = value;
            TxnKey = TransactionKey.Of(value);
        }
    }

    /// <summary>The merge key within the account: <see cref="TransactionKey.Of"/> of <see cref="TxnId"/>.</summary>
    public long TxnKey { get; set; }
    /// <summary>CREDIT, DEBIT or REVERSAL.</summary>
    public required string Type { get; set; }
    public string? Mode { get; set; }
    public long AmountPaise { get; set; }
    public long BalancePaise { get; set; }
    /// <summary>The instant as Unix milliseconds: compact, ordered, and cheap to bulk-insert.</summary>
    public long TimestampUnixMs { get; set; }
    /// <summary>The instant shown in India Standard Time.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimestampUnixMs).ToOffset(Msme.Domain.IndianTime.Offset);
    public DateOnly Date { get; set; }
    public DateOnly? ValueDate { get; set; }
    public string? Narration { get; set; }
    public string? Reference { get; set; }
    /// <summary>Position in the delivering document: the tie-breaker after the timestamp.</summary>
    public int Position { get; set; }
}

/// <summary>One import attempt of a bundle and its outcome, whoever started it (CLI, upload, demo loader, API).</summary>
public class ImportRun
{
    public int Id { get; set; }
    public required string BundleName { get; set; }
    /// <summary>imported, unchanged or rejected.</summary>
    public required string Outcome { get; set; }
    public string? SessionId { get; set; }
    public string? CustomerHandle { get; set; }
    public int TransactionsAdded { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset At { get; set; }
    public string? By { get; set; }
    public long ElapsedMs { get; set; }
}
