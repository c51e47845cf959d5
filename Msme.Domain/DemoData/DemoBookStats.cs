using System.Globalization;
using System.Text;

namespace Msme.Domain.DemoData;

/// <summary>First presentments and how many were returned, for one group of loans.</summary>
public sealed record BounceCount(string Group, int Loans, int Presentments, int Bounces)
{
    public double Rate => Presentments == 0 ? 0 : Bounces / (double)Presentments;
}

/// <summary>How often the demo book's first presentments bounce, overall and by timing archetype (README states the figures).</summary>
public static class DemoBookStats
{
    public static IReadOnlyList<BounceCount> FirstPresentmentBounces(IEnumerable<DemoCustomer> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var groups = new Dictionary<TimingArchetype, (int Loans, int N, int B)>();
        foreach (var c in customers)
        foreach (var loan in c.Loans)
        {
            var (l, n, b) = groups.GetValueOrDefault(c.Timing);
            l++;
            foreach (var i in loan.Instalments)
            {
                var first = i.Attempts.FirstOrDefault(a => a.Kind == AttemptKind.Presentment);
                if (first is null) continue;
                n++;
                if (first.Bounced) b++;
            }
            groups[c.Timing] = (l, n, b);
        }
        var rows = Enum.GetValues<TimingArchetype>().Where(groups.ContainsKey)
            .Select(t => new BounceCount(t.ToString(), groups[t].Loans, groups[t].N, groups[t].B)).ToList();
        rows.Add(new BounceCount("All", rows.Sum(r => r.Loans), rows.Sum(r => r.Presentments), rows.Sum(r => r.Bounces)));
        return rows;
    }

    /// <summary>Loans collected from an account the customer's AA data does not cover.</summary>
    public static IEnumerable<(DemoCustomer Customer, DemoLoan Loan)> LoansOutsideTheAaData(IEnumerable<DemoCustomer> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        foreach (var c in customers)
        foreach (var l in c.Loans)
            if (c.Accounts.All(a => a.MaskedAccNumber != l.MaskedAccNumber)) yield return (c, l);
    }

    public static string Describe(IReadOnlyList<BounceCount> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var s = new StringBuilder();
        s.AppendLine("timing archetype     loans  first presentments  bounced  rate");
        foreach (var r in rows)
            s.AppendLine(CultureInfo.InvariantCulture, $"{r.Group,-19} {r.Loans,6} {r.Presentments,19} {r.Bounces,8}  {r.Rate * 100,5:0.0} %");
        return s.ToString();
    }
}
