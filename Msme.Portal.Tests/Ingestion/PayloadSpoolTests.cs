using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Msme.Domain.Ingestion;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Tests.Ingestion;

/// <summary>
/// The import's spool: bytes the bundle already holds (read once, hashed, parsed) are written as they are; a file read
/// from disk is checked against its hash on the way; promotion makes a prefix folder the first time it is needed.
/// </summary>
public sealed class PayloadSpoolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("msme-spool-").FullName;
    private readonly PayloadStore _store;

    public PayloadSpoolTests() => _store = new PayloadStore(Options.Create(new MsmeOptions { DataDirectory = _dir }));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BundleFile File(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return new BundleFile(name, path, "fi", "application/json", bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void Held_bytes_are_stored_as_they_are_without_reading_the_file_again()
    {
        var held = "{\"held\": true}"u8.ToArray();
        var file = File("fi.json", held);
        // The file on disk changed after the reader hashed and parsed it: the spool stores what was hashed.
        System.IO.File.WriteAllBytes(file.FullPath, "{\"changed\": true}"u8.ToArray());

        using (var spool = _store.OpenSpool())
        {
            spool.Stage(file, held);
            spool.Promote([file]);
        }

        Assert.Equal(held, System.IO.File.ReadAllBytes(_store.PathOf(file.Sha256Hex)));
    }

    [Fact]
    public void Held_bytes_of_another_length_than_the_file_are_refused()
    {
        var file = File("fi.json", "{\"a\": 1}"u8.ToArray());

        using var spool = _store.OpenSpool();
        Assert.Throws<ArgumentException>(() => spool.Stage(file, "{\"a\": 10}"u8.ToArray()));
        spool.Promote([file]);
        Assert.False(System.IO.File.Exists(_store.PathOf(file.Sha256Hex)));
    }

    [Fact]
    public void A_file_read_from_disk_that_no_longer_matches_its_hash_is_refused()
    {
        var file = File("fi.json", "{\"a\": 1}"u8.ToArray());
        System.IO.File.WriteAllBytes(file.FullPath, "{\"a\": 2}"u8.ToArray());

        using var spool = _store.OpenSpool();
        var error = Assert.Throws<IOException>(() => spool.Stage(file));
        Assert.Contains("changed while it was being imported", error.Message);
        spool.Promote([file]);
        Assert.False(System.IO.File.Exists(_store.PathOf(file.Sha256Hex)));
    }

    [Fact]
    public void Promotion_makes_each_prefix_folder_once_and_then_moves_into_it()
    {
        // Two files whose hashes share a prefix, and one that does not: every one ends up under its own prefix.
        var files = Enumerable.Range(0, 400).Select(i => File($"f{i}.json", System.Text.Encoding.UTF8.GetBytes($"{{\"n\": {i}}}"))).ToList();
        var samePrefix = files.GroupBy(f => f.Sha256Hex[..2]).First(g => g.Count() >= 2).Take(2).ToList();
        var other = files.First(f => f.Sha256Hex[..2] != samePrefix[0].Sha256Hex[..2]);
        BundleFile[] chosen = [.. samePrefix, other];

        using (var spool = _store.OpenSpool())
        {
            foreach (var file in chosen)
            {
                spool.Stage(file);
            }
            spool.Promote(chosen);
        }

        Assert.All(chosen, f => Assert.Equal(System.IO.File.ReadAllBytes(f.FullPath), System.IO.File.ReadAllBytes(_store.PathOf(f.Sha256Hex))));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(_dir, "payloads")).Count(d => !Path.GetFileName(d).StartsWith('.')));
    }

    [Fact]
    public void Bytes_named_twice_or_already_in_the_store_are_promoted_once_and_stay_whole()
    {
        var bytes = "{\"shared\": \"consent\"}"u8.ToArray();
        var first = File("consent-a.json", bytes);
        var second = File("consent-b.json", bytes);
        using (var spool = _store.OpenSpool())
        {
            spool.Stage(first);
            spool.Stage(second);
            // Two bundles of one import carry the same file: the second promotion finds nothing left to move.
            spool.Promote([first]);
            spool.Promote([second]);
        }
        Assert.Equal(bytes, System.IO.File.ReadAllBytes(_store.PathOf(first.Sha256Hex)));

        // A later import brings the same bytes again: they are not staged a second time, promotion passes over them, and
        // nothing is left in its spool.
        string folder;
        using (var spool = _store.OpenSpool())
        {
            folder = spool.Folder;
            spool.Stage(first, bytes);
            spool.Promote([first]);
        }
        Assert.Equal(bytes, System.IO.File.ReadAllBytes(_store.PathOf(first.Sha256Hex)));
        Assert.False(Directory.Exists(folder));
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "payloads"), "*.bin", SearchOption.AllDirectories));
    }
}
