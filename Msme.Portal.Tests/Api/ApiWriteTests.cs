using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Consent;
using Msme.Domain.DemoData;
using Msme.Portal.Features.Api;
using Msme.Portal.Tests.Infrastructure;

using Msme.Portal.Tests.Aa;

namespace Msme.Portal.Tests.Api;

/// <summary>The endpoints that change the store: bundle import and the AA's consent notification.</summary>
public abstract class ApiWriteCases(ApiDemoFactory factory) : IDisposable
{
    // First: without a PostgreSQL server the PostgreSQL cases skip here.
    private readonly bool _available = ApiDemoFactory.Available(factory);

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-api-tests-");

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<StoreSnapshot> SnapshotAsync()
    {
        await using var db = await factory.DbAsync();
        return new StoreSnapshot(await db.Customers.CountAsync(), await db.Consents.CountAsync(), await db.ConsentStatusChanges.CountAsync(),
            await db.FetchSessions.CountAsync(), await db.RawPayloads.CountAsync(), await db.Accounts.CountAsync(), await db.Transactions.CountAsync(),
            await db.Transactions.SumAsync(t => (long?)t.AmountPaise) ?? 0);
    }

    /// <summary>A demo customer the demo load does not hold (another seed), as a zipped bundle folder.</summary>
    private byte[] NewBundleZip()
    {
        var customer = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 1, Months: 4, Seed: 77)).Single();
        var folder = Path.Combine(_work.FullName, "new-customer");
        DemoBundleWriter.Write(customer, folder);
        return Zip(folder);
    }

    private byte[] Zip(string folder)
    {
        var zip = Path.Combine(_work.FullName, Guid.NewGuid().ToString("N") + ".zip");
        ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Fastest, includeBaseDirectory: true);
        return File.ReadAllBytes(zip);
    }

    private static ByteArrayContent Body(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    [SkippableFact]
    public async Task Posting_the_same_bundle_twice_imports_once_and_the_second_is_unchanged()
    {
        var (token, name, _) = await factory.NewClientAsync(Roles.Admin);
        using var admin = factory.ApiClient(token);
        var zip = NewBundleZip();
        var before = await SnapshotAsync();

        var first = await admin.PostAsync("/api/v1/imports", Body(zip, "application/zip"));
        var afterFirst = await SnapshotAsync();
        var second = await admin.PostAsync("/api/v1/imports", Body(zip, "application/zip"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var imported = (await first.JsonAsync()).GetProperty("outcomes").EnumerateArray().Single();
        Assert.Equal("imported", imported.GetProperty("status").GetString());
        Assert.True(imported.GetProperty("transactionsAdded").GetInt32() > 0);
        Assert.Equal(before.Customers + 1, afterFirst.Customers);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("unchanged", (await second.JsonAsync()).GetProperty("outcomes")[0].GetProperty("status").GetString());
        Assert.Equal(afterFirst, await SnapshotAsync());
        await using var db = await factory.DbAsync();
        Assert.Contains(await db.AuditEntries.Where(e => e.UserName == "api:" + name).ToListAsync(), e => e.Action == "import");
        Assert.Equal("api:" + name, (await db.FetchSessions.OrderBy(s => s.Id).LastAsync()).ImportedBy);
    }

    [SkippableTheory]
    [InlineData("bundle-consent-revoked")]
    [InlineData("bundle-transaction-outside-consent-range")]
    public async Task A_broken_bundle_is_422_naming_file_and_path_and_leaves_nothing_behind(string broken)
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var before = await SnapshotAsync();

        var response = await admin.PostAsync("/api/v1/imports", Body(Zip(Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", broken)), "application/zip"));

        var problem = await response.AssertProblemAsync(422);
        Assert.StartsWith($"rejected {broken}", problem.GetProperty("detail").GetString());
        var outcome = problem.GetProperty("outcomes").EnumerateArray().Single();
        Assert.Equal("rejected", outcome.GetProperty("status").GetString());
        var error = outcome.GetProperty("issues").EnumerateArray().First(i => i.GetProperty("severity").GetString() == "error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("file").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("path").GetString()));
        Assert.Equal(before, await SnapshotAsync());
    }

    [SkippableFact]
    public async Task An_envelope_without_fi_data_posted_as_json_is_422_and_an_unknown_media_type_415()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var before = await SnapshotAsync();
        var envelope = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", "envelope-without-fi.json"));

        var rejected = await admin.PostAsync("/api/v1/imports", Body(envelope, "application/json"));
        var unsupported = await admin.PostAsync("/api/v1/imports", Body(envelope, "text/plain"));

        await rejected.AssertProblemAsync(422);
        await unsupported.AssertProblemAsync(415);
        Assert.Equal(before, await SnapshotAsync());
    }

    private static object Notification(string consentId, string status, string txnid) => new Dictionary<string, object>
    {
        ["ver"] = "2.0.0",
        ["timestamp"] = "2026-11-26T10:00:00.000Z",
        ["txnid"] = txnid,
        ["Notifier"] = new Dictionary<string, string> { ["type"] = "AA", ["id"] = "onemoney-aa" },
        ["ConsentStatusNotification"] = new Dictionary<string, string> { ["consentId"] = consentId, ["consentHandle"] = "handle-1", ["consentStatus"] = status },
    };

    [SkippableFact]
    public async Task A_revoked_notification_changes_the_status_with_history_and_audit_hides_the_data_and_is_final()
    {
        var (token, name, _) = await factory.NewClientAsync(ApiRoles.AaNotifier);
        using var aa = factory.ApiClient(token);
        using var risk = await factory.ApiClientAsync(Roles.RiskManager);
        await using var db = await factory.DbAsync();
        // The last demo customer: its only consent, so revoking it hides all of its data.
        var customer = await db.Customers.Where(c => c.Consents.Count == 1).OrderByDescending(c => c.Id).Select(c => c.Id).FirstAsync();
        var consent = await db.Consents.SingleAsync(c => c.CustomerId == customer);
        var before = await (await risk.GetAsync($"/api/v1/customers/{customer}/analytics")).JsonAsync();
        Assert.True(before.GetProperty("accounts").GetArrayLength() > 0);

        var response = await aa.PostSignedJsonAsync(factory, "/api/v1/consents/notification", Notification(consent.ConsentId, "REVOKED", "txn-revoke-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = await response.JsonAsync();
        Assert.Equal(("2.0.0", "txn-revoke-1", "OK"), (ack.GetProperty("ver").GetString(), ack.GetProperty("txnid").GetString(), ack.GetProperty("response").GetString()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", ack.GetProperty("timestamp").GetString());
        await using var check = await factory.DbAsync();
        Assert.Equal(ConsentStatus.Revoked, (await check.Consents.SingleAsync(c => c.Id == consent.Id)).Status);
        var change = await check.ConsentStatusChanges.Where(c => c.ConsentRecordId == consent.Id).OrderBy(c => c.Id).LastAsync();
        Assert.Equal(("notification", "api:" + name, ConsentStatus.Revoked), (change.Source, change.ChangedBy, change.ToStatus));
        Assert.Contains("txn-revoke-1", change.Note);
        var audited = Assert.Single(await check.AuditEntries.Where(e => e.UserName == "api:" + name && e.Action == "consent-change").ToListAsync());
        Assert.Equal((customer, "AaNotifier"), (audited.CustomerId, audited.Roles));
        // REVOKED hides the data at once.
        var after = await (await risk.GetAsync($"/api/v1/customers/{customer}/analytics")).JsonAsync();
        Assert.Equal(0, after.GetProperty("accounts").GetArrayLength());
        // A repeat is acknowledged and changes nothing; REVOKED is final.
        var repeat = await aa.PostSignedJsonAsync(factory, "/api/v1/consents/notification", Notification(consent.ConsentId, "REVOKED", "txn-revoke-2"));
        var reactivate = await aa.PostSignedJsonAsync(factory, "/api/v1/consents/notification", Notification(consent.ConsentId, "ACTIVE", "txn-revive"));
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var refused = await reactivate.AssertProblemAsync(409);
        Assert.Equal("txn-revive", refused.GetProperty("txnid").GetString());
        Assert.Equal("InvalidConsentStatus", refused.GetProperty("errorCode").GetString());
        await using var final = await factory.DbAsync();
        Assert.Equal(ConsentStatus.Revoked, (await final.Consents.SingleAsync(c => c.Id == consent.Id)).Status);
        Assert.Equal(await check.ConsentStatusChanges.CountAsync(), await final.ConsentStatusChanges.CountAsync());
    }

    [SkippableFact]
    public async Task Notification_errors_are_problems_with_rebit_error_fields_and_only_the_aa_role_may_notify()
    {
        using var aa = await factory.ApiClientAsync(ApiRoles.AaNotifier);
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        await using var db = await factory.DbAsync();
        var consentId = (await db.Consents.OrderBy(c => c.Id).FirstAsync()).ConsentId;

        var unknown = await aa.PostSignedJsonAsync(factory, "/api/v1/consents/notification", Notification("no-such-consent", "PAUSED", "t1"));
        var badStatus = await aa.PostSignedJsonAsync(factory, "/api/v1/consents/notification", Notification(consentId, "SOMETIMES", "t2"));
        var incomplete = await aa.PostSignedJsonAsync(factory, "/api/v1/consents/notification", new { ver = "2.0.0" });
        var byAdmin = await admin.PostSignedJsonAsync(factory, "/api/v1/consents/notification", Notification(consentId, "PAUSED", "t3"));

        Assert.Equal("InvalidConsentId", (await unknown.AssertProblemAsync(404)).GetProperty("errorCode").GetString());
        Assert.Equal("InvalidConsentStatus", (await badStatus.AssertProblemAsync(400)).GetProperty("errorCode").GetString());
        await incomplete.AssertProblemAsync(400);
        await byAdmin.AssertProblemAsync(403);
        Assert.Equal(ConsentStatus.Active, (await db.Consents.AsNoTracking().FirstAsync(c => c.ConsentId == consentId)).Status);
    }
}

/// <summary>The cases on SQLite.</summary>
public sealed class ApiWriteTests(ApiDemoFactory factory) : ApiWriteCases(factory), IClassFixture<ApiDemoFactory>;

/// <summary>The same cases on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class ApiWriteTestsOnPostgreSql(PostgreSqlApiDemoFactory factory) : ApiWriteCases(factory), IClassFixture<PostgreSqlApiDemoFactory>;
