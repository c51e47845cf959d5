using System.Globalization;
using Msme.Domain.Collections;
using MudBlazor;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Collections;

/// <summary>How collections figures read on screen: probabilities as percentages, statuses and actions in words, chip colours.</summary>
public static class CollectionFormat
{
    public static string Probability(double? p) => p is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Status(CollectionStatus s) => s switch
    {
        CollectionStatus.AtRisk => "At risk",
        CollectionStatus.HighRisk => "High risk",
        _ => s.ToString(),
    };

    public static Color StatusColor(CollectionStatus s) => s switch
    {
        CollectionStatus.Likely or CollectionStatus.Collected => Color.Success,
        CollectionStatus.Scheduled => Color.Info,
        CollectionStatus.AtRisk => Color.Warning,
        _ => Color.Error,
    };

    public static string Bucket(DpdBucket b) => Delinquency.Name(b);

    public static string Action(Recommendation r) => r.Action switch
    {
        RecommendedAction.ShiftPresentment => $"Present on {r.Date:dd MMM}",
        RecommendedAction.PresentOnDueDate => "Present on due date",
        RecommendedAction.UpiLinkBeforeCreditDay => $"UPI link on {r.Date:dd MMM}",
        RecommendedAction.Reminder => $"Reminder on {r.Date:dd MMM}",
        RecommendedAction.Call => "Call",
        RecommendedAction.FieldVisit => "Field visit",
        _ => "Refer for restructuring",
    };

    public static string Effect(double e) => e.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    public static string Window(PresentmentWindow? w) => w is null ? "—"
        : w.From == w.To ? w.From.ToString("dd MMM", CultureInfo.InvariantCulture)
        : $"{w.From.ToString("dd", CultureInfo.InvariantCulture)}–{w.To.ToString("dd MMM", CultureInfo.InvariantCulture)}";

    public static string Disposition(Disposition d) => d switch
    {
        Data.Entities.Disposition.NotReachable => "Not reachable",
        Data.Entities.Disposition.WrongNumber => "Wrong number",
        Data.Entities.Disposition.PromiseToPay => "Promise to pay",
        _ => d.ToString(),
    };

    public static Color PtpColor(PtpState s) => s switch
    {
        PtpState.Kept => Color.Success,
        PtpState.Broken => Color.Error,
        _ => Color.Info,
    };
}
