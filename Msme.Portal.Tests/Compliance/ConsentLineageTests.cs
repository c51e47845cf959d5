using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Consent;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Compliance;

/// <summary>"Who saw this customer's bank data, under which consent, and is it deleted now?" answered from the store.</summary>
public class ConsentLineageTests : IAsyncLifetime
{
    /// <summary>The store these cases run on; the PostgreSQL subclass runs every one of them again there.</summary>
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    private TestStore _store = null!;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-lineage-");

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(provider: Provider);
        var outcome = await _store.Importer.ImportAsync(TestConsents.Sample("setu_sandbox_deposit_3accounts_scrubbed.json"), TestConsents.Write(_work.FullName), "test");
        Assert.Equal(ImportStatus.Imported, outcome.Status);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        _work.Delete(recursive: true);
    }

    private ConsentLineageService Service => new(_store.DbFactory, _store.Services.GetRequiredService<AuditLog>(), _store.Clock);

    [SkippableFact]
    public async Task Revoking_hides_the_data_at_once_the_purge_deletes_it_and_the_lineage_answers_every_question()
    {
        var audit = _store.Services.GetRequiredService<AuditLog>();
        await audit.AppendAsync(new AuditEvent("u1", "risk@msme.local", "RiskManager", "view", "/customers/1", 1, "sections: analytics"));

        var error = await Service.ChangeStatusAsync(1, ConsentStatus.Revoked, "admin", "admin@msme.local", "customer revoked in the AA app");
        var hidden = await new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock).LoadCustomerAsync(1, DataUse.Underwriting);
        await _store.Services.GetRequiredService<PurgeService>().PurgeAsync();
        var lineage = (await Service.GetAsync(1))!;

        Assert.Null(error);
        Assert.Empty(hidden);
        Assert.Equal([ConsentStatus.Active, ConsentStatus.Revoked], lineage.History.Select(h => h.ToStatus));
        Assert.Equal("customer revoked in the AA app", lineage.History[1].Note);
        var session = Assert.Single(lineage.Sessions);
        Assert.Equal(671, session.TransactionsAdded);
        Assert.Equal(0, session.TransactionsHeld);
        Assert.Equal("consent REVOKED", session.PurgeReason);
        Assert.All(session.Payloads, p => Assert.False(p.ContentHeld));
        Assert.Contains(lineage.Views, v => v.UserName == "risk@msme.local" && v.Action == "view");
        Assert.Contains(lineage.Views, v => v.Action == "consent-change");
        Assert.True((await audit.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task A_revoked_consent_cannot_be_made_active_again_and_every_change_needs_a_reason()
    {
        Assert.Equal("say why (the note is kept in the consent's status history)", await Service.ChangeStatusAsync(1, ConsentStatus.Paused, "admin", "a", " "));
        Assert.Null(await Service.ChangeStatusAsync(1, ConsentStatus.Paused, "admin", "a", "customer asked for a pause"));
        // Resuming is the customer's, through the AA (staff may only restrict; see Staff_may_only_restrict...).
        Assert.Null(await Service.ChangeStatusAsync(1, ConsentStatus.Active, "notification", "api:aa", "resumed in the AA app"));
        Assert.Null(await Service.ChangeStatusAsync(1, ConsentStatus.Revoked, "admin", "a", "revoked"));

        var refused = await Service.ChangeStatusAsync(1, ConsentStatus.Active, "admin", "a", "try again");

        Assert.Equal("a REVOKED consent is final; the customer must give a new consent", refused);
    }

    [SkippableFact]
    public async Task A_change_by_a_signed_in_admin_is_audited_with_their_user_id_and_roles()
    {
        var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
        [
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "admin-id"),
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "admin@msme.local"),
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, Msme.Domain.Roles.Admin),
        ], "test"));

        Assert.Null(await Service.ChangeStatusAsync(1, ConsentStatus.Paused, "admin", "admin@msme.local", "customer asked for a pause", actor: admin));

        await using var db = await _store.DbAsync();
        var entry = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.AuditEntries.Where(e => e.Action == "consent-change"));
        var change = Assert.Single(await entry);
        Assert.Equal(("admin-id", "admin@msme.local", "Admin"), (change.UserId, change.UserName, change.Roles));
        Assert.Contains("ACTIVE -> PAUSED (admin): customer asked for a pause", change.Details);
    }

    [SkippableFact]
    public async Task Staff_may_only_restrict_a_consent_and_active_comes_only_from_the_aa()
    {
        Assert.Null(await Service.ChangeStatusAsync(1, ConsentStatus.Paused, ConsentTransitions.Staff, "admin@msme.local", "customer asked for a pause"));

        var resumeByStaff = await Service.ChangeStatusAsync(1, ConsentStatus.Active, ConsentTransitions.Staff, "admin@msme.local", "customer called");
        var expireByStaff = await Service.ChangeStatusAsync(1, ConsentStatus.Expired, ConsentTransitions.Staff, "admin@msme.local", "looks old");
        var resumeByAa = await Service.ChangeStatusAsync(1, ConsentStatus.Active, ConsentTransitions.Notification, "api:onemoney", "resumed in the AA app");

        Assert.Equal("staff may only restrict a consent (PAUSED or REVOKED); ACTIVE comes only from the Account Aggregator, when the customer resumes it there", resumeByStaff);
        Assert.StartsWith("staff may only restrict a consent", expireByStaff);
        Assert.Null(resumeByAa);
        await using var db = await _store.DbAsync();
        Assert.Equal([ConsentStatus.Active, ConsentStatus.Paused, ConsentStatus.Active],
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.ConsentStatusChanges.Where(h => h.ConsentRecordId == 1).OrderBy(h => h.Id).Select(h => h.ToStatus)));
        Assert.Equal([ConsentStatus.Paused, ConsentStatus.Revoked], ConsentTransitions.StaffTargets);
    }

    [SkippableFact]
    public async Task A_concurrent_revocation_and_pause_never_lose_the_revocation_and_the_history_stays_one_chain()
    {
        var audit = _store.Services.GetRequiredService<AuditLog>();
        var ids = new List<int>();
        await using (var db = await _store.DbAsync())
        {
            for (var i = 0; i < 20; i++)
            {
                var consent = new Msme.Portal.Data.Entities.ConsentRecord { ConsentId = $"race-{i}", CustomerId = 1, Status = ConsentStatus.Active, PurposeCode = "104" };
                db.Consents.Add(consent);
                await db.SaveChangesAsync();
                ids.Add(consent.Id);
            }
        }

        foreach (var id in ids)
        {
            // Two services, as two admins' circuits (or an admin and the AA) would hold them.
            var revoke = Task.Run(() => Service.ChangeStatusAsync(id, ConsentStatus.Revoked, ConsentTransitions.Staff, "admin@msme.local", "customer revoked"));
            var pause = Task.Run(() => Service.ChangeStatusAsync(id, ConsentStatus.Paused, ConsentTransitions.Staff, "compliance@msme.local", "customer asked for a pause"));
            await Task.WhenAll(revoke, pause);
            Assert.Null(await revoke);
        }

        await using var check = await _store.DbAsync();
        foreach (var id in ids)
        {
            Assert.Equal(ConsentStatus.Revoked, (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(check.Consents, c => c.Id == id)).Status);
            var history = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                check.ConsentStatusChanges.Where(h => h.ConsentRecordId == id).OrderBy(h => h.Id));
            // Every change starts where the one before it ended: no two changes were decided on the same status.
            Assert.Equal(history.Select(h => h.ToStatus).Prepend(ConsentStatus.Active).SkipLast(1).Cast<ConsentStatus?>(), history.Select(h => h.FromStatus));
            Assert.Equal(ConsentStatus.Revoked, history[^1].ToStatus);
            Assert.Equal(history.Count, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
                check.AuditEntries, e => e.Action == "consent-change" && e.Target == $"/compliance/consents/{id}"));
        }
        Assert.True((await audit.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task A_status_change_whose_audit_entry_cannot_be_written_does_not_happen()
    {
        await using (var db = await _store.DbAsync())
        {
            // Stands for any failure between the change and its audit entry (a full disk, a crash): the two commit together.
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, Provider == TestProvider.PostgreSql
                ? """
                  CREATE FUNCTION fail_consent_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit write failed'; END $$;
                  CREATE TRIGGER fail_consent_audit BEFORE INSERT ON "AuditEntries" FOR EACH ROW WHEN (NEW."Action" = 'consent-change') EXECUTE FUNCTION fail_consent_audit();
                  """
                : "CREATE TRIGGER fail_consent_audit BEFORE INSERT ON AuditEntries WHEN NEW.Action = 'consent-change' BEGIN SELECT RAISE(ABORT, 'audit write failed'); END;");
        }

        await Assert.ThrowsAnyAsync<Exception>(() => Service.ChangeStatusAsync(1, ConsentStatus.Revoked, ConsentTransitions.Staff, "admin@msme.local", "customer revoked"));

        await using var check = await _store.DbAsync();
        Assert.Equal(ConsentStatus.Active, (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(check.Consents, c => c.Id == 1)).Status);
        Assert.Equal(1, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(check.ConsentStatusChanges, h => h.ConsentRecordId == 1));
    }
}

/// <summary>Every case of <see cref="ConsentLineageTests"/> on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class ConsentLineageTestsOnPostgreSql : ConsentLineageTests
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}
