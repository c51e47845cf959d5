namespace Msme.Portal.Data.Entities;

/// <summary>
/// A customer's collections queue rows (forecasts, windows, recommendations) as last computed, so a restarted
/// instance serves the queue from the store and recomputes only the customers whose data changed. Usable only under
/// the data stamp it was computed from: the reader compares <see cref="StampVersion"/> with the customer's current
/// <see cref="DataStamp"/> and <see cref="Sessions"/> with the sessions monitoring may use now; a trigger deletes the
/// row in the same transaction as any bump of the customer's stamp (a revocation, pause, purge, import, loan book
/// change), and a row is written only while its version is still the current one.
/// </summary>
public class ForecastSnapshot
{
    public int CustomerId { get; set; }

    /// <summary>The customer's <see cref="DataStamp.Version"/> the rows were computed under.</summary>
    public long StampVersion { get; set; }

    /// <summary>The fetch sessions monitoring could use then, ascending ids joined by commas (the clock's part of the stamp).</summary>
    public string Sessions { get; set; } = "";

    /// <summary>The as-of date, the model version and the measured action effects the rows were computed with.</summary>
    public string Key { get; set; } = "";

    /// <summary>The rows, UTF-8 JSON.</summary>
    public byte[] Payload { get; set; } = [];

    public long ComputedAtUnixMs { get; set; }
}
