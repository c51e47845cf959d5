namespace Msme.Domain.DemoData;

/// <summary>The timing archetypes' lines (<see cref="CollectionTiming"/>): evening run-downs, lumps and top-ups.</summary>
internal sealed partial class CashflowSimulator
{
    /// <summary>The customer's monthly cycles; empty for steady customers.</summary>
    public IReadOnlyList<TimingCycle> Cycles { get; init; } = [];

    /// <summary>The timing stream: every draw Smart Collect's additions make, so a customer's other lines keep theirs.</summary>
    public DemoRandom? TimingRandom { get; init; }

    private DemoRandom tr => TimingRandom ?? rng;

    /// <summary>Multiplies the business's other income (<see cref="CollectionTiming.IncomeScale"/>).</summary>
    public double IncomeScale { get; init; } = 1;

    private void PlanTiming(DateOnly date, int d)
    {
        if (Cycles.Count == 0) return;
        foreach (var c in Cycles)
        {
            if (date >= c.SweepFrom && date <= c.SweepTo)
                Add(d, tr.Next(Hours(18), Hours(21.5)), 0, Flow.Sweep, Channel.Imps, Math.Max(1m, c.Keep), "", null);
            if (date == c.Lump)
            {
                var buyer = buyers[tr.Next(buyers.Length)];
                var utr = Utr('N', date);
                Add(d, Hours(c.LumpHour) + tr.Next(0, 1800), 0, Flow.Credit, Channel.Neft, c.LumpAmount,
                    $"NEFT-{utr}-{buyer.Name}-BILL PAYMENT-{buyer.Ifsc}", utr);
            }
        }
    }

    /// <summary>Suppliers take what is above the floor, the buffer and what the owner means to keep.</summary>
    private void Sweep(AccountState a, DateOnly date, DateTimeOffset dayStart, in Planned item)
    {
        var amount = DemoRandom.RoundTo(a.Balance - a.Floor - Buffer - item.Amount, 100);
        if (amount < 1000m) return;
        var rrn = Rrn();
        var name = tr.Pick(suppliers);
        Post(a, dayStart, date, item with { Reference = rrn }, Ingestion.TxnType.Debit, amount, $"MMT/IMPS/{rrn}/PAYMENT/{name}/{Ifsc()}");
    }

    /// <summary>Money brought in before a re-presentment: cash at the branch or UPI from the owner's own account elsewhere.</summary>
    private void TopUp(AccountState a, DateOnly date, DateTimeOffset dayStart, in Planned item)
    {
        if (tr.Chance(0.5))
        {
            Post(a, dayStart, date, item with { Reference = "CSH" + tr.Digits(8) }, Ingestion.TxnType.Credit, item.Amount,
                $"CASH DEP/{a.Branch.ToUpperInvariant()}/{tr.Digits(6)}");
        }
        else
        {
            var rrn = Rrn();
            Post(a, dayStart, date, item with { Channel = Channel.Upi, Reference = rrn }, Ingestion.TxnType.Credit, item.Amount,
                UpiLine(a, rrn, p.OwnerName.ToUpperInvariant(), $"{Slug(p.OwnerName)}@{tr.Pick(DemoNames.Psps)}", "SELF"));
        }
        a.MonthCredits += item.Amount;
        RecoverCharges(a, dayStart, date, item);
    }
}
