using System.Globalization;

namespace Msme.Domain.Collections;

/// <summary>DPD buckets as the collections team names them.</summary>
public enum DpdBucket { Current, Dpd1To30, Dpd31To60, Dpd61To90, Dpd90Plus }

/// <summary>Days past due on a date, with the instalment that sets it and why.</summary>
/// <param name="OldestUnpaid">Number of the oldest instalment due on or before the date and not fully paid by it; null when none.</param>
public sealed record DelinquencyStatus(DateOnly AsOf, int Dpd, DpdBucket Bucket, int? OldestUnpaid, int UnpaidInstalments, decimal Overdue, IReadOnlyList<string> Reasons);

/// <summary>DPD and bucket of a loan from its book (docs/smart-collect-model.md).</summary>
/// <remarks>
/// An instalment is unpaid on a date when it fell due before that date and was not fully paid by it: PAID counts from
/// its last debited attempt (or its presented/due date when the book lists no attempts); BOUNCED, PARTIAL, MISSED and
/// a PENDING instalment past its due date are unpaid. DPD = date − the oldest unpaid instalment's due date, in days;
/// an instalment due that very day is not yet past due.
/// </remarks>
public static class Delinquency
{
    public static DelinquencyStatus Compute(Loan loan, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(loan);
        LoanInstalment? oldest = null;
        var count = 0;
        var overdue = 0m;
        foreach (var i in loan.Instalments)
        {
            if (i.DueDate >= asOf) continue;
            if (i.PaidOn is { } paid && paid <= asOf) continue;
            count++;
            overdue += i.Outcome == InstalmentOutcome.Partial ? i.Amount - i.PaidAmount : i.Amount;
            if (oldest is null || i.DueDate < oldest.DueDate) oldest = i;
        }
        var dpd = oldest is null ? 0 : asOf.DayNumber - oldest.DueDate.DayNumber;
        var bucket = BucketOf(dpd);
        var reasons = oldest is null
            ? new List<string> { $"no instalment due before {asOf:yyyy-MM-dd} is unpaid" }
            : [
                $"instalment {oldest.Number} due {oldest.DueDate:yyyy-MM-dd} is {LoanBookCodes.Of(oldest.Outcome)} (paid ₹{oldest.PaidAmount:0.00} of ₹{oldest.Amount:0.00})",
                $"DPD {dpd} = {asOf:yyyy-MM-dd} − {oldest.DueDate:yyyy-MM-dd}, bucket {Name(bucket)}",
                $"{count} instalment(s) unpaid, ₹{overdue:0.00} overdue",
            ];
        return new(asOf, dpd, bucket, oldest?.Number, count, overdue, reasons);
    }

    public static DpdBucket BucketOf(int dpd) => dpd switch
    {
        <= 0 => DpdBucket.Current,
        <= 30 => DpdBucket.Dpd1To30,
        <= 60 => DpdBucket.Dpd31To60,
        <= 90 => DpdBucket.Dpd61To90,
        _ => DpdBucket.Dpd90Plus,
    };

    public static string Name(DpdBucket b) => b switch
    {
        DpdBucket.Current => "0",
        DpdBucket.Dpd1To30 => "1-30",
        DpdBucket.Dpd31To60 => "31-60",
        DpdBucket.Dpd61To90 => "61-90",
        _ => "90+",
    };
}

/// <summary>The bucket at one month end and how it moved from the previous one.</summary>
public sealed record BucketMove(DateOnly MonthEnd, DpdBucket From, DpdBucket To, int Dpd, string Reason)
{
    public bool Worse => To > From;
    public bool Better => To < From;
}

/// <summary>Month-end DPD bucket series of a loan: the portal persists the moves, this computes them.</summary>
public static class BucketHistory
{
    /// <summary>One entry per month end in [from, to]; the first compares with the month end before <paramref name="from"/>.</summary>
    public static IReadOnlyList<BucketMove> Moves(Loan loan, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(loan);
        var result = new List<BucketMove>();
        var monthEnd = new DateOnly(from.Year, from.Month, 1).AddMonths(1).AddDays(-1);
        var previous = Delinquency.Compute(loan, new DateOnly(from.Year, from.Month, 1).AddDays(-1));
        for (; monthEnd <= to; monthEnd = new DateOnly(monthEnd.Year, monthEnd.Month, 1).AddMonths(2).AddDays(-1))
        {
            var now = Delinquency.Compute(loan, monthEnd);
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"{monthEnd:yyyy-MM-dd}: DPD {previous.Dpd} → {now.Dpd}, bucket {Delinquency.Name(previous.Bucket)} → {Delinquency.Name(now.Bucket)}");
            result.Add(new(monthEnd, previous.Bucket, now.Bucket, now.Dpd, reason));
            previous = now;
        }
        return result;
    }
}
