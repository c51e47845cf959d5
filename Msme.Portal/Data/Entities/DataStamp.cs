namespace Msme.Portal.Data.Entities;

/// <summary>
/// A customer's data version: bumped by database triggers in the same transaction as every write the customer's
/// analysis depends on (consents, fetch sessions and purges, accounts, the loan book, anomaly reviews), whichever
/// process or connection makes it. Row 0 (<see cref="Global"/>) is bumped by every such write.
/// </summary>
public class DataStamp
{
    /// <summary>The row every write bumps: "anything changed".</summary>
    public const int Global = 0;

    public int CustomerId { get; set; }
    public long Version { get; set; }
}
