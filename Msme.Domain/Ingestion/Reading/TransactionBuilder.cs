namespace Msme.Domain.Ingestion.Reading;

/// <summary>Collects one transaction's fields and judges them together, so every problem of a transaction is reported at once.</summary>
/// <remarks>One per reader, reset for each transaction: its ten slots are reused rather than a dictionary made per transaction.</remarks>
internal sealed class TransactionBuilder
{
    private readonly RawValue[] _fields = new RawValue[10];
    private int _present;
    private DocPath path;
    private int line;
    private int position;
    // Problems are rare: these are made only when there is one.
    private List<(string Path, string? Value, string Message)>? _structural;
    private HashSet<string>? _objectValued;

    public DocPath Path => path;
    public int Line => line;

    /// <summary>Starts the next transaction object.</summary>
    public TransactionBuilder Reset(DocPath at, int atLine, int atPosition)
    {
        Array.Clear(_fields);
        _present = 0;
        _structural = null;
        _objectValued = null;
        (path, line, position) = (at, atLine, atPosition);
        return this;
    }

    private static int Slot(string canonical) => canonical switch
    {
        "txnid" => 0,
        "type" => 1,
        "mode" => 2,
        "amount" => 3,
        "currentbalance" => 4,
        "transactionalbalance" => 5,
        "transactiontimestamp" => 6,
        "valuedate" => 7,
        "narration" => 8,
        "reference" => 9,
        _ => throw new ArgumentOutOfRangeException(nameof(canonical), canonical, "not a transaction field"),
    };

    private bool Has(string canonical) => (_present & (1 << Slot(canonical))) != 0;

    private bool TryGet(string canonical, out RawValue value)
    {
        var slot = Slot(canonical);
        value = _fields[slot];
        return (_present & (1 << slot)) != 0;
    }

    /// <summary>Stores a field; a second, different value for the same field is an error rather than a silent overwrite.</summary>
    public void Set(string canonical, RawValue value)
    {
        if (TryGet(canonical, out var earlier) && earlier.Text != value.Text)
        {
            (_structural ??= []).Add((value.Path, value.Text, $"{value.Name} is given twice with different values (first '{earlier.Text}')"));
            return;
        }

        var slot = Slot(canonical);
        _fields[slot] = value;
        _present |= 1 << slot;
    }

    /// <summary>An object or list where a value belongs (amount: {...}).</summary>
    public void NotAValue(string canonical, string name, string fieldPath)
    {
        (_structural ??= []).Add((fieldPath, null, $"{name} must be a value, not an object"));
        (_objectValued ??= new HashSet<string>(StringComparer.Ordinal)).Add(canonical);
    }

    public Transaction? Build(IssueCollector issues, string? account)
    {
        var ok = true;
        foreach (var (p, v, m) in _structural ?? (IEnumerable<(string, string?, string)>)[])
        {
            issues.Error(account, p, v, m, line);
            ok = false;
        }

        var txnId = Text("txnid", "txnId", issues, account, ref ok);
        var type = ParseType(issues, account, ref ok);
        var amount = Money("amount", "amount", issues, account, ref ok, mustBePositive: true);
        var balance = Balance(issues, account, ref ok);
        var timestamp = Timestamp(issues, account, ref ok);
        DateOnly? valueDate = null;
        if (TryGet("valuedate", out var vd) && !vd.IsBlank)
        {
            if (ValueParsers.TryDate(vd.Text!, out var d, out var reason))
            {
                valueDate = d;
            }
            else
            {
                issues.Error(account, vd.Path, vd.Text, $"{vd.Name} {reason}", vd.Line);
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        return new Transaction
        {
            TxnId = txnId!,
            Type = type!.Value,
            Mode = Optional("mode"),
            Amount = amount!.Value,
            Balance = balance!.Value,
            Timestamp = timestamp!.Value,
            ValueDate = valueDate,
            Narration = Optional("narration"),
            Reference = Optional("reference"),
            Position = position,
        };
    }

    /// <summary>Where the txnId was given, for duplicate reports.</summary>
    public DocPath TxnIdPath => TryGet("txnid", out var v) ? v.Path : path;

    private string? Optional(string canonical) =>
        TryGet(canonical, out var v) && !v.IsBlank ? v.Text!.Trim() : null;

    private bool Present(string canonical, string display, IssueCollector issues, string? account, ref bool ok, out RawValue value)
    {
        if (_objectValued?.Contains(canonical) == true)
        {
            value = default;
            ok = false;
            return false;
        }

        if (!TryGet(canonical, out value) || value.IsBlank)
        {
            var where = TryGet(canonical, out var blank) ? blank.Path : path;
            issues.Error(account, where, value.Kind == ScalarKind.Null && Has(canonical) ? "null" : null,
                $"{display} is missing", line);
            ok = false;
            return false;
        }

        return true;
    }

    private string? Text(string canonical, string display, IssueCollector issues, string? account, ref bool ok)
    {
        if (!Present(canonical, display, issues, account, ref ok, out var v))
        {
            return null;
        }

        if (v.IsBoolean)
        {
            issues.Error(account, v.Path, v.Text, $"{v.Name} must be text, not a boolean", v.Line);
            ok = false;
            return null;
        }

        return v.Text!.Trim();
    }

    private TxnType? ParseType(IssueCollector issues, string? account, ref bool ok)
    {
        if (!Present("type", "type", issues, account, ref ok, out var v))
        {
            return null;
        }

        // The spellings every feed sends, without making an upper-case copy of each.
        switch (v.Text)
        {
            case "CREDIT": return TxnType.Credit;
            case "DEBIT": return TxnType.Debit;
            case "REVERSAL": return TxnType.Reversal;
        }

        switch (v.Text!.Trim().ToUpperInvariant())
        {
            case "CREDIT": return TxnType.Credit;
            case "DEBIT": return TxnType.Debit;
            case "REVERSAL": return TxnType.Reversal;
            default:
                issues.Error(account, v.Path, v.Text, $"{v.Name} must be CREDIT, DEBIT or REVERSAL", v.Line);
                ok = false;
                return null;
        }
    }

    private decimal? Money(string canonical, string display, IssueCollector issues, string? account, ref bool ok, bool mustBePositive)
    {
        if (!Present(canonical, display, issues, account, ref ok, out var v))
        {
            return null;
        }

        return CheckMoney(v, issues, account, ref ok, mustBePositive);
    }

    private decimal? CheckMoney(RawValue v, IssueCollector issues, string? account, ref bool ok, bool mustBePositive)
    {
        if (v.IsBoolean)
        {
            issues.Error(account, v.Path, v.Text, $"{v.Name} must be a number, not a boolean", v.Line);
            ok = false;
            return null;
        }

        decimal amount;
        if (v.HasNumber)
        {
            amount = ValueParsers.ToPaise(v.Number);
        }
        else if (!ValueParsers.TryMoney(v.Text!, out amount, out var reason))
        {
            issues.Error(account, v.Path, v.Text, $"{v.Name} {reason}", v.Line);
            ok = false;
            return null;
        }

        if (mustBePositive && amount < 0)
        {
            issues.Error(account, v.Path, v.Text, $"{v.Name} is negative; the direction belongs in type", v.Line);
            ok = false;
            return null;
        }

        return amount;
    }

    private decimal? Balance(IssueCollector issues, string? account, ref bool ok)
    {
        var hasV1 = TryGet("currentbalance", out var v1) && !v1.IsBlank;
        var hasV2 = TryGet("transactionalbalance", out var v2) && !v2.IsBlank;
        if (_objectValued is not null && (_objectValued.Contains("currentbalance") || _objectValued.Contains("transactionalbalance")))
        {
            ok = false;
            return null;
        }

        if (!hasV1 && !hasV2)
        {
            issues.Error(account, path, null, "balance is missing (neither currentBalance nor transactionalBalance)", line);
            ok = false;
            return null;
        }

        // A balance may be negative: overdraft and cash-credit accounts run below zero.
        var first = CheckMoney(hasV2 ? v2 : v1, issues, account, ref ok, mustBePositive: false);
        if (hasV1 && hasV2 && first is not null)
        {
            var other = CheckMoney(v1, issues, account, ref ok, mustBePositive: false);
            if (other is not null && other != first)
            {
                issues.Error(account, v1.Path, v1.Text, $"currentBalance and transactionalBalance disagree ({first})", v1.Line);
                ok = false;
            }
        }

        return first;
    }

    private DateTimeOffset? Timestamp(IssueCollector issues, string? account, ref bool ok)
    {
        if (!Present("transactiontimestamp", "transactionTimestamp", issues, account, ref ok, out var v))
        {
            return null;
        }

        if (v.HasInstant)
        {
            return v.Instant;
        }

        if (!ValueParsers.TryTimestamp(v.Text!, out var instant, out var reason))
        {
            issues.Error(account, v.Path, v.Text, $"{v.Name} {reason}", v.Line);
            ok = false;
            return null;
        }

        return instant;
    }
}
