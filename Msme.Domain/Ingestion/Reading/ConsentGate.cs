using Msme.Domain.Consent;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>
/// A sink in front of the real one that lets through only what the consent allows: transactions outside FIDataRange
/// (or the session's range) are errors, DataFilter drops are counted, accounts the consent does not list are errors.
/// </summary>
internal sealed class ConsentGate(IDepositSink inner, ConsentDetail consent, FetchSessionInfo session, IssueCollector issues) : IDepositSink
{
    private readonly ConsentRules _rules = new(consent);
    private readonly bool _transactionsAllowed = consent.ConsentTypes.Count == 0 || consent.ConsentTypes.Contains("TRANSACTIONS");
    private bool _accountAllowed = true;

    public int Passed { get; private set; }

    public int FilteredOut { get; private set; }

    public void BeginAccount(AccountKey key)
    {
        _accountAllowed = Covers(key);
        if (!_accountAllowed)
        {
            issues.Error(key.MaskedAccNumber, "$", key.LinkedAccRef,
                $"the consent does not list this account (FIP {key.FipId ?? "unknown"}); its data may not be imported");
        }

        inner.BeginAccount(key);
    }

    public void OnTransaction(AccountKey key, Transaction txn)
    {
        if (!_accountAllowed)
        {
            return;
        }

        var where = $"transaction[{txn.Position}]";
        if (!_transactionsAllowed)
        {
            issues.Error(key.MaskedAccNumber, where, txn.TxnId,
                $"the consent's types ({string.Join(", ", consent.ConsentTypes)}) do not include TRANSACTIONS");
            return;
        }

        if (!_rules.IsInsideDataRange(txn))
        {
            issues.Error(key.MaskedAccNumber, where, txn.Timestamp.ToString("yyyy-MM-ddTHH:mm:sszzz"),
                $"txnId {txn.TxnId} lies outside the consent's FIDataRange {Show(consent.FiDataFrom)} to {Show(consent.FiDataTo)}");
            return;
        }

        if ((session.RangeFrom is { } from && txn.Timestamp < from) || (session.RangeTo is { } to && txn.Timestamp > to))
        {
            issues.Error(key.MaskedAccNumber, where, txn.Timestamp.ToString("yyyy-MM-ddTHH:mm:sszzz"),
                $"txnId {txn.TxnId} lies outside the fetch session's range {Show(session.RangeFrom)} to {Show(session.RangeTo)}");
            return;
        }

        if (!_rules.PassesDataFilters(txn))
        {
            FilteredOut++;
            return;
        }

        Passed++;
        inner.OnTransaction(key, txn);
    }

    public void EndAccount(DepositAccount header) => inner.EndAccount(header);

    private bool Covers(AccountKey key) =>
        consent.Accounts.Count == 0
        || consent.Accounts.Any(a =>
            (a.FipId is null || key.FipId is null || a.FipId == key.FipId)
            && ((a.LinkRefNumber is not null && a.LinkRefNumber == key.LinkedAccRef) || a.MaskedAccNumber == key.MaskedAccNumber));

    private static string Show(DateTimeOffset? instant) => instant?.ToString("yyyy-MM-ddTHH:mm:sszzz") ?? "(open)";
}
