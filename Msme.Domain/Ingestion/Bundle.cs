using Msme.Domain.Consent;
using Msme.Domain.Ingestion.Reading;

namespace Msme.Domain.Ingestion;

/// <summary>One file received as part of a bundle, hashed as it was on disk.</summary>
public sealed record BundleFile(string Name, string FullPath, string Role /* "manifest"|"consent"|"fi"|"envelope" */, string ContentType, long Size, string Sha256Hex);

/// <summary>What opening a bundle gave: the bundle when it is acceptable, and every issue found on the way.</summary>
public sealed record BundleOpenResult(Bundle? Bundle, IReadOnlyList<IngestionIssue> Issues)
{
    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);
}

/// <summary>The outcome of streaming a bundle's documents: issues plus what passed and what the DataFilter dropped.</summary>
public sealed record BundleReadResult(IReadOnlyList<IngestionIssue> Issues, int TransactionsRead, int TransactionsFilteredOut)
{
    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);
}

/// <summary>An opened, validated AA delivery: customer, consent, fetch session and the FI documents, read on demand.</summary>
public sealed class Bundle
{
    private readonly IReadOnlyList<BundleFile> _documents;
    private readonly bool _envelope;
    private readonly HeldFiles _held;

    internal Bundle(string name, CustomerInfo customer, ConsentDetail consent, FetchSessionInfo session, IReadOnlyList<BundleFile> files, bool envelope, HeldFiles held)
    {
        _held = held;
        Name = name;
        Customer = customer;
        Consent = consent;
        Session = session;
        Files = files;
        _envelope = envelope;
        _documents = files.Where(f => f.Role is "fi" or "envelope").ToList();
    }

    public string Name { get; }

    public CustomerInfo Customer { get; }

    public ConsentDetail Consent { get; }

    public FetchSessionInfo Session { get; }

    /// <summary>Every file received, hashed (SHA-256 of the bytes every reader of this bundle sees).</summary>
    public IReadOnlyList<BundleFile> Files { get; }

    /// <summary>
    /// The file's bytes exactly as they were hashed, while the bundle holds them (files up to
    /// <see cref="HeldFiles.MaxHeldBytes"/>, until <see cref="ReleaseContent"/>); false otherwise, and the file is read from disk.
    /// </summary>
    public bool TryGetContent(BundleFile file, out ReadOnlyMemory<byte> content) => _held.TryGet(file.FullPath, out content);

    /// <summary>
    /// Gives the held bytes back to the buffer pool. The owner calls it once it is done reading (documents parsed, bytes
    /// stored); any later read goes to the files on disk. Nothing read from <see cref="TryGetContent"/> may be used after.
    /// </summary>
    public void ReleaseContent() => _held.Release();

    /// <summary>
    /// Streams every FI document into the sink through the consent gate. Can be called again (from the held bytes, or
    /// the files reopened once released): a caller may validate first and import second.
    /// </summary>
    public BundleReadResult ReadDocuments(IDepositSink sink)
    {
        var all = new List<IngestionIssue>();
        int read = 0, filtered = 0;
        var options = new ReadOptions { DefaultFipId = Session.FipId, Envelope = _envelope };
        foreach (var file in _documents)
        {
            var issues = new IssueCollector(file.Name);
            var gate = new ConsentGate(sink, Consent, Session, issues);
            using (var stream = _held.Open(file.FullPath))
            {
                DepositDocumentReader.Read(stream, issues, gate, options);
            }

            all.AddRange(issues.ToList());
            read += gate.Passed;
            filtered += gate.FilteredOut;
        }

        return new BundleReadResult(all, read, filtered);
    }
}
