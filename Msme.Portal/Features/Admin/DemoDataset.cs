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
        var today = IndianTime.Today(clock);
        return new DateOnly(today.Year, today.Month, 1).AddDays(-1);
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
