namespace Msme.Domain.Consent;

/// <summary>Who may move a consent's status where. The customer grants and resumes consent in their AA app, never the lender.</summary>
public static class ConsentTransitions
{
    /// <summary>A change made by staff on the portal (the consent lineage screen).</summary>
    public const string Staff = "admin";
    /// <summary>The AA's Consent/Notification (or, with the AA connector, a status fetch).</summary>
    public const string Notification = "notification";
    /// <summary>The portal itself: consentExpiry has passed.</summary>
    public const string Expiry = "purge";

    /// <summary>What staff may set: they may only restrict a consent (PAUSED, REVOKED); ACTIVE comes only from the AA.</summary>
    public static readonly IReadOnlyList<ConsentStatus> StaffTargets = [ConsentStatus.Paused, ConsentStatus.Revoked];

    /// <summary>Why the change may not happen, or null when it may. Same status and a missing reason are the caller's to check.</summary>
    public static string? Refusal(ConsentStatus from, ConsentStatus to, string source)
    {
        if (from is ConsentStatus.Revoked or ConsentStatus.Expired)
        {
            return $"a {Upper(from)} consent is final; the customer must give a new consent";
        }
        return source switch
        {
            Staff when !StaffTargets.Contains(to) =>
                $"staff may only restrict a consent (PAUSED or REVOKED); {Upper(to)} comes only from the Account Aggregator, when the customer resumes it there",
            Expiry when to != ConsentStatus.Expired => $"expiry only sets EXPIRED, not {Upper(to)}",
            Staff or Notification or Expiry => null,
            _ => $"unknown source '{source}'",
        };
    }

    private static string Upper(ConsentStatus s) => s.ToString().ToUpperInvariant();
}
