namespace Msme.Domain.Ingestion.Reading;

/// <summary>
/// One account being read: its identity, profile, summary and period as they arrive, and the bookkeeping that lets its
/// transactions stream out (the key, the txnIds seen, a buffer only while the masked number is still unknown).
/// </summary>
internal sealed class AccountBuilder(int serial, string path, int line, WrapperHints hints, Dictionary<ulong, ulong> seen)
{
    public int Serial => serial;
    public string Path => path;
    public int Line => line;
    public WrapperHints Hints => hints;

    public string? Masked { get; set; }
    public string? LinkRef { get; set; }
    public string? Version { get; set; }
    public string? DocumentType { get; set; }
    public string? HoldingType { get; set; }
    public List<Holder> Holders { get; } = [];
    public AccountSummary? Summary { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }

    /// <summary>Index of the next transaction object, valid or not, so positions match the document's own numbering.</summary>
    public int NextPosition { get; set; }

    public AccountKey? Key { get; set; }

    /// <summary>Transactions read before the masked number was known (JSON key order puts it anywhere).</summary>
    public List<Transaction> Buffered { get; } = [];

    /// <summary>
    /// A fingerprint of what each txnId looked like, to tell an exact resend from a conflict. Grows with the account's
    /// transactions, the one per-account cost of streaming, so it holds two 64-bit hashes (about 24 bytes) per
    /// transaction rather than the strings (about 110): a 200 MB statement needs ~20 MB here. Two different txnIds
    /// share a 64-bit hash with odds near 1 in 10^7 for a million transactions; the store's unique (account, txnId)
    /// index stays the exact guard on the import path.
    /// </summary>
    /// <remarks>Empty when handed in; the reader reuses it for the next account once this one is complete.</remarks>
    public Dictionary<ulong, ulong> Seen => seen;

    /// <summary>How the account is named in issues: its masked number as soon as anything states it.</summary>
    public string? Display => Key?.MaskedAccNumber ?? Masked ?? hints.Masked;

    public SchemaGeneration Generation =>
        Version is { } v && v.TrimStart().StartsWith('2') ? SchemaGeneration.V2 : SchemaGeneration.V1;
}

/// <summary>Holder fields as they arrive.</summary>
internal sealed class HolderBuilder
{
    public string? Name, Mobile, Landline, Email, Pan, Address, Nominee, Ckyc;
    public DateOnly? Dob;

    public Holder Build() => new()
    {
        Name = Name, Dob = Dob, Mobile = Mobile, Landline = Landline, Email = Email, Pan = Pan, Address = Address,
        Nominee = Nominee, Ckyc = Ckyc,
    };
}

/// <summary>Summary fields as they arrive, v1 and v2 names landing on the same members.</summary>
internal sealed class SummaryBuilder
{
    public decimal? CurrentBalance, DrawingLimit, CurrentOdLimit, ExchangeRate;
    public string? Currency, Branch, Status, MicrCode, Ifsc, AccountSubType, AccountType, Facility;
    public DateTimeOffset? BalanceDateTime;
    public DateOnly? OpeningDate;
    public List<PendingTxn> Pending { get; } = [];

    public AccountSummary Build() => new()
    {
        CurrentBalance = CurrentBalance, Currency = Currency, BalanceDateTime = BalanceDateTime, Branch = Branch,
        OpeningDate = OpeningDate, Status = Status, MicrCode = MicrCode, Ifsc = Ifsc, AccountSubType = AccountSubType,
        AccountType = AccountType, Facility = Facility, DrawingLimit = DrawingLimit, CurrentOdLimit = CurrentOdLimit,
        Pending = Pending.ToList(), ExchangeRate = ExchangeRate,
    };
}

/// <summary>A pending transaction (v1 Pending, v2 pendingTxns.pendingTxn) as it arrives.</summary>
internal sealed class PendingBuilder
{
    public string? TransactionType;
    public decimal? Amount;
}
