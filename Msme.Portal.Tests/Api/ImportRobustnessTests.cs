using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.DemoData;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Api;

/// <summary>The app with small zip limits, so each limit can be passed with a small archive.</summary>
public sealed class TightImportLimitsFactory : PortalFactory
{
    public const int MaxEntries = 40;
    public const long MaxBytes = 6L * 1024 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Msme:Import:MaxZipEntries", MaxEntries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Msme:Import:MaxZipBytes", MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Msme:Import:MaxZipRatio", "100");
    }
}

/// <summary>POST /api/v1/imports never answers 500: garbage, truncated input, zip bombs and absurd names are clean 4xx, and the store is unchanged.</summary>
public sealed class ImportRobustnessTests(TightImportLimitsFactory factory) : IClassFixture<TightImportLimitsFactory>, IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-import-robustness-");

    public void Dispose() => _work.Delete(recursive: true);

    /// <summary>Row counts and sums of every AA table, plus every file under the payload folder.</summary>
    private async Task<(StoreSnapshot Rows, string Files)> SnapshotAsync()
    {
        await using var db = await factory.DbAsync();
        var rows = new StoreSnapshot(await db.Customers.CountAsync(), await db.Consents.CountAsync(), await db.ConsentStatusChanges.CountAsync(),
            await db.FetchSessions.CountAsync(), await db.RawPayloads.CountAsync(), await db.Accounts.CountAsync(), await db.Transactions.CountAsync(),
            await db.Transactions.SumAsync(t => (long?)t.AmountPaise) ?? 0);
        var root = Path.Combine(factory.DataDirectory, "payloads");
        var files = Directory.Exists(root) ? string.Join("\n", Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order()) : "";
        return (rows, files);
    }

    private static ByteArrayContent Body(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    /// <summary>A demo bundle folder turned into an envelope: its sections inline, its FI documents as strings.</summary>
    private byte[] Envelope(int seed)
    {
        var customer = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 1, Months: 2, Seed: seed)).Single();
        var folder = Path.Combine(_work.FullName, $"bundle-{seed}");
        DemoBundleWriter.Write(customer, folder);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsObject();
        var envelope = new JsonObject
        {
            ["bundleVersion"] = "1",
            ["customer"] = manifest["customer"]!.DeepClone(),
            ["fetchSession"] = manifest["fetchSession"]!.DeepClone(),
            ["consent"] = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, manifest["consent"]!.GetValue<string>()))),
            ["fi"] = new JsonArray([.. manifest["documents"]!.AsArray().Select(d => (JsonNode)File.ReadAllText(Path.Combine(folder, d!.GetValue<string>()))!)]),
        };
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(bytes);
            }
        }
        return memory.ToArray();
    }

    [Fact]
    public async Task A_name_of_5000_characters_is_a_400_naming_the_field_not_a_500()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var before = await SnapshotAsync();

        var response = await admin.PostAsync("/api/v1/imports?name=" + new string('n', 5000), Body(Envelope(31), "application/json"));

        var problem = await response.AssertProblemAsync(400);
        Assert.Contains("at most 128 characters", problem.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_name_of_128_characters_imports()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);

        var response = await admin.PostAsync("/api/v1/imports?name=" + new string('n', 128), Body(Envelope(32), "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_utf16_envelope_imports_like_its_utf8()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var text = Encoding.UTF8.GetString(Envelope(33));

        var response = await admin.PostAsync("/api/v1/imports", Body([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)], "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("imported", (await response.JsonAsync()).GetProperty("outcomes")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Random_bytes_and_truncated_envelopes_and_zips_are_422_and_leave_the_store_unchanged()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var envelope = Envelope(34);
        var zipped = Zip(("bundle/envelope.json", envelope));
        var before = await SnapshotAsync();
        var gen = Gen.OneOf(
            Gen.Byte.Array[0, 4000].Select(b => (Bytes: b, Type: "application/json")),
            Gen.Byte.Array[0, 4000].Select(b => (Bytes: b, Type: "application/zip")),
            Gen.Double[0, 0.999].Select(f => (Bytes: envelope[..(int)(f * (envelope.Length - 1))], Type: "application/json")),
            Gen.Double[0, 0.999].Select(f => (Bytes: zipped[..(int)(f * zipped.Length)], Type: "application/zip")));
        var statuses = new List<HttpStatusCode>();

        await gen.SampleAsync(async body =>
        {
            var response = await admin.PostAsync("/api/v1/imports", Body(body.Bytes, body.Type));
            statuses.Add(response.StatusCode);
            var problem = await response.AssertProblemAsync(422);
            var outcome = problem.GetProperty("outcomes")[0];
            Assert.Equal("rejected", outcome.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(outcome.GetProperty("issues")[0].GetProperty("file").GetString()));
        }, iter: 60, seed: "0N0XIzNsQ0O2", threads: 1);

        Assert.Equal(60, statuses.Count);
        Assert.Equal(before, await SnapshotAsync());
        // The same envelope, whole, imports: what was refused was the damage, not the bundle.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/imports", Body(envelope, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task A_zip_bomb_is_refused_while_inflating_with_a_clear_message()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var before = await SnapshotAsync();
        // 5 MiB of zeros deflate to a few KiB: a ratio near 1,000 against the limit of 100.
        var bomb = Zip(("bundle/manifest.json", new byte[5 * 1024 * 1024]));
        Assert.True(bomb.Length < 64 * 1024);

        var response = await admin.PostAsync("/api/v1/imports", Body(bomb, "application/zip"));

        var problem = await response.AssertProblemAsync(422);
        var error = problem.GetProperty("outcomes")[0].GetProperty("issues")[0];
        Assert.Equal("zip", error.GetProperty("path").GetString());
        Assert.Contains("likely zip bomb", error.GetProperty("message").GetString());
        Assert.Contains("Msme:Import:MaxZipRatio", error.GetProperty("message").GetString());
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(Directory.Exists(Path.Combine(factory.DataDirectory, "uploads")) ? Directory.GetFileSystemEntries(Path.Combine(factory.DataDirectory, "uploads")) : []);
    }

    [Fact]
    public async Task A_zip_with_too_many_entries_or_too_many_bytes_is_refused_naming_the_setting()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var before = await SnapshotAsync();
        var many = Zip([.. Enumerable.Range(0, TightImportLimitsFactory.MaxEntries + 1).Select(i => ($"bundle/f{i}.json", "{}"u8.ToArray()))]);
        // Bytes that do not compress (a ratio near 1), so only the total is passed.
        var random = new Random(7);
        var large = Zip([.. Enumerable.Range(0, 7).Select(i =>
        {
            var bytes = new byte[1024 * 1024];
            random.NextBytes(bytes);
            return ($"bundle/part{i}.bin", bytes);
        })]);

        var tooMany = await (await admin.PostAsync("/api/v1/imports", Body(many, "application/zip"))).AssertProblemAsync(422);
        var tooLarge = await (await admin.PostAsync("/api/v1/imports", Body(large, "application/zip"))).AssertProblemAsync(422);

        Assert.Contains("Msme:Import:MaxZipEntries", tooMany.GetProperty("outcomes")[0].GetProperty("issues")[0].GetProperty("message").GetString());
        Assert.Contains("Msme:Import:MaxZipBytes", tooLarge.GetProperty("outcomes")[0].GetProperty("issues")[0].GetProperty("message").GetString());
        Assert.Equal(before, await SnapshotAsync());
    }
}
