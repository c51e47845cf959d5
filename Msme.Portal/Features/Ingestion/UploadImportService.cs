using System.IO.Compression;
using Microsoft.Extensions.Options;
using Msme.Domain.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Imports files uploaded through the browser or the API: an envelope .json is one bundle; a .zip holds one bundle
/// folder or several. Uploads are spooled to the data folder first so the importer streams from disk like the CLI does;
/// a zip is unpacked under the limits of <see cref="ImportLimits"/>, counted as it inflates.
/// </summary>
public sealed class UploadImportService(BundleImporter importer, IOptions<MsmeOptions> options)
{
    public const long MaxUploadBytes = 512L * 1024 * 1024;

    /// <summary>Longest file name kept for the spooled upload (file systems allow 255 bytes).</summary>
    private const int MaxFileNameLength = 100;

    public async Task<IReadOnlyList<ImportOutcome>> ImportAsync(string fileName, Stream content, string user, CancellationToken ct = default)
    {
        var safeName = SafeName(fileName);
        var data = options.Value.ResolveDataDirectory();
        if (DiskSpace.Shortfall(data, options.Value.Import.MinFreeDiskBytes) is { } shortfall)
        {
            return [Refused(safeName, "disk", shortfall)];
        }
        var work = Path.Combine(data, "uploads", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var spooled = Path.Combine(work, safeName);
            await using (var file = File.Create(spooled))
            {
                await content.CopyToAsync(file, ct);
            }
            if (!safeName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                return [await importer.ImportAsync(spooled, null, user, ct)];
            }

            var extracted = Path.Combine(work, "bundle");
            try
            {
                if (ZipLimits.Extract(spooled, extracted, options.Value.Import) is { } refusal)
                {
                    return [Refused(safeName, "zip", refusal)];
                }
            }
            catch (InvalidDataException e)
            {
                return [Refused(safeName, "zip", $"not a readable zip archive: {e.Message}")];
            }
            return await importer.ImportManyAsync(BundleLocator.Expand([extracted]), null, user, null, ct);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A plain file name of bounded length that keeps its extension: never a path, never too long for the disk.</summary>
    private static string SafeName(string fileName)
    {
        var name = Path.GetFileName(fileName);
        if (name.Length == 0)
        {
            return "upload.json";
        }
        var extension = Path.GetExtension(name);
        return name.Length <= MaxFileNameLength || extension.Length >= MaxFileNameLength
            ? name[..Math.Min(name.Length, MaxFileNameLength)]
            : Path.GetFileNameWithoutExtension(name)[..(MaxFileNameLength - extension.Length)] + extension;
    }

    private static ImportOutcome Refused(string name, string path, string message) =>
        ImportOutcome.Rejected(name, [new IngestionIssue(IssueSeverity.Error, name, null, path, null, message)], TimeSpan.Zero);
}

/// <summary>Unpacks a zip entry by entry, counting inflated bytes as they are written, and stops at the first limit passed.</summary>
internal static class ZipLimits
{
    private const long RatioGrace = 1024 * 1024;

    /// <summary>Null when the archive was unpacked within the limits; otherwise why it was refused (what was written is left for the caller to delete).</summary>
    public static string? Extract(string zipPath, string destination, ImportLimits limits)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        if (zip.Entries.Count > limits.MaxZipEntries)
        {
            return $"the zip holds {zip.Entries.Count:N0} entries; at most {limits.MaxZipEntries:N0} are accepted (Msme:Import:MaxZipEntries)";
        }
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(root);
        var total = 0L;
        var buffer = new byte[1 << 16];
        foreach (var entry in zip.Entries)
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                return $"the entry '{entry.FullName}' points outside the archive's folder";
            }
            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
            {
                Directory.CreateDirectory(target);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = entry.Open();
            using var output = File.Create(target);
            var written = 0L;
            int n;
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                written += n;
                total += n;
                if (total > limits.MaxZipBytes)
                {
                    return $"the zip inflates to more than {limits.MaxZipBytes:N0} bytes (Msme:Import:MaxZipBytes); refused at '{entry.FullName}'";
                }
                if (written > RatioGrace && written > (long)limits.MaxZipRatio * Math.Max(1, entry.CompressedLength))
                {
                    return $"'{entry.FullName}' inflates more than {limits.MaxZipRatio}× its compressed size of {entry.CompressedLength:N0} bytes " +
                        "(Msme:Import:MaxZipRatio): refused as a likely zip bomb";
                }
                output.Write(buffer, 0, n);
            }
        }
        return null;
    }
}

/// <summary>Free space on the data folder's volume, checked before an import writes anything.</summary>
internal static class DiskSpace
{
    /// <summary>Null when at least <paramref name="minimum"/> bytes are free; otherwise the message that refuses the import.</summary>
    public static string? Shortfall(string directory, long minimum)
    {
        Directory.CreateDirectory(directory);
        var free = new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        return free >= minimum ? null
            : $"not enough free disk space for an import: {free / (1024 * 1024):N0} MiB free in the data folder, " +
              $"{minimum / (1024 * 1024):N0} MiB required (Msme:Import:MinFreeDiskBytes); nothing was imported";
    }
}
