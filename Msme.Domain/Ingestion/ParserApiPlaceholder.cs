// Placeholder for the streaming parser's public surface, so the importer can be written against it while the
// parser is built on its own branch. Removed when the parser lands.
using Msme.Domain.Consent;

namespace Msme.Domain.Ingestion;

public sealed record AccountKey(string? FipId, string? LinkedAccRef, string MaskedAccNumber);

public interface IDepositSink
{
    void BeginAccount(AccountKey key);
    void OnTransaction(AccountKey key, Transaction txn);
    void EndAccount(DepositAccount header);
}

public sealed record DepositParseResult(IReadOnlyList<DepositAccount> Accounts, IReadOnlyList<IngestionIssue> Issues)
{
    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);
}

public static class DepositDocumentReader
{
    public static IReadOnlyList<IngestionIssue> Read(Stream stream, string fileName, IDepositSink sink) => throw new NotImplementedException();
    public static DepositParseResult ReadAll(Stream stream, string fileName) => throw new NotImplementedException();
}

public sealed record BundleOpenResult(Bundle? Bundle, IReadOnlyList<IngestionIssue> Issues);
public sealed record BundleFile(string Name, string FullPath, string Role, string ContentType, long Size, string Sha256Hex);
public sealed record BundleReadResult(IReadOnlyList<IngestionIssue> Issues, int TransactionsRead, int TransactionsFilteredOut);

public sealed class Bundle
{
    public string Name { get; } = "";
    public CustomerInfo Customer { get; } = null!;
    public ConsentDetail Consent { get; } = null!;
    public FetchSessionInfo Session { get; } = null!;
    public IReadOnlyList<BundleFile> Files { get; } = [];
    public BundleReadResult ReadDocuments(IDepositSink sink) => throw new NotImplementedException();
}

public static class BundleReader
{
    public static BundleOpenResult Open(string path, string? consentPath, TimeProvider clock) => throw new NotImplementedException();
}
