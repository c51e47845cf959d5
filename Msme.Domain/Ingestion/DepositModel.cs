namespace Msme.Domain.Ingestion;

/// <summary>A transaction's direction. REVERSAL is seen in some feeds and counts in neither inflow nor outflow.</summary>
public enum TxnType { Credit, Debit, Reversal }

/// <summary>ReBIT schema generation the account document declares (its <c>version</c> attribute).</summary>
public enum SchemaGeneration { V1, V2 }

/// <summary>One holder from Profile/Holders. Every field is optional: feeds leave them out freely.</summary>
public sealed record Holder
{
    public string? Name { get; init; }
    public DateOnly? Dob { get; init; }
    public string? Mobile { get; init; }
    public string? Email { get; init; }
    public string? Pan { get; init; }
    public string? Address { get; init; }
    public string? Nominee { get; init; }
    /// <summary>v1 ckycCompliance (true/false) or v2 ckycRegistered (YES/NO/NO_DATA_AVAILABLE), as received.</summary>
    public string? Ckyc { get; init; }
    public string? Landline { get; init; }
}

/// <summary>A pending transaction listed in the summary.</summary>
public sealed record PendingTxn(string? TransactionType, decimal Amount);

/// <summary>The account summary (v1 and v2 field names mapped onto one shape).</summary>
public sealed record AccountSummary
{
    public decimal? CurrentBalance { get; init; }
    public string? Currency { get; init; }
    public DateTimeOffset? BalanceDateTime { get; init; }
    public string? Branch { get; init; }
    public DateOnly? OpeningDate { get; init; }
    public string? Status { get; init; }
    public string? MicrCode { get; init; }
    public string? Ifsc { get; init; }
    /// <summary>v1 <c>type</c> or v2 <c>accountSubType</c>: SAVINGS or CURRENT.</summary>
    public string? AccountSubType { get; init; }
    /// <summary>v2 <c>accountType</c>: REGULAR, NRE, NRO, RFC. Null in v1.</summary>
    public string? AccountType { get; init; }
    /// <summary>OD/CC (v1) or OVERDRAFT/CASH_CREDIT/NO_FACILITY_GRANTED (v2), as received.</summary>
    public string? Facility { get; init; }
    public decimal? DrawingLimit { get; init; }
    public decimal? CurrentOdLimit { get; init; }
    public IReadOnlyList<PendingTxn> Pending { get; init; } = [];
    /// <summary>v1 <c>exchgeRate</c> (sic): only meaningful for foreign-currency accounts.</summary>
    public decimal? ExchangeRate { get; init; }
}

/// <summary>One transaction exactly as the statement gave it, with its IST calendar date.</summary>
public sealed record Transaction
{
    public required string TxnId { get; init; }
    public required TxnType Type { get; init; }
    /// <summary>Mode as received (CASH, ATM, CARD, UPI, FT, OTHERS, NEFT, ...); null when absent.</summary>
    public string? Mode { get; init; }
    /// <summary>Rupees, rounded to 2 places half away from zero.</summary>
    public required decimal Amount { get; init; }
    /// <summary>currentBalance (v1) or transactionalBalance (v2).</summary>
    public required decimal Balance { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The timestamp's calendar date in India Standard Time.</summary>
    public DateOnly Date => IndianTime.DateOf(Timestamp);
    public DateOnly? ValueDate { get; init; }
    public string? Narration { get; init; }
    public string? Reference { get; init; }
    /// <summary>0-based position in the document: the tie-breaker after the timestamp.</summary>
    public required int Position { get; init; }
}

/// <summary>One DEPOSIT account document: what the FIP delivered for one linked account.</summary>
public sealed record DepositAccount
{
    public string? LinkedAccRef { get; init; }
    public required string MaskedAccNumber { get; init; }
    public string? Version { get; init; }
    public SchemaGeneration Generation { get; init; }
    /// <summary>FIP id when the wrapper named it (FI[].fipID); null for a bare document.</summary>
    public string? FipId { get; init; }
    /// <summary>SINGLE or JOINT.</summary>
    public string? HoldingType { get; init; }
    public IReadOnlyList<Holder> Holders { get; init; } = [];
    public AccountSummary? Summary { get; init; }
    /// <summary>Statement period as declared (Transactions startDate/endDate), IST dates; null when missing or empty.</summary>
    public DateOnly? StartDate { get; init; }
    public DateOnly? EndDate { get; init; }
    /// <summary>The account's <c>type</c> attribute as received (ReBIT says <c>deposit</c>).</summary>
    public string? DocumentType { get; init; }
    public IReadOnlyList<Transaction> Transactions { get; init; } = [];
}
