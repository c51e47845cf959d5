using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Consent;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Compliance;

/// <summary>"Who saw this customer's bank data, under which consent, and is it deleted now?" answered from the store.</summary>
public sealed class ConsentLineageTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-lineage-");

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        var outcome = await _store.Importer.ImportAsync(TestConsents.Sample("setu_sandbox_deposit_3accounts_scrubbed.json"), TestConsents.Write(_work.FullName), "test");
        Assert.Equal(ImportStatus.Imported, outcome.Status);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _work.Delete(recursive: true);
    }

    private ConsentLineageService Service => new(_store.DbFactory, _store.Services.GetRequiredService<AuditLog>(), _store.Clock);

    [Fact]
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

    [Fact]
    public async Task A_revoked_consent_cannot_be_made_active_again_and_every_change_needs_a_reason()
    {
        Assert.Equal("say why (the note is kept in the consent's status history)", await Service.ChangeStatusAsync(1, ConsentStatus.Paused, "admin", "a", " "));
        Assert.Null(await Service.ChangeStatusAsync(1, ConsentStatus.Paused, "admin", "a", "customer asked for a pause"));
        Assert.Null(await Service.ChangeStatusAsync(1, ConsentStatus.Active, "admin", "a", "resumed"));
        Assert.Null(await Service.ChangeStatusAsync(1, ConsentStatus.Revoked, "admin", "a", "revoked"));

        var refused = await Service.ChangeStatusAsync(1, ConsentStatus.Active, "admin", "a", "try again");

        Assert.Equal("a REVOKED consent is final; the customer must give a new consent", refused);
    }

    [Fact]
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
}
