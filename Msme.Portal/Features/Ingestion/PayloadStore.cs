using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Msme.Domain.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// The exact bytes of every file received, content-addressed by SHA-256 under DATA/payloads. Kept as files rather
/// than SQLite blobs: SQLite writes a blob twice (WAL, then checkpoint) and large blobs are faster outside the
/// database; the database keeps the hash, so the pair stays verifiable. A file written for a bundle that is then
/// rejected is harmless: the same bytes arriving again reuse it, and nothing points to it otherwise.
/// </summary>
public sealed class PayloadStore(IOptions<MsmeOptions> options)
{
    private string Root => Path.Combine(options.Value.ResolveDataDirectory(), "payloads");

    public string PathOf(string sha256Hex) => Path.Combine(Root, sha256Hex[..2], sha256Hex + ".bin");

    /// <summary>Copies the file in, checking on the way that its bytes still hash to what the reader saw.</summary>
    public void Put(BundleFile file)
    {
        var target = PathOf(file.Sha256Hex);
        if (File.Exists(target))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var source = File.OpenRead(file.FullPath))
        using (var destination = File.Create(temp))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[1 << 16];
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
        File.Move(temp, target, overwrite: true);
    }

    public Stream? OpenRead(string sha256Hex) => File.Exists(PathOf(sha256Hex)) ? File.OpenRead(PathOf(sha256Hex)) : null;

    public void Delete(string sha256Hex) => File.Delete(PathOf(sha256Hex));
}
