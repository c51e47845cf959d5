namespace Msme.AaSimulator;

/// <summary>Where the simulated AA finds a customer's linked accounts and their statements (the FIPs' side).</summary>
public interface ISimulatedAaSource
{
    /// <summary>The customer registered under this AA handle (<c>user@aa</c>), or null when the AA does not know it.</summary>
    SimulatedCustomer? Find(string customerHandle);
}

/// <summary>A customer known to the simulated AA, with the accounts linked across FIPs.</summary>
public sealed record SimulatedCustomer(string Handle, IReadOnlyList<SimulatedAccount> Accounts);

/// <summary>
/// One linked account at one FIP. <paramref name="Render"/> returns the FI document for the range [from, to] with only
/// the transactions inside it (what the FIP sends for an FI request over that range).
/// </summary>
public sealed record SimulatedAccount(
    string FipId,
    string LinkRefNumber,
    string MaskedAccNumber,
    string FiType,
    string AccType,
    Func<DateTimeOffset, DateTimeOffset, SimulatedDocument> Render);

/// <summary>A plaintext FI document: ReBIT deposit JSON or XML bytes.</summary>
public sealed record SimulatedDocument(byte[] Bytes, string ContentType /* application/json | application/xml */);
