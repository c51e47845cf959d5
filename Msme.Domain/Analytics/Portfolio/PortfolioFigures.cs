using System.Globalization;
using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Portfolio;

/// <summary>The figures of one customer that the portfolio views aggregate: the customer-level (combined) contract, anomaly findings and the events they make.</summary>
public sealed record CustomerFigures(int CustomerId, string? Name, AccountMetrics Metrics, IReadOnlyList<MonthlyFigures> Monthly, IReadOnlyList<AnomalyFinding> Findings,
    IReadOnlyList<AnomalyEvent> Events);

/// <summary>How many customers (or findings) fall under one key.</summary>
public sealed record CountBy(string Key, int Count);

/// <summary>A count distribution with the explanation of how it was counted.</summary>
public sealed record Distribution(string Figure, IReadOnlyList<CountBy> Counts, Explanation Explanation)
{
    public int Total => Counts.Sum(c => c.Count);
}

/// <summary>One month of the portfolio inflow: the sum over the customers for whom that month is complete.</summary>
public sealed record MonthTotal(CalendarMonth Month, decimal Inflow, int Customers);

/// <summary>Portfolio inflow by month with its explanation.</summary>
public sealed record InflowTrend(IReadOnlyList<MonthTotal> Months, Explanation Explanation);

/// <summary>Portfolio-level figures for the risk dashboard, every one counted from the customers' own figures.</summary>
public sealed record PortfolioFigures(
    int Customers,
    Distribution Tiers,
    Distribution Severities,
    Distribution Detectors,
    Distribution IncomeCv,
    InflowTrend Inflow,
    decimal? MedianIncomeCv,
    Explanation MedianIncomeCvExplanation)
{
    /// <summary>Upper bounds of the income CV bands (the last band is open).</summary>
    public static readonly decimal[] CvBandBounds = [0.1m, 0.2m, 0.3m, 0.4m, 0.5m, 0.7m, 1.0m];

    public static PortfolioFigures Build(IReadOnlyList<CustomerFigures> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var n = customers.Count;
        var tiers = new Distribution("stabilityTier",
            [.. Enum.GetValues<StabilityTier>().Select(t => new CountBy(t.ToString(), customers.Count(c => c.Metrics.StabilityTier == t)))],
            new Explanation("stabilityTier", "count of customers per StabilityTier of the combined account", [new("customers", Num(n))],
                "Each customer's tier comes from the income CV of its combined accounts (≤ 0.20 High, ≤ 0.40 Medium, ≤ 0.70 Low, above VeryLow; Unknown under 2 complete months).",
                Num(n)));
        var events = customers.SelectMany(c => c.Events).ToList();
        var findingCount = customers.Sum(c => c.Findings.Count);
        var severities = new Distribution("anomalySeverity",
            [.. Enum.GetValues<Severity>().Reverse().Select(s => new CountBy(s.ToString(), events.Count(e => e.Severity == s)))],
            new Explanation("anomalySeverity", "count of anomaly events per severity, customer level", [new("events", Num(events.Count)), new("detector findings", Num(findingCount)), new("customers", Num(n))],
                "Each customer's detector findings on the combined flow merged into events (one per real-world event); severity by " + AnomalyEvents.SeverityRule + ".",
                Num(events.Count)));
        var detectors = new Distribution("anomalyDetector",
            [.. events.SelectMany(e => e.Detectors).GroupBy(d => d).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => new CountBy(g.Key, g.Count()))],
            new Explanation("anomalyDetector", "count of anomaly events each detector found (an event found by two detectors counts under both)", [new("events", Num(events.Count))],
                "robust-z and seasonal-residual flag months, txn-spike single transactions, round-trip money that went out and came back.",
                Num(events.Count)));

        var cvs = customers.Where(c => c.Metrics.IncomeCv is not null).Select(c => c.Metrics.IncomeCv!.Value).Order().ToList();
        var bands = new List<CountBy>();
        var lower = 0m;
        foreach (var upper in CvBandBounds)
        {
            var lo = lower;
            bands.Add(new CountBy(Invariant($"{lo:0.0}–{upper:0.0}"), cvs.Count(v => v > lo && v <= upper || lo == 0m && v == 0m)));
            lower = upper;
        }
        bands.Add(new CountBy(Invariant($"> {lower:0.0}"), cvs.Count(v => v > lower)));
        bands.Add(new CountBy("unknown", n - cvs.Count));
        var incomeCv = new Distribution("incomeCv", bands,
            new Explanation("incomeCv", "count of customers per income CV band (lower bound exclusive, upper inclusive)",
                [new("customers with an income CV", Num(cvs.Count)), new("customers without (fewer than 2 complete months)", Num(n - cvs.Count))],
                "Income CV is the sample standard deviation of a customer's complete-month inflows over their mean.", Num(cvs.Count)));

        decimal? median = cvs.Count == 0 ? null : cvs.Count % 2 == 1 ? cvs[cvs.Count / 2] : Rounding.Ratio((cvs[cvs.Count / 2 - 1] + cvs[cvs.Count / 2]) / 2m);
        var medianWhy = new Explanation("medianIncomeCv", "median of the customers' income CV", [new("customers with an income CV", Num(cvs.Count))],
            median is null ? "No customer has 2 complete months yet." : Invariant($"Half the customers' monthly inflow strays less than {median:P1} from its mean."),
            median?.ToString(CultureInfo.InvariantCulture) ?? "null");

        var months = customers.SelectMany(c => c.Monthly.Where(m => m.Complete))
            .GroupBy(m => m.Month).OrderBy(g => g.Key)
            .Select(g => new MonthTotal(g.Key, g.Sum(m => m.Inflow), g.Count())).ToList();
        var trend = new InflowTrend(months, new Explanation("portfolioInflow", "Σ over customers of the month's inflow (combined accounts, own transfers removed), complete months only",
            [new("months", Num(months.Count)), new("customers", Num(n))],
            "Partial months at either end of a customer's coverage are left out so a short month does not read as a drop; the table shows how many customers each month sums.",
            Num(months.Count)));

        return new PortfolioFigures(n, tiers, severities, detectors, incomeCv, trend, median, medianWhy);
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
