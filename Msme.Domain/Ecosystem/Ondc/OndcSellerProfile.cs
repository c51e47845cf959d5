using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Ecosystem.Ondc;

/// <summary>One month's receipts from trade: all business receipts, and the network settlements among them.</summary>
public sealed record ReceiptMonth(string Month, int Count, decimal Value, int SettlementCount, decimal SettlementValue);

/// <summary>A payer's share of the window's business receipts.</summary>
public sealed record PayerShare(string Payer, int Count, decimal Value, decimal Share);

/// <summary>
/// A seller's credit profile as an ONDC financial-services lender reads it: receipts (volume, value, growth,
/// seasonality), refunds and reversals against them, payer concentration, and a suggested working-capital line.
/// </summary>
public sealed record OndcSellerProfile(
    string? Insufficient,
    IReadOnlyList<ReceiptMonth> Months,
    ProductFigure MonthlyReceipts,
    ProductFigure MonthlyReceiptCount,
    ProductFigure SettlementShare,
    ProductFigure Growth,
    ProductFigure PeakToMedian,
    ProductFigure RefundRatio,
    ProductFigure Top5PayerShare,
    ProductFigure PayerHhi,
    IReadOnlyList<PayerShare> TopPayers,
    ProductFigure SuggestedLine,
    IReadOnlyList<string> Reasons)
{
    [JsonIgnore]
    public IReadOnlyList<ProductFigure> Figures => [MonthlyReceipts, MonthlyReceiptCount, SettlementShare, Growth, PeakToMedian, RefundRatio, Top5PayerShare, PayerHhi, SuggestedLine];
}

/// <summary>
/// Builds the ONDC seller profile over the same window as the other products (docs/data-products.md):
/// receipts are CREDIT lines classified BusinessReceipts; settlements those whose narration says SETTLEMENT or ONDC;
/// refunds and reversals are DEBIT lines whose narration says REFUND, RFND, CHARGEBACK or RTO, plus lines of type
/// REVERSAL; refund ratio = their value / receipts value; top-5 share and HHI over the payers the classifier names in
/// direct (non-settlement) receipts, as shares of all receipts: a settlement pools many buyers' orders, and unnamed
/// receipts (UPI tickets) are many small payers, so both dilute concentration. Line = 20% × 12 × average monthly receipts
/// × (1 − refund ratio), less 25% when HHI &gt; 0.25, rounded down to ₹10,000.
/// </summary>
public static partial class OndcProfileBuilder
{
    public const decimal LineTurnoverShare = 0.20m;
    public const decimal ConcentrationThreshold = 0.25m;
    public const decimal ConcentrationHaircut = 0.25m;
    public const decimal RoundTo = 10_000m;
    public const int TopPayers = 5;

    [GeneratedRegex(@"SETTLEMENT|\bSETTL|\bONDC\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SettlementPattern();

    [GeneratedRegex(@"REFUND|\bRFND\b|CHARGE ?BACK|\bRTO\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RefundPattern();

    public static OndcSellerProfile Build(SurplusBase surplus, AccountInsights combined, Func<string, string>? counterparty = null)
    {
        ArgumentNullException.ThrowIfNull(surplus);
        ArgumentNullException.ThrowIfNull(combined);
        var name = counterparty ?? (s => s);
        var window = surplus.Months.Select(m => m.Month).ToList();
        var inWindow = window.ToHashSet();
        var perMonth = window.ToDictionary(m => m, _ => (Count: 0, Value: 0m, SCount: 0, SValue: 0m));
        var payers = new Dictionary<string, (int Count, decimal Value)>(StringComparer.Ordinal);
        decimal refunds = 0m;
        var refundLines = 0;
        foreach (var t in combined.Transactions)
        {
            if (!inWindow.Contains(t.Month)) continue;
            if (t.Type == TxnType.Credit && t.Class.Category == Category.BusinessReceipts)
            {
                var acc = perMonth[t.Month];
                var settlement = SettlementPattern().IsMatch(t.Txn.Narration ?? "");
                perMonth[t.Month] = (acc.Count + 1, acc.Value + t.Amount, acc.SCount + (settlement ? 1 : 0), acc.SValue + (settlement ? t.Amount : 0m));
                // A settlement pools many buyers' orders and is paid by the network participant: it is not one payer.
                if (!settlement && t.Class.Counterparty is { } payer)
                {
                    payers.TryGetValue(payer, out var p);
                    payers[payer] = (p.Count + 1, p.Value + t.Amount);
                }
            }
            else if (t.Type == TxnType.Reversal || (t.Type == TxnType.Debit && RefundPattern().IsMatch(t.Txn.Narration ?? "")))
            {
                refunds += t.Amount;
                refundLines++;
            }
        }
        var months = window.Select(m => perMonth[m]).Zip(window, (v, m) => new ReceiptMonth(m.ToString(), v.Count, Rounding.Money(v.Value), v.SCount, Rounding.Money(v.SValue))).ToList();
        var totalValue = months.Sum(m => m.Value);
        var insufficient = surplus.Insufficient ?? (totalValue == 0m ? "No business receipts in the window: the account shows no trade to profile." : null);

        var mean = MeanReceipts(months, insufficient);
        var count = MeanCount(months, insufficient);
        var settlementShare = Settlements(months, totalValue, insufficient);
        var growth = Growth(months, insufficient);
        var peak = PeakToMedian(months, insufficient);
        var refundRatio = Refunds(refunds, refundLines, totalValue, insufficient);
        var ranked = payers.OrderByDescending(kv => kv.Value.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new PayerShare(name(kv.Key), kv.Value.Count, Rounding.Money(kv.Value.Value), totalValue == 0m ? 0m : Rounding.Ratio(kv.Value.Value / totalValue)))
            .ToList();
        var (top5, hhi) = Concentration(ranked, payers, totalValue, insufficient);
        var reasons = new List<string>();
        var line = Line(mean, refundRatio, hhi, insufficient, reasons);
        if (insufficient is null && surplus.StableMonthlySurplus.Value is { } s && surplus.ExistingEmis.Value is { } emis && emis > s / 2m)
            reasons.Add(Invariant($"Check debt service before sanctioning: existing EMIs ({emis}) take more than half the stable monthly surplus ({s}). The turnover method does not see them."));
        return new OndcSellerProfile(insufficient, months, mean, count, settlementShare, growth, peak, refundRatio, top5, hhi,
            [.. ranked.Take(TopPayers)], line, reasons);
    }

    private static ProductFigure Unavailable(string name, string unit, ExplanationBuilder why, string formula, string reason)
    {
        why.Narrate(reason);
        return new(name, null, unit, why.Build(name, formula, "—"), reason);
    }

    private static ProductFigure MeanReceipts(List<ReceiptMonth> months, string? insufficient)
    {
        var why = new ExplanationBuilder();
        foreach (var m in months) why.Input(Invariant($"{m.Month} receipts ({m.Count} lines)"), m.Value);
        const string formula = "Σ BusinessReceipts credits / months in the window";
        if (insufficient is not null) return Unavailable("averageMonthlyReceipts", "INR", why, formula, insufficient);
        var value = Rounding.Money(months.Sum(m => m.Value) / months.Count);
        why.Narrate(Invariant($"Receipts from trade (credits classified BusinessReceipts) average {value} over {months.Count} complete months."));
        return new("averageMonthlyReceipts", value, "INR", why.Build("averageMonthlyReceipts", formula, Invariant($"{value}")));
    }

    private static ProductFigure MeanCount(List<ReceiptMonth> months, string? insufficient)
    {
        var why = new ExplanationBuilder();
        foreach (var m in months) why.Input(Invariant($"{m.Month} receipt lines"), m.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        const string formula = "Σ receipt lines / months in the window";
        if (insufficient is not null) return Unavailable("averageMonthlyReceiptCount", "count", why, formula, insufficient);
        var value = Rounding.Ratio((decimal)months.Sum(m => m.Count) / months.Count);
        why.Narrate("Orders (receipt lines) a month: volume, as against value.");
        return new("averageMonthlyReceiptCount", value, "count", why.Build("averageMonthlyReceiptCount", formula, Invariant($"{value}")));
    }

    private static ProductFigure Settlements(List<ReceiptMonth> months, decimal total, string? insufficient)
    {
        var why = new ExplanationBuilder();
        var settled = months.Sum(m => m.SettlementValue);
        why.Input("settlement receipts (narration SETTLEMENT / ONDC)", settled);
        why.Input("all receipts", total);
        const string formula = "Σ settlement receipts / Σ receipts";
        if (insufficient is not null) return Unavailable("settlementShare", "ratio", why, formula, insufficient);
        var value = Rounding.Ratio(settled / total);
        why.Narrate(settled == 0m
            ? "No receipt is a network settlement: the seller is paid directly, not through an ONDC seller app."
            : Invariant($"{months.Sum(m => m.SettlementCount)} settlements from network participants make up this share of receipts."));
        return new("settlementShare", value, "ratio", why.Build("settlementShare", formula, Invariant($"{value}")));
    }

    private static ProductFigure Growth(List<ReceiptMonth> months, string? insufficient)
    {
        var why = new ExplanationBuilder();
        const string formula = "(Σ receipts of the last 3 months − Σ of the 3 before) / Σ of the 3 before";
        if (insufficient is not null) return Unavailable("receiptGrowth", "ratio", why, formula, insufficient);
        if (months.Count < 6) return Unavailable("receiptGrowth", "ratio", why, formula, Invariant($"Growth compares two quarters: needs 6 complete months, the window has {months.Count}."));
        var last = months.Skip(months.Count - 3).ToList();
        var before = months.Skip(months.Count - 6).Take(3).ToList();
        foreach (var m in before) why.Input(Invariant($"{m.Month} (earlier quarter)"), m.Value);
        foreach (var m in last) why.Input(Invariant($"{m.Month} (latest quarter)"), m.Value);
        var b = before.Sum(m => m.Value);
        if (b == 0m) return Unavailable("receiptGrowth", "ratio", why, formula, "No receipts in the earlier quarter: growth is undefined.");
        var value = Rounding.Ratio((last.Sum(m => m.Value) - b) / b);
        why.Narrate(Invariant($"The latest quarter's receipts against the quarter before: {value:+0.0%;-0.0%;0%}."));
        return new("receiptGrowth", value, "ratio", why.Build("receiptGrowth", formula, Invariant($"{value}")));
    }

    private static ProductFigure PeakToMedian(List<ReceiptMonth> months, string? insufficient)
    {
        var why = new ExplanationBuilder();
        foreach (var m in months) why.Input(Invariant($"{m.Month}"), m.Value);
        const string formula = "max monthly receipts / median monthly receipts";
        if (insufficient is not null) return Unavailable("peakToMedian", "multiple", why, formula, insufficient);
        Span<decimal> values = stackalloc decimal[months.Count];
        for (var i = 0; i < months.Count; i++) values[i] = months[i].Value;
        var median = DecimalMath.Median(values);
        if (median == 0m) return Unavailable("peakToMedian", "multiple", why, formula, "The median month has no receipts: seasonality is undefined.");
        var peak = months.OrderByDescending(m => m.Value).ThenBy(m => m.Month, StringComparer.Ordinal).First();
        var trough = months.OrderBy(m => m.Value).ThenBy(m => m.Month, StringComparer.Ordinal).First();
        why.Input("median", Rounding.Money(median));
        var value = Rounding.Ratio(peak.Value / median);
        why.Narrate(Invariant($"Seasonality: the peak month {peak.Month} ({peak.Value}) against the median month; the trough was {trough.Month} ({trough.Value}). A line drawn for the peak should be reviewed at the trough."));
        return new("peakToMedian", value, "multiple", why.Build("peakToMedian", formula, Invariant($"{value}")));
    }

    private static ProductFigure Refunds(decimal refunds, int lines, decimal total, string? insufficient)
    {
        var why = new ExplanationBuilder();
        why.Input(Invariant($"refund and reversal lines ({lines})"), Rounding.Money(refunds));
        why.Input("receipts", total);
        const string formula = "Σ (DEBIT lines naming REFUND / RFND / CHARGEBACK / RTO, and REVERSAL lines) / Σ receipts";
        if (insufficient is not null) return Unavailable("refundRatio", "ratio", why, formula, insufficient);
        var value = Rounding.Ratio(refunds / total);
        why.Narrate(lines == 0 ? "No refund, chargeback or reversal in the window." : Invariant($"{lines} refunds and reversals took back this share of what trade brought in."));
        return new("refundRatio", value, "ratio", why.Build("refundRatio", formula, Invariant($"{value}")));
    }

    private static (ProductFigure Top5, ProductFigure Hhi) Concentration(List<PayerShare> ranked, Dictionary<string, (int Count, decimal Value)> payers, decimal total, string? insufficient)
    {
        var topWhy = new ExplanationBuilder();
        var hhiWhy = new ExplanationBuilder();
        const string topFormula = "Σ receipts of the 5 largest named direct payers / Σ all receipts";
        const string hhiFormula = "Σ over named direct payers of (payer's receipts / Σ all receipts)²";
        if (insufficient is not null)
            return (Unavailable("top5PayerShare", "ratio", topWhy, topFormula, insufficient), Unavailable("payerHhi", "index", hhiWhy, hhiFormula, insufficient));
        var top = ranked.Take(TopPayers).ToList();
        foreach (var p in top) topWhy.Input(Invariant($"{p.Payer} ({p.Count} receipts)"), p.Value);
        topWhy.Input("all receipts", total);
        var unnamed = total - payers.Values.Sum(p => p.Value);
        topWhy.Input("network settlements and receipts naming no payer", Rounding.Money(unnamed));
        var share = Rounding.Ratio(payers.Values.OrderByDescending(p => p.Value).Take(TopPayers).Sum(p => p.Value) / total);
        topWhy.Narrate(ranked.Count == 0
            ? "No direct receipt names its payer (settlements pool many buyers): no single payer stands out, so it reads 0."
            : Invariant($"The {top.Count} largest of {ranked.Count} named direct payers brought this share of receipts; network settlements pool many buyers and count as spread out."));
        var hhi = Rounding.Ratio(payers.Values.Sum(p => p.Value / total * (p.Value / total)));
        hhiWhy.Input("named payers", ranked.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var p in top) hhiWhy.Input(Invariant($"share of {p.Payer}"), p.Share);
        hhiWhy.Narrate(Invariant($"Herfindahl–Hirschman index of payers: 1 is one buyer, near 0 many small ones; above {ConcentrationThreshold} is highly concentrated. Network settlements and unnamed receipts (UPI tickets without a name) count as spread out."));
        return (new("top5PayerShare", share, "ratio", topWhy.Build("top5PayerShare", topFormula, Invariant($"{share}"))),
            new("payerHhi", hhi, "index", hhiWhy.Build("payerHhi", hhiFormula, Invariant($"{hhi}"))));
    }

    private static ProductFigure Line(ProductFigure mean, ProductFigure refund, ProductFigure hhi, string? insufficient, List<string> reasons)
    {
        var why = new ExplanationBuilder();
        why.Input("average monthly receipts", ExplanationBuilder.Format(mean.Value));
        why.Input("refund ratio", ExplanationBuilder.Format(refund.Value));
        why.Input("payer HHI", ExplanationBuilder.Format(hhi.Value));
        const string formula = "floor(0.20 × 12 × average monthly receipts × (1 − refund ratio) × (0.75 if HHI > 0.25 else 1) / 10,000) × 10,000";
        if (insufficient is not null)
        {
            reasons.Add(insufficient);
            return Unavailable("suggestedWorkingCapitalLine", "INR", why, formula, insufficient);
        }
        var annual = 12m * mean.Value!.Value;
        var amount = LineTurnoverShare * annual;
        reasons.Add(Invariant($"20% of annualised receipts ({Rounding.Money(annual)}): the turnover method for MSME working capital."));
        amount *= 1m - refund.Value!.Value;
        reasons.Add(refund.Value.Value == 0m
            ? "No refunds or reversals: receipts count in full."
            : Invariant($"Receipts net of refunds and reversals ({refund.Value.Value:0.##%} of receipts)."));
        if (hhi.Value!.Value > ConcentrationThreshold)
        {
            amount *= 1m - ConcentrationHaircut;
            reasons.Add(Invariant($"Payers are concentrated (HHI {hhi.Value.Value} > {ConcentrationThreshold}): 25% less, since losing one buyer would cut receipts sharply."));
        }
        else
        {
            reasons.Add(Invariant($"Payers are spread (HHI {hhi.Value.Value} ≤ {ConcentrationThreshold}): no concentration haircut."));
        }
        var value = Math.Floor(amount / RoundTo) * RoundTo;
        why.Narrate(string.Join(" ", reasons) + " Rounded down to ₹10,000.");
        return new("suggestedWorkingCapitalLine", value, "INR", why.Build("suggestedWorkingCapitalLine", formula, Invariant($"{value}")));
    }
}
