using System.Globalization;

using Msme.Domain.Ingestion;

namespace Msme.Domain.Consent;

/// <summary>What a consent allows, as pure checks: DataFilter rules, FIDataRange and DataLife.</summary>
public sealed class ConsentRules
{
    private readonly ConsentDetail _consent;
    private readonly List<Func<Transaction, bool>> _filters = [];

    public ConsentRules(ConsentDetail consent)
    {
        _consent = consent;
        foreach (var rule in consent.DataFilters)
        {
            // ConsentReader rejects consents with unreadable rules; one built by hand fails loudly here instead.
            if (!TryCompile(rule, out var predicate, out var reason))
            {
                throw new ArgumentException($"DataFilter '{rule.Type} {rule.Operator} {rule.Value}': {reason}", nameof(consent));
            }

            _filters.Add(predicate);
        }
    }

    /// <summary>True when every DataFilter rule lets the transaction through (rules combine with AND).</summary>
    public bool PassesDataFilters(Transaction txn) => _filters.All(f => f(txn));

    /// <summary>True when the transaction's instant lies inside FIDataRange (both ends included).</summary>
    public bool IsInsideDataRange(Transaction txn) =>
        (_consent.FiDataFrom is not { } from || txn.Timestamp >= from) && (_consent.FiDataTo is not { } to || txn.Timestamp <= to);

    /// <summary>When data fetched at <paramref name="fetchedAt"/> must be deleted; null for DataLife INF.</summary>
    /// <remarks>A consent without DataLife allows no retention, so its data ends when it was fetched.</remarks>
    public DateTimeOffset? DataLifeEnds(DateTimeOffset fetchedAt) => DataLifeEnds(_consent.DataLifeUnit, _consent.DataLifeValue, fetchedAt);

    /// <summary>
    /// When a session's data must be deleted: DataLife runs from the earlier of its fetch and its import, so a fetch
    /// time set ahead of the clock never lengthens it. Null for INF.
    /// </summary>
    public static DateTimeOffset? DataLifeEnds(string? unit, int? dataLifeValue, DateTimeOffset fetchedAt, DateTimeOffset importedAt) =>
        DataLifeEnds(unit, dataLifeValue, fetchedAt < importedAt ? fetchedAt : importedAt);

    /// <summary>When data fetched at <paramref name="fetchedAt"/> must be deleted; null for INF. An unknown unit ends at once (the safe reading).</summary>
    public static DateTimeOffset? DataLifeEnds(string? unit, int? dataLifeValue, DateTimeOffset fetchedAt)
    {
        var value = dataLifeValue ?? 0;
        return unit switch
        {
            "INF" => null,
            "DAY" => fetchedAt.AddDays(value),
            "MONTH" => fetchedAt.AddMonths(value),
            "YEAR" => fetchedAt.AddYears(value),
            _ => fetchedAt,
        };
    }

    /// <summary>Turns a rule into a predicate: TRANSACTIONTYPE with = or !=, TRANSACTIONAMOUNT with = != &gt; &lt; &gt;= &lt;=.</summary>
    public static bool TryCompile(DataFilterRule rule, out Func<Transaction, bool> predicate, out string reason)
    {
        predicate = static _ => true;
        var op = rule.Operator.Trim();
        switch (rule.Type.Trim().ToUpperInvariant())
        {
            case "TRANSACTIONTYPE":
            {
                if (!Enum.TryParse<TxnType>(rule.Value.Trim(), ignoreCase: true, out var type) || int.TryParse(rule.Value, out _))
                {
                    reason = "TRANSACTIONTYPE value must be CREDIT or DEBIT";
                    return false;
                }

                if (op is not ("=" or "!="))
                {
                    reason = "TRANSACTIONTYPE takes only = or !=";
                    return false;
                }

                predicate = op == "=" ? t => t.Type == type : t => t.Type != type;
                reason = "";
                return true;
            }
            case "TRANSACTIONAMOUNT":
            {
                if (!decimal.TryParse(rule.Value.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var limit))
                {
                    reason = "TRANSACTIONAMOUNT value must be a number";
                    return false;
                }

                Func<Transaction, bool>? compiled = op switch
                {
                    "=" => t => t.Amount == limit,
                    "!=" => t => t.Amount != limit,
                    ">" => t => t.Amount > limit,
                    "<" => t => t.Amount < limit,
                    ">=" => t => t.Amount >= limit,
                    "<=" => t => t.Amount <= limit,
                    _ => null,
                };
                if (compiled is null)
                {
                    reason = $"operator '{op}' is not one of = != > < >= <=";
                    return false;
                }

                predicate = compiled;
                reason = "";
                return true;
            }
            default:
                reason = $"DataFilter type '{rule.Type}' is not TRANSACTIONTYPE or TRANSACTIONAMOUNT";
                return false;
        }
    }
}
