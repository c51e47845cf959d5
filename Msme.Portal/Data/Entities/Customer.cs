namespace Msme.Portal.Data.Entities;

/// <summary>The lender's customer: an MSME, known on the AA network by its handle.</summary>
public class Customer
{
    public int Id { get; set; }
    public required string AaHandle { get; set; }
    public string? LegalName { get; set; }
    public string? Pan { get; set; }
    public string? Udyam { get; set; }
    public string? BusinessCategory { get; set; }
    public string? Scale { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public List<Account> Accounts { get; set; } = [];
    public List<ConsentRecord> Consents { get; set; } = [];
}
