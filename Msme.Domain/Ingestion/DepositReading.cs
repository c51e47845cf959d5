namespace Msme.Domain.Ingestion;

/// <summary>Tells accounts apart inside a delivery: FIP, link reference and masked number together.</summary>
public sealed record AccountKey(string? FipId, string? LinkedAccRef, string MaskedAccNumber);

/// <summary>Receives a deposit document while it streams, so a large statement never sits in memory whole.</summary>
/// <remarks>
/// Per account the calls are BeginAccount, zero or more OnTransaction, EndAccount; accounts never interleave.
/// After a fatal error (syntax, bad bytes) the account being read is abandoned without EndAccount: the issues say why.
/// </remarks>
public interface IDepositSink
{
    /// <summary>Before the account's first transaction (also called for an account without transactions).</summary>
    void BeginAccount(AccountKey key);

    /// <summary>One valid transaction; rejected transactions are issues instead.</summary>
    void OnTransaction(AccountKey key, Transaction txn);

    /// <summary>Profile, summary and period, once per account; Transactions is empty because they were streamed.</summary>
    void EndAccount(DepositAccount header);
}

/// <summary>Accounts with their transactions plus every issue found in one document.</summary>
public sealed record DepositParseResult(IReadOnlyList<DepositAccount> Accounts, IReadOnlyList<IngestionIssue> Issues)
{
    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);
}
