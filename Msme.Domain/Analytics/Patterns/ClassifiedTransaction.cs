using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Ingestion;
using TxnClassification = Msme.Domain.Analytics.Classification.Classification;

namespace Msme.Domain.Analytics.Patterns;

/// <summary>A statement line with its IST date and its classification: the common input of every pattern finder.</summary>
public sealed record ClassifiedTransaction(Transaction Txn, DateOnly Date, TxnClassification Class)
{
    public decimal Amount => Txn.Amount;
    public TxnType Type => Txn.Type;
    public CalendarMonth Month => CalendarMonth.Of(Date);

    /// <summary>Classifies the account's lines once, in the contract's order (timestamp, then position).</summary>
    public static IReadOnlyList<ClassifiedTransaction> Of(DepositAccount account) => Of(account, null);

    /// <summary>
    /// As <see cref="Of(DepositAccount)"/>; <paramref name="known"/> supplies classifications already made for the same
    /// lines (keyed by txnId), since a classification depends only on narration, type and mode.
    /// </summary>
    internal static IReadOnlyList<ClassifiedTransaction> Of(DepositAccount account, IReadOnlyDictionary<string, TxnClassification>? known)
    {
        ArgumentNullException.ThrowIfNull(account);
        var ordered = OrderedTransactions.Of(account.Transactions);
        var result = new ClassifiedTransaction[ordered.Items.Length];
        var cache = new TransactionClassifier.StatementCache();
        for (var i = 0; i < result.Length; i++)
        {
            var t = ordered.Items[i];
            var c = known is not null && known.TryGetValue(t.TxnId, out var k) ? k : TransactionClassifier.Classify(t, cache);
            result[i] = new(t, DateOnly.FromDayNumber(ordered.Days[i]), c);
        }
        return result;
    }
}
