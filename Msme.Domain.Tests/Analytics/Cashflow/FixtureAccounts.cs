using System.Globalization;
using System.Text.Json;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Cashflow;

/// <summary>
/// Reads the Setu-shaped (lower-case keys, ReBIT v1) sample documents into DepositAccounts with a throwaway
/// System.Text.Json DOM reader. The ingestion parser is written in parallel; this reader exists only so the analytics
/// tests can run on real statements meanwhile, and handles just what these fixtures contain.
/// </summary>
internal static class FixtureAccounts
{
    /// <summary>One account for a bare account document, every account for an FI.DEPOSIT[] wrapper.</summary>
    public static IReadOnlyList<DepositAccount> Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa", file)));
        var root = doc.RootElement;
        return root.TryGetProperty("FI", out var fi)
            ? [.. fi.GetProperty("DEPOSIT").EnumerateArray().Select(Account)]
            : [Account(root)];
    }

    private static DepositAccount Account(JsonElement account)
    {
        var txns = account.GetProperty("transactions");
        var list = new List<Transaction>();
        foreach (var t in txns.GetProperty("transaction").EnumerateArray())
        {
            list.Add(new Transaction
            {
                TxnId = t.GetProperty("txnId").GetString()!,
                Type = Enum.Parse<TxnType>(t.GetProperty("type").GetString()!, ignoreCase: true),
                Amount = Money(t.GetProperty("amount")),
                Balance = Money(t.GetProperty("currentBalance")),
                Timestamp = DateTimeOffset.Parse(t.GetProperty("transactionTimestamp").GetString()!, CultureInfo.InvariantCulture),
                Position = list.Count,
                // Narration and mode feed the classification tests; the contract figures do not read them.
                Mode = t.TryGetProperty("mode", out var mode) ? mode.GetString() : null,
                Narration = t.TryGetProperty("narration", out var narration) ? narration.GetString() : null,
            });
        }
        return new DepositAccount
        {
            MaskedAccNumber = account.GetProperty("maskedAccNumber").GetString()!,
            LinkedAccRef = account.GetProperty("linkedAccRef").GetString(),
            StartDate = IstDate(txns.GetProperty("startDate")),
            EndDate = IstDate(txns.GetProperty("endDate")),
            Transactions = list,
        };
    }

    // Strings or numbers, possibly with float noise (159243.42000000001): parsed exactly, then 2 places half away from zero.
    private static decimal Money(JsonElement e) => Math.Round(
        e.ValueKind == JsonValueKind.String ? decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDecimal(),
        2,
        MidpointRounding.AwayFromZero);

    private static DateOnly IstDate(JsonElement e) =>
        IndianTime.DateOf(DateTimeOffset.Parse(e.GetString()!, CultureInfo.InvariantCulture));
}
