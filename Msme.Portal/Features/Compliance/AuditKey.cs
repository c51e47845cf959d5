using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Compliance;

/// <summary>
/// The audit trail's HMAC-SHA256 key, held in a file outside the database (<c>Msme:Audit:KeyPath</c>). Generated on
/// first use (32 random bytes, readable by the owner only); every process on the store (web app, CLI) reads the same
/// file. Whoever can write msme.db but cannot read this file cannot produce a hash the verifier accepts.
/// </summary>
public sealed class AuditKey(IOptions<MsmeOptions> options)
{
    private readonly Lazy<(byte[] Key, bool Created)> _key = new(() => LoadOrCreate(options.Value.ResolveAuditKeyPath(), options.Value.ResolveAuditCheckpointPath()));

    public string Path => options.Value.ResolveAuditKeyPath();

    private int _creationTaken;

    /// <summary>
    /// True once, to the first caller, when this process generated the key (its first use on this store): that caller
    /// adopts any entries written before the key existed. Every later call, in any AuditLog, answers false.
    /// </summary>
    public bool TakeCreation() => _key.Value.Created && Interlocked.Exchange(ref _creationTaken, 1) == 0;

    public string Mac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_key.Value.Key, Encoding.UTF8.GetBytes(text)));

    private static (byte[], bool) LoadOrCreate(string path, string checkpointPath)
    {
        if (File.Exists(path))
        {
            return (Read(path), false);
        }
        if (File.Exists(checkpointPath))
        {
            // Checkpoints were signed with a key that is gone: a new key would make every keyed entry unverifiable.
            throw new InvalidOperationException($"The audit key {path} is missing but checkpoints signed with it exist ({checkpointPath}); restore the key file.");
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var file = new FileStream(path, create))
            {
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            }
            return (key, true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process (the CLI, a second instance) created it first: use theirs.
            return (Read(path), false);
        }
    }

    private static byte[] Read(string path)
    {
        var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        return key.Length >= 32 ? key : throw new InvalidOperationException($"The audit key {path} is shorter than 32 bytes.");
    }
}

/// <summary>A signed statement of the trail's tail at a time: its last entry, that entry's hash and the number of entries.</summary>
/// <param name="Legacy">True for the checkpoint written when the key was created over an existing unkeyed (SHA-256) trail: entries up to <paramref name="LastId"/> are verified unkeyed, anchored by this checkpoint.</param>
public sealed record AuditCheckpoint(long LastId, string Hash, long Count, DateTimeOffset Time, bool Legacy, string Mac)
{
    public string Signed() => string.Create(CultureInfo.InvariantCulture, $"checkpoint|{LastId}|{Hash}|{Count}|{Time.ToUnixTimeMilliseconds()}|{(Legacy ? "legacy" : "keyed")}");
}

/// <summary>The checkpoint file (<c>Msme:Audit:CheckpointPath</c>): one JSON line per checkpoint, append-only, outside the database.</summary>
public sealed class AuditCheckpointFile(IOptions<MsmeOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _write = new();

    public string Path => options.Value.ResolveAuditCheckpointPath();

    public void Append(AuditCheckpoint checkpoint)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var line = JsonSerializer.Serialize(new Line(checkpoint.LastId, checkpoint.Hash, checkpoint.Count, checkpoint.Time, checkpoint.Legacy ? true : null, checkpoint.Mac), Json);
        lock (_write)
        {
            // Append with a flush to disk: a checkpoint that is not durable does not protect the tail it describes.
            using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            file.Write(Encoding.UTF8.GetBytes(line + "\n"));
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Every line in file order; a line that does not parse is returned as null with its number, so the verifier can name it.</summary>
    public IReadOnlyList<(int Line, AuditCheckpoint? Checkpoint)> ReadAll()
    {
        if (!File.Exists(Path))
        {
            return [];
        }
        var result = new List<(int, AuditCheckpoint?)>();
        var number = 0;
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (text.Length == 0)
            {
                continue;
            }
            try
            {
                var l = JsonSerializer.Deserialize<Line>(text, Json);
                result.Add((number, l is null || l.Hash is null || l.Mac is null ? null : new AuditCheckpoint(l.LastId, l.Hash, l.Count, l.Time, l.Legacy == true, l.Mac)));
            }
            catch (JsonException)
            {
                result.Add((number, null));
            }
        }
        return result;
    }

    private sealed record Line(long LastId, string? Hash, long Count, DateTimeOffset Time, bool? Legacy, string? Mac);
}
