using System.Globalization;
using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.DemoData;
using Xunit.Abstractions;

namespace Msme.Domain.Tests.Analytics.Events;

/// <summary>
/// The events against what the demo generator planted, on the demo book the portal loads (200 customers, 18 months,
/// seed 42) as of 2026-11: a window with Diwali in October 2025 and in November 2026, so the festival moves inside it.
/// </summary>
public class PrecisionRecallTests(ITestOutputHelper output)
{
    public const double RecallTarget = 0.9;
    public const double FalseEventsPerCleanYearTarget = 0.5;
    public const double OpenHighPerCustomerYearTarget = 1.0;

    /// <summary>MSME_EVENTS_DEBUG=1 prints every false event and every missed plant to stderr (what the rules were tuned on).</summary>
    private static bool Debug => Environment.GetEnvironmentVariable("MSME_EVENTS_DEBUG") == "1";

    /// <summary>The measured figures (the README quotes them).</summary>
    public sealed record Measured(int Planted, int Found, double Recall, int CleanCustomers, double CleanYears, int FalseEvents, double FalsePerCleanYear,
        int Events, int Findings, int High, double CustomerYears, double HighPerCustomerYear, string Table);

    public static Measured Measure(DateOnly asOf, int customers = 200, int months = 18, int seed = 42)
    {
        var book = DemoGenerator.Generate(new DemoOptions(asOf, customers, months, seed)).ToList();
        var results = new (DemoCustomer Customer, CustomerInsights Insights)[book.Count];
        Parallel.For(0, book.Count, i => results[i] = (book[i], CustomerInsights.Build(book[i].Accounts, book[i].Customer.LegalName)));

        var byKind = new Dictionary<PlantedKind, (int Planted, int Found)>();
        var eventRows = new Dictionary<(string Truth, Severity Severity), int>();
        var byTiming = new Dictionary<TimingArchetype, (double Years, int False)>();
        int planted = 0, found = 0, falseEvents = 0, cleanCustomers = 0, events = 0, findings = 0, high = 0, highFindings = 0, explained = 0;
        double cleanYears = 0, customerYears = 0;
        foreach (var (customer, insights) in results)
        {
            var report = insights.Combined.Anomalies;
            var years = insights.Combined.Contract.Monthly.Count(m => m.Complete) / 12.0;
            customerYears += years;
            events += report.Events.Count;
            findings += report.Findings.Count;
            highFindings += report.Findings.Count(f => f.Severity == Severity.High);
            explained += report.Explained.Count;
            high += report.Events.Count(e => e.Severity == Severity.High);
            var anomalies = customer.Planted.Where(p => p.IsAnomaly).ToList();
            var clean = anomalies.Count == 0 && customer.Trend != IncomeTrend.Declining;
            if (clean)
            {
                cleanCustomers++;
                cleanYears += years;
                var (y, fe) = byTiming.GetValueOrDefault(customer.Timing);
                byTiming[customer.Timing] = (y + years, fe);
            }
            foreach (var p in anomalies)
            {
                var hit = report.Events.Any(p.Matches);
                if (!hit && Debug)
                    Console.Error.WriteLine($"MISSED {customer.Index} {customer.Archetype} {customer.Trend} {p.Kind} {p.Month} {p.Note} findings: {string.Join(" ; ", report.Findings.Where(f => f.Month == p.Month).Select(f => f.Detector + " " + f.Subject + " " + f.DeviationPct))}");
                planted++;
                if (hit) found++;
                var (n, f) = byKind.GetValueOrDefault(p.Kind);
                byKind[p.Kind] = (n + 1, f + (hit ? 1 : 0));
            }
            foreach (var e in report.Events)
            {
                var truth = anomalies.Any(p => p.Matches(e)) ? "planted anomaly"
                    : customer.Planted.Any(p => p.Kind == PlantedKind.Decline && p.Matches(e)) ? "declining business"
                    : customer.Planted.Any(p => p.Kind == PlantedKind.FestiveSeason && p.Matches(e)) ? "festive season (false)"
                    : "nothing planted (false)";
                if (clean && truth.EndsWith("(false)", StringComparison.Ordinal))
                {
                    falseEvents++;
                    var (y, fe) = byTiming[customer.Timing];
                    byTiming[customer.Timing] = (y, fe + 1);
                }
                if (Debug && truth.EndsWith("(false)", StringComparison.Ordinal))
                    Console.Error.WriteLine($"FALSE{(clean ? "-CLEAN" : "")} {customer.Index} {customer.Archetype} {customer.Timing} {customer.Trend} {e.Period} {e.KindName} {e.Severity} [{string.Join(",", e.Detectors)}] {e.Explanation.Narrative} || {string.Join(" ; ", e.Findings.Where(f => f.Date is null).Select(f => $"{f.Detector} {f.Subject} {f.Value:0} exp {f.Expected:0} {f.DeviationPct:0}%"))} || {string.Join(" ; ", e.Findings.Where(f => f.Detector == "txn-spike").Select(f => f.Explanation.Inputs.First(i => i.Label == "narration").Value + " " + f.Explanation.Inputs.First(i => i.Label == "classified").Value))}");
                eventRows[(truth + (clean ? ", clean customer" : ""), e.Severity)] = eventRows.GetValueOrDefault((truth + (clean ? ", clean customer" : ""), e.Severity)) + 1;
            }
        }

        var table = new System.Text.StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture,
            $"customers {results.Length}, customer-years {customerYears:0.0}; detector findings {findings} ({highFindings} High); events {events} ({high} High); explained, not raised {explained}");
        table.AppendLine("planted anomaly        planted  found");
        foreach (var (kind, (n, f)) in byKind.OrderBy(k => k.Key))
            table.AppendLine(CultureInfo.InvariantCulture, $"{kind,-22} {n,7}  {f,5}");
        table.AppendLine("events by truth                                  High  Medium  Low");
        foreach (var truth in eventRows.Keys.Select(k => k.Truth).Distinct().Order(StringComparer.Ordinal))
            table.AppendLine(CultureInfo.InvariantCulture,
                $"{truth,-48} {eventRows.GetValueOrDefault((truth, Severity.High)),4}  {eventRows.GetValueOrDefault((truth, Severity.Medium)),6}  {eventRows.GetValueOrDefault((truth, Severity.Low)),3}");
        table.AppendLine("clean customers by timing archetype   customer-years  false events  per year");
        foreach (var (timing, (y, fe)) in byTiming.OrderBy(k => k.Key))
            table.AppendLine(CultureInfo.InvariantCulture, $"{timing,-37} {y,14:0.0}  {fe,12}  {(y == 0 ? 0 : fe / y),8:0.000}");
        return new Measured(planted, found, planted == 0 ? 0 : (double)found / planted, cleanCustomers, cleanYears, falseEvents,
            cleanYears == 0 ? 0 : falseEvents / cleanYears, events, findings, high, customerYears, customerYears == 0 ? 0 : high / customerYears, table.ToString());
    }

    [Fact]
    public void Events_on_the_demo_book_find_the_planted_anomalies_and_little_else()
    {
        var m = Measure(new DateOnly(2026, 11, 15));
        output.WriteLine(m.Table);
        output.WriteLine(FormattableString.Invariant(
            $"recall {m.Found}/{m.Planted} = {m.Recall:0.000}; false events on {m.CleanCustomers} clean customers: {m.FalseEvents} in {m.CleanYears:0.0} customer-years = {m.FalsePerCleanYear:0.000} per customer-year; High {m.High} = {m.HighPerCustomerYear:0.000} per customer-year"));

        Assert.True(m.Planted >= 60, $"only {m.Planted} planted anomalies: the measure would say little");
        Assert.True(m.CleanCustomers >= 40, $"only {m.CleanCustomers} clean customers");
        Assert.True(m.Recall >= RecallTarget, $"recall {m.Recall:0.000} < {RecallTarget}");
        Assert.True(m.FalsePerCleanYear <= FalseEventsPerCleanYearTarget, $"{m.FalsePerCleanYear:0.000} false events per clean customer-year > {FalseEventsPerCleanYearTarget}");
        Assert.True(m.HighPerCustomerYear <= OpenHighPerCustomerYearTarget, $"{m.HighPerCustomerYear:0.000} High events per customer-year > {OpenHighPerCustomerYearTarget}");
    }
}
