using System.Buffers;
using System.Security.Cryptography;

namespace Msme.Domain.Ingestion;

/// <summary>
/// A bundle's files read once: each file up to <see cref="MaxHeldBytes"/> is read into one pooled buffer, hashed from
/// it, and every later reader (the manifest and consent parsers, the type sniff, the documents' parse, the payload
/// store's copy) reads that same buffer. What is parsed and stored is then exactly what was hashed, with no window for
/// the file to change between the reads; and a bundle costs one read of each file instead of four or five (issue 17).
/// Larger files are hashed as a stream and read from disk again where needed, so memory stays flat.
/// </summary>
/// <remarks>
/// <see cref="Release"/> returns the buffers to the pool; after it every reader falls back to the file on disk. Only
/// the bundle's owner calls it, once nothing it opened from these buffers is still being read.
/// </remarks>
internal sealed class HeldFiles(int maxHeldBytes = HeldFiles.MaxHeldBytes)
{
    /// <summary>Files up to this size are held in memory while their bundle is open; a bundle's FI documents are usually far smaller.</summary>
    public const int MaxHeldBytes = 16 << 20;

    private readonly Dictionary<string, (byte[] Buffer, int Length)> _files = new(StringComparer.Ordinal);
    private bool _released;

    /// <summary>Reads the file (holding its bytes when it is small enough) and returns its size and SHA-256, both of the bytes read.</summary>
    public (long Size, string Sha256Hex) Read(string fullPath)
    {
        lock (_files)
        {
            if (_files.TryGetValue(fullPath, out var known))
            {
                // Named twice in one bundle: the bytes already held are the ones every reader sees.
                return (known.Length, Convert.ToHexStringLower(SHA256.HashData(known.Buffer.AsSpan(0, known.Length))));
            }
        }
        using var file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var length = file.Length;
        if (length <= maxHeldBytes)
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
                lock (_files)
                {
                    if (!_released)
                    {
                        _files[fullPath] = (buffer, n);
                        return (n, Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, n))));
                    }
                }
            }
            ArrayPool<byte>.Shared.Return(buffer);
            file.Position = 0;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(file));
        return (file.Position, hash);
    }

    /// <summary>The file's bytes as they were hashed, or false when it was not held (too large, or released).</summary>
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

    /// <summary>Gives the buffers back to the pool; later reads go to the files on disk.</summary>
    public void Release()
    {
        lock (_files)
        {
            _released = true;
            foreach (var (buffer, _) in _files.Values)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            _files.Clear();
        }
    }
}
