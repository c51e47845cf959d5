using Msme.Domain;
using Msme.Domain.DemoData;

namespace Msme.Portal.Features.Admin;

/// <summary>Writes the demo generator's customers as folder bundles plus the loan book: what the loader and the CLI share.</summary>
public static class DemoDataset
{
    public const string LoanBookFile = "loan-book.json";

    /// <summary>The demo's last covered month is the one before today's (IST), so no transaction lies in the future.</summary>
    public static DateOnly DefaultAsOf(TimeProvider clock)
    {
        // The demo's fetches fall in the small hours after the as-of date and the importer refuses fetches from the
        // future: on the first of a month the month before last is the latest whose fetches have surely happened.
        var today = IndianTime.Today(clock);
        var monthEnd = new DateOnly(today.Year, today.Month, 1).AddDays(-1);
        return monthEnd.AddDays(1) < today ? monthEnd : new DateOnly(monthEnd.Year, monthEnd.Month, 1).AddDays(-1);
    }

    public const string BundlesFolder = "bundles";

    /// <summary>Bundles go to DIR/bundles (what the import verb takes), the lender's loan book to DIR/loan-book.json.</summary>
    public static IEnumerable<string> Write(DemoOptions options, string directory)
    {
        var bundles = Path.Combine(directory, BundlesFolder);
        Directory.CreateDirectory(bundles);
        foreach (var customer in DemoGenerator.Generate(options))
        {
            var bundle = Path.Combine(bundles, $"customer-{customer.Index:D5}");
            DemoBundleWriter.Write(customer, bundle);
            yield return bundle;
        }
        DemoBundleWriter.WriteLoanBook(DemoGenerator.Generate(options), Path.Combine(directory, LoanBookFile));
    }
}
