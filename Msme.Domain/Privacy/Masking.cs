using System.Text.RegularExpressions;
using Msme.Domain.Analytics.Classification;

namespace Msme.Domain.Privacy;

/// <summary>What one role may see of a customer's personal fields and raw AA data, and for which use its analytics are computed.</summary>
public sealed record DisclosurePolicy(bool Pan, bool Mobile, bool Email, bool Counterparties, bool RawData)
{
    /// <summary>
    /// The data use a role's analytics (insights, explanations, anomalies, the analytics contract) are computed under.
    /// Agents collect on existing loans: monitoring only (purpose 104), never underwriting data. The roles that review
    /// credit (risk managers, compliance, admins) are exactly those that see counterparties, and they get underwriting
    /// (103, 104 or 105); a user without a role gets the narrower use and, elsewhere, nothing.
    /// </summary>
    public Consent.DataUse AnalyticsUse => Counterparties ? Consent.DataUse.Underwriting : Consent.DataUse.Monitoring;

    /// <summary>
    /// Agents call customers (mobile) but need neither PAN, e-mail nor who the customer trades with; risk managers
    /// judge concentration (counterparties) but need no contact details; compliance and admins see everything,
    /// including the raw AA documents, because auditing and support require it.
    /// </summary>
    public static DisclosurePolicy For(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        if (set.Contains(Roles.Compliance) || set.Contains(Roles.Admin))
        {
            return new(true, true, true, true, true);
        }
        var risk = set.Contains(Roles.RiskManager);
        var agent = set.Contains(Roles.Agent);
        return new(Pan: false, Mobile: agent, Email: false, Counterparties: risk, RawData: false);
    }
}

/// <summary>Masks personal fields for display. Pure string functions; the policy decides which apply.</summary>
public static partial class Masking
{
    /// <summary>AAAPS1234K → AAXXXXX34K: the entity-type letter and the check character stay recognisable.</summary>
    public static string? Pan(string? pan) => pan is null || pan.Length < 5 ? pan : pan[..2] + new string('X', pan.Length - 5) + pan[^3..];

    /// <summary>9172939192 → XXXXXX9192.</summary>
    public static string? Mobile(string? mobile) => mobile is null || mobile.Length < 4 ? mobile : new string('X', mobile.Length - 4) + mobile[^4..];

    /// <summary>ram.sapan@gmail.com → r***@gmail.com.</summary>
    public static string? Email(string? email)
    {
        var at = email?.IndexOf('@') ?? -1;
        return at <= 0 ? email : email![..1] + "***" + email[at..];
    }

    /// <summary>
    /// Hides who the customer deals with: the counterparty name the classifier reads from the narration becomes its
    /// initials, UPI handles lose their user part, and long digit runs (phone numbers, references) keep their last four.
    /// </summary>
    public static string? Narration(string? narration)
    {
        if (string.IsNullOrEmpty(narration))
        {
            return narration;
        }
        // Handles first: a name may also be the handle's user part.
        var masked = VpaPattern().Replace(narration, m => "***@" + m.Groups[2].Value);
        if (CounterpartyExtractor.Extract(narration) is { Length: > 1 } name)
        {
            masked = masked.Replace(name, Initials(name), StringComparison.OrdinalIgnoreCase);
        }
        return DigitsPattern().Replace(masked, m => new string('X', m.Length - 4) + m.Value[^4..]);
    }

    public static string? Counterparty(string? name) => string.IsNullOrEmpty(name) ? name : Initials(name);

    /// <summary>UPI handles lose their user part (name@bank → ***@bank); nothing else changes.</summary>
    public static string Handles(string text) => VpaPattern().Replace(text, m => "***@" + m.Groups[2].Value);

    private static string Initials(string name) =>
        string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + "***"));

    [GeneratedRegex(@"([A-Za-z0-9._\-]+)@([A-Za-z][A-Za-z0-9.\-]*)")]
    private static partial Regex VpaPattern();

    [GeneratedRegex(@"\d{6,}")]
    private static partial Regex DigitsPattern();
}
