using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Msme.Domain.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// The exact bytes of every file received, content-addressed by SHA-256 under DATA/payloads. Kept as files rather
/// than SQLite blobs: SQLite writes a blob twice (WAL, then checkpoint) and large blobs are faster outside the
/// database; the database keeps the hash, so the pair stays verifiable.
/// </summary>
/// <remarks>
/// No file outlives its rows: an import stages the bytes in a spool folder of its own (DATA/payloads/.spool/ID) and
/// promotes them only after the transaction that writes their RawPayloads rows has committed; a rejected bundle's
/// bytes are deleted with the spool. <see cref="Sweep"/> (at start-up) removes payload files no row names and spool
/// folders a crash left behind.
/// </remarks>
public sealed class PayloadStore(IOptions<MsmeOptions> options)
{
    private const string LockFile = ".lock";

    private string Root => Path.Combine(options.Value.ResolveDataDirectory(), "payloads");

    /// <summary>Where imports stage their files until they commit; one folder per import.</summary>
    public string SpoolRoot => Path.Combine(Root, ".spool");

    public string PathOf(string sha256Hex) => Path.Combine(Root, sha256Hex[..2], sha256Hex + ".bin");

    /// <summary>A spool for one import: held (locked) until disposed, then deleted with whatever was not promoted.</summary>
    public PayloadSpool OpenSpool() => new(this, Path.Combine(SpoolRoot, Guid.NewGuid().ToString("N")));

    public Stream? OpenRead(string sha256Hex) => File.Exists(PathOf(sha256Hex)) ? File.OpenRead(PathOf(sha256Hex)) : null;

    public void Delete(string sha256Hex) => File.Delete(PathOf(sha256Hex));

    /// <summary>
    /// Moves a staged file into the store; a staged file that is not there (promoted already: the same bytes named twice
    /// in one import) is passed over. One rename, no look before it (issue 17: three stats a file on the import's writer
    /// thread were a tenth of its cost per bundle): content-addressed bytes that are already in the store are replaced
    /// by the same bytes, atomically.
    /// </summary>
    internal void Promote(string staged, string sha256Hex)
    {
        var target = PathOf(sha256Hex);
        try
        {
            Move(staged, target);
        }
        catch (DirectoryNotFoundException) when (!Directory.Exists(Path.GetDirectoryName(target)))
        {
            // The first file of its prefix: the folder is made when a move finds it missing, not made (a stat and a
            // mkdir) before every move on the import's writer thread (issue 17).
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Move(staged, target);
        }

        static void Move(string staged, string target)
        {
            try
            {
                File.Move(staged, target, overwrite: true);
            }
            catch (FileNotFoundException)
            {
                // Nothing staged under this hash any more: an earlier bundle of this import promoted it.
            }
            catch (IOException) when (File.Exists(target))
            {
                // The same bytes are in the store and could not be replaced (a platform that refuses to replace an open file).
            }
        }
    }

    /// <summary>
    /// Removes what no row accounts for. Spool folders of a crashed import: a file a committed row names (the crash came
    /// between commit and promotion) is promoted, the rest deleted; a spool still locked by a live import (this or
    /// another process) is left alone. Payload files: listed first, then the rows read, so a file promoted meanwhile
    /// (its rows committed before it moved) is never taken for an orphan.
    /// </summary>
    /// <param name="heldHashes">Reads the SHA-256 of every RawPayloads row whose content is held.</param>
    public SweepResult Sweep(Func<IReadOnlySet<string>> heldHashes)
    {
        if (!Directory.Exists(Root))
        {
            return new SweepResult(0, 0, 0);
        }
        var files = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(SpoolRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
        var held = heldHashes();
        int spools = 0, promoted = 0, orphans = 0;
        foreach (var spool in Directory.Exists(SpoolRoot) ? Directory.GetDirectories(SpoolRoot) : [])
        {
            if (!TryClaim(spool, out var claim))
            {
                continue;
            }
            using (claim)
            {
                foreach (var staged in Directory.EnumerateFiles(spool).Where(f => Path.GetFileName(f) != LockFile))
                {
                    var sha = Path.GetFileNameWithoutExtension(staged);
                    if (held.Contains(sha) && !File.Exists(PathOf(sha)))
                    {
                        Promote(staged, sha);
                        promoted++;
                    }
                }
            }
            Directory.Delete(spool, recursive: true);
            spools++;
        }
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var sha = name.EndsWith(".bin", StringComparison.Ordinal) ? name[..^4] : null;
            if (sha is null || !held.Contains(sha))
            {
                File.Delete(file);
                orphans++;
            }
        }
        return new SweepResult(spools, promoted, orphans);
    }

    /// <summary>Takes a spool's lock; false when a live import holds it.</summary>
    private static bool TryClaim(string spool, out FileStream? claim)
    {
        try
        {
            claim = new FileStream(Path.Combine(spool, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            claim = null;
            return false;
        }
    }

    internal static FileStream Lock(string spool)
    {
        Directory.CreateDirectory(spool);
        return new FileStream(Path.Combine(spool, LockFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
    }
}

/// <summary>What a start-up sweep removed: crashed imports' spool folders, files promoted from them, and payload files no row named.</summary>
public sealed record SweepResult(int SpoolFoldersRemoved, int FilesPromoted, int OrphanFilesDeleted);

/// <summary>
/// One import's staging folder. The feed stages each bundle's files here while it parses; the importer promotes a
/// bundle's files once its batch has committed. Disposing deletes the folder and everything not promoted.
/// </summary>
public sealed class PayloadSpool : IDisposable
{
    private readonly PayloadStore _store;
    private readonly FileStream _lock;

    internal PayloadSpool(PayloadStore store, string folder)
    {
        _store = store;
        Folder = folder;
        _lock = PayloadStore.Lock(folder);
    }

    public string Folder { get; }

    /// <summary>Copies the file in from disk, checking on the way that its bytes still hash to what the reader saw.</summary>
    public void Stage(BundleFile file) => Stage(file, null);

    /// <summary>
    /// Copies the file in. With <paramref name="content"/> (the bytes the reader hashed and parses, held by the bundle:
    /// <see cref="Bundle.TryGetContent"/>) they are written as they are, nothing read again; the caller vouches that they
    /// are the hashed bytes. Without, the file is read from disk and checked against its hash on the way.
    /// </summary>
    internal void Stage(BundleFile file, ReadOnlyMemory<byte>? content)
    {
        if (content is { Length: var length } && length != file.Size)
        {
            throw new ArgumentException($"{file.Name}: {length} bytes given for a file of {file.Size}", nameof(content));
        }
        var target = StagedPath(file.Sha256Hex);
        if (File.Exists(target) || File.Exists(_store.PathOf(file.Sha256Hex)))
        {
            return;
        }
        // A temp name per thread: bundles are parsed in parallel, and two of them may carry the same bytes (a shared consent).
        var temp = $"{target}.{Environment.CurrentManagedThreadId}.tmp";
        if (content is { } bytes)
        {
            using (var destination = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                destination.Write(bytes.Span);
            }
            File.Move(temp, target, overwrite: true);
            return;
        }
        // One pooled 64 KiB buffer and unbuffered streams: a new buffer per file (and the streams' own 4 KiB each) was a
        // fifth of the import's allocations, three files a bundle (issue 17).
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var source = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            using var destination = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int n;
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                destination.Write(buffer, 0, n);
            }
            if (!Convert.ToHexStringLower(hash.GetHashAndReset()).Equals(file.Sha256Hex, StringComparison.Ordinal))
            {
                destination.Dispose();
                File.Delete(temp);
                throw new IOException($"{file.Name} changed while it was being imported");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>After the commit: the bundle's files move into the store.</summary>
    public void Promote(IEnumerable<BundleFile> files)
    {
        foreach (var file in files)
        {
            _store.Promote(StagedPath(file.Sha256Hex), file.Sha256Hex);
        }
    }

    private string StagedPath(string sha256Hex) => Path.Combine(Folder, sha256Hex + ".bin");

    public void Dispose()
    {
        _lock.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // The start-up sweep removes what is left.
        }
    }
}
