using System.Globalization;

namespace Msme.Domain.Collections.Actions;

/// <summary>One mandate presentment and whether it was returned (bounced), under a utility code.</summary>
public sealed record PresentmentOutcome(string UtilityCode, DateOnly Date, bool Returned);

/// <summary>A utility code's presentments and returns in one calendar month.</summary>
public sealed record ReturnRateMonth(string UtilityCode, int Year, int Month, int Presentments, int Returns)
{
    public double Rate => Presentments == 0 ? 0 : (double)Returns / Presentments;
    public bool AboveLine => Rate > ReturnRates.NpciLine;
}

/// <summary>The month's return rate if the presentments still to come are made: returns so far plus the expected ones.</summary>
/// <param name="ExpectedReturns">Σ (1 − p) over the presentments to come (unknown p counts as a return).</param>
public sealed record ReturnRateProjection(int PresentedSoFar, int ReturnedSoFar, int ToPresent, double ExpectedReturns)
{
    public double Rate => PresentedSoFar + ToPresent == 0 ? 0 : (ReturnedSoFar + ExpectedReturns) / (PresentedSoFar + ToPresent);
    /// <summary>The projected rate is above NPCI's 50 % line: approving needs an explicit acknowledgement.</summary>
    public bool CrossesLine => Rate > ReturnRates.NpciLine;
    /// <summary>Within <see cref="ReturnRates.CautionMargin"/> of the line: shown as a caution, approval not held.</summary>
    public bool NearLine => !CrossesLine && Rate > ReturnRates.NpciLine - ReturnRates.CautionMargin;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{ReturnedSoFar} returns of {PresentedSoFar} presentments so far this month, {ExpectedReturns:0.0} expected of {ToPresent} to present: {Rate:P1} against NPCI's {ReturnRates.NpciLine:P0} line");
}

/// <summary>
/// NACH debit return rates per utility code and month against NPCI's line: a user whose returns exceed 50 % of its
/// presentments under a utility code (with its sponsor bank) is charged and then barred from registering new mandates.
/// </summary>
public static class ReturnRates
{
    public const double NpciLine = 0.50;
    /// <summary>How close to the line the preview starts to caution.</summary>
    public const double CautionMargin = 0.05;

    /// <summary>The loan's mandate presentments: from the book's attempts when it lists them, else the first presentment and its outcome.</summary>
    public static IEnumerable<PresentmentOutcome> Outcomes(Loan loan, string utilityCode)
    {
        ArgumentNullException.ThrowIfNull(loan);
        if (loan.Mandate == Mandate.None) yield break;
        foreach (var i in loan.Instalments)
        {
            if (i.Attempts.Any(a => a.Presentment))
            {
                foreach (var a in i.Attempts.Where(a => a.Presentment)) yield return new(utilityCode, a.Date, a.Bounced);
            }
            else if (i.PresentedDate is { } d && i.FirstPresentmentBounced is { } bounced)
            {
                yield return new(utilityCode, d, bounced);
            }
        }
    }

    public static IReadOnlyList<ReturnRateMonth> ByMonth(IEnumerable<PresentmentOutcome> outcomes) =>
        [.. outcomes.GroupBy(o => (o.UtilityCode, o.Date.Year, o.Date.Month))
            .Select(g => new ReturnRateMonth(g.Key.UtilityCode, g.Key.Year, g.Key.Month, g.Count(), g.Count(o => o.Returned)))
            .OrderBy(m => m.UtilityCode, StringComparer.Ordinal).ThenBy(m => m.Year).ThenBy(m => m.Month)];

    /// <summary>Expected share returned if every presentment is made at these success probabilities (unknown counts as returned); 0 for none.</summary>
    public static double ExpectedRate(IReadOnlyCollection<double?> probabilities) =>
        probabilities.Count == 0 ? 0 : probabilities.Sum(p => 1 - (p ?? 0)) / probabilities.Count;

    /// <summary>The month's projected rate for the code if the scheduled lines dated in that month are presented.</summary>
    public static ReturnRateProjection Project(IEnumerable<PresentmentOutcome> history, IEnumerable<PresentmentLine> scheduled, string utilityCode, int year, int month)
    {
        var past = history.Where(o => o.UtilityCode == utilityCode && o.Date.Year == year && o.Date.Month == month).ToList();
        var coming = scheduled.Where(l => l.UtilityCode == utilityCode && l.Date.Year == year && l.Date.Month == month).ToList();
        return new(past.Count, past.Count(o => o.Returned), coming.Count, coming.Sum(l => 1 - (l.Probability ?? 0)));
    }
}
