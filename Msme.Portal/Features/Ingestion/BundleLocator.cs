namespace Msme.Portal.Features.Ingestion;

/// <summary>Turns the paths a user names into bundle paths: a folder with manifest.json is one bundle; any other folder holds bundles.</summary>
public static class BundleLocator
{
    public const string ManifestName = "manifest.json";

    public static IEnumerable<string> Expand(IEnumerable<string> paths)
    {
        foreach (var raw in paths)
        {
            var path = Path.GetFullPath(raw);
            if (File.Exists(path) || IsBundleFolder(path))
            {
                yield return path;
            }
            else if (Directory.Exists(path))
            {
                var children = Directory.EnumerateDirectories(path).Where(IsBundleFolder)
                    .Concat(Directory.EnumerateFiles(path).Where(IsDocument))
                    .Order(StringComparer.Ordinal);
                foreach (var child in children)
                {
                    yield return child;
                }
            }
            else
            {
                // Let the importer report it, with the name the user typed.
                yield return path;
            }
        }
    }

    private static bool IsBundleFolder(string path) => File.Exists(Path.Combine(path, ManifestName));

    private static bool IsDocument(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase);
}
