using System.Buffers;
using System.Security.Cryptography;

namespace Msme.Domain.Ingestion;

/// <summary>
/// A bundle's files read once: each file up to <see cref="MaxHeldBytes"/> (while the bundle holds no more than
/// <see cref="MaxBundleBytes"/> in all) is read into one pooled buffer, hashed from it, and every later reader (the
/// envelope scan, the manifest and consent parsers, the type sniff, the documents' parse, the payload store's copy)
/// reads that same buffer. What is parsed and stored is then exactly what was hashed, with no window for the file to
/// change between the reads; and a bundle costs one read of each file instead of four or five (issue 17). Larger files,
/// and files past the bundle's budget, are hashed as a stream and read from disk again where needed, so the memory a
/// bundle holds is bounded however large its files are.
/// </summary>
/// <remarks>
/// <see cref="Release"/> returns the buffers to the pool, cleared (they held a customer's statements); after it every
/// reader falls back to the file on disk. Only the bundle's owner calls it, once nothing it opened from these buffers is
/// still being read.
/// </remarks>
internal sealed class HeldFiles(int maxHeldBytes = HeldFiles.MaxHeldBytes, long maxBundleBytes = HeldFiles.MaxBundleBytes)
{
    /// <summary>Files up to this size are held in memory while their bundle is open; a bundle's FI documents are usually far smaller.</summary>
    public const int MaxHeldBytes = 16 << 20;

    /// <summary>What one bundle holds at most; files beyond it are read from disk (a reader thread holds one bundle at a time).</summary>
    public const long MaxBundleBytes = 32 << 20;

    private readonly Dictionary<string, (byte[] Buffer, int Length, string Sha256Hex)> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Size, string Sha256Hex)> _streamed = new(StringComparer.Ordinal);
    private long _heldBytes;
    private bool _released;

    /// <summary>
    /// Reads the file (holding its bytes when it fits) and returns its size and SHA-256, both of the bytes read. A file
    /// read before in this bundle is not read again: every reader sees what was hashed the first time.
    /// </summary>
    public (long Size, string Sha256Hex) Read(string fullPath)
    {
        lock (_files)
        {
            if (_files.TryGetValue(fullPath, out var known))
            {
                return (known.Length, known.Sha256Hex);
            }
            if (_streamed.TryGetValue(fullPath, out var seen))
            {
                return seen;
            }
        }
        using var file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var length = file.CanSeek ? file.Length : long.MaxValue;
        if (length <= maxHeldBytes && Reserve(length))
        {
            // One byte more than the file's length: a file that grows while it is read does not fit, and is streamed instead.
            var buffer = ArrayPool<byte>.Shared.Rent((int)length + 1);
            var n = 0;
            int got;
            while (n < buffer.Length && (got = file.Read(buffer, n, buffer.Length - n)) > 0)
            {
                n += got;
            }
            if (n <= length)
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, n)));
                lock (_files)
                {
                    if (!_released)
                    {
                        _files[fullPath] = (buffer, n, hash);
                        return (n, hash);
                    }
                }
            }
            lock (_files)
            {
                _heldBytes -= length;
            }
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            file.Position = 0;
        }
        var streamed = HashStream(file);
        lock (_files)
        {
            _streamed[fullPath] = streamed;
        }
        return streamed;
    }

    /// <summary>Size and SHA-256 of what the stream gives, counted as it is read (a pipe or device has no length to ask).</summary>
    private static (long Size, string Sha256Hex) HashStream(Stream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long total = 0;
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                total += n;
            }
            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool Reserve(long length)
    {
        lock (_files)
        {
            if (_released || _heldBytes + length > maxBundleBytes)
            {
                return false;
            }
            _heldBytes += length;
            return true;
        }
    }

    /// <summary>The file's bytes as they were hashed, or false when it was not held (too large, past the budget, or released).</summary>
    public bool TryGet(string fullPath, out ReadOnlyMemory<byte> content)
    {
        lock (_files)
        {
            if (_files.TryGetValue(fullPath, out var held))
            {
                content = held.Buffer.AsMemory(0, held.Length);
                return true;
            }
        }
        content = default;
        return false;
    }

    /// <summary>A read-only stream over the held bytes, or the file itself when they are not held.</summary>
    public Stream Open(string fullPath)
    {
        lock (_files)
        {
            if (_files.TryGetValue(fullPath, out var held))
            {
                return new MemoryStream(held.Buffer, 0, held.Length, writable: false);
            }
        }
        return File.OpenRead(fullPath);
    }

    /// <summary>Gives the buffers back to the pool, cleared; later reads go to the files on disk. Safe to call more than once.</summary>
    public void Release()
    {
        lock (_files)
        {
            _released = true;
            foreach (var (buffer, _, _) in _files.Values)
            {
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            }
            _files.Clear();
            _heldBytes = 0;
        }
    }
}
