namespace Msme.Domain.Ecosystem;

/// <summary>Who the customer is, as the lender's customer record knows it (from the AA profile and the onboarding manifest).</summary>
/// <param name="Category">OCEN borrower category: INDIVIDUAL for a proprietor's personal PAN, ORGANIZATION otherwise; null without a valid PAN.</param>
/// <param name="Scale">Udyam scale: MICRO, SMALL or MEDIUM.</param>
/// <param name="BusinessCategory">SERVICE, MANUFACTURING or TRADING.</param>
public sealed record BorrowerProfile(string? Pan, string? Name, string? Category, string AaHandle, string? Udyam, string? Scale, string? BusinessCategory)
{
    /// <summary>
    /// Builds the profile, deriving the category from the PAN's fourth character (the holder type): P (person) is a
    /// proprietor borrowing in their own name, INDIVIDUAL; C, F, H, A, T, B, L, J, G (company, firm, HUF, ...) are
    /// ORGANIZATION. Done before any masking, which hides that character.
    /// </summary>
    public static BorrowerProfile Create(string? pan, string? name, string aaHandle, string? udyam, string? scale, string? businessCategory) =>
        new(pan, name, CategoryOf(pan), aaHandle, udyam, scale, businessCategory);

    public static string? CategoryOf(string? pan) =>
        pan is { Length: 10 } && char.IsAsciiLetterUpper(pan[3])
            ? pan[3] == 'P' ? "INDIVIDUAL" : "ORGANIZATION"
            : null;
}
