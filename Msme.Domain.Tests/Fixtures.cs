namespace Msme.Domain.Tests;

/// <summary>Paths to the fixture files copied next to the test assembly.</summary>
internal static class Fixtures
{
    public static string Aa(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa", name);

    public static string Broken(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", name);

    public static FileStream Open(string path) => File.OpenRead(path);
}
