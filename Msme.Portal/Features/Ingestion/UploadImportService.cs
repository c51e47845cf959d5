using System.IO.Compression;
using Microsoft.Extensions.Options;
using Msme.Domain.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Imports files uploaded through the browser: an envelope .json is one bundle; a .zip holds one bundle folder or
/// several. Uploads are spooled to the data folder first so the importer streams from disk like the CLI does.
/// </summary>
public sealed class UploadImportService(BundleImporter importer, IOptions<MsmeOptions> options)
{
    public const long MaxUploadBytes = 512L * 1024 * 1024;

    public async Task<IReadOnlyList<ImportOutcome>> ImportAsync(string fileName, Stream content, string user, CancellationToken ct = default)
    {
        var work = Path.Combine(options.Value.ResolveDataDirectory(), "uploads", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var safeName = Path.GetFileName(fileName);
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
                ZipFile.ExtractToDirectory(spooled, extracted);
            }
            catch (InvalidDataException e)
            {
                return [ImportOutcome.Rejected(safeName, [new IngestionIssue(IssueSeverity.Error, safeName, null, "zip", null, $"not a readable zip archive: {e.Message}")], TimeSpan.Zero)];
            }
            return await importer.ImportManyAsync(BundleLocator.Expand([extracted]), null, user, null, ct);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
