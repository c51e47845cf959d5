using Bunit;
using Msme.Portal.Features.Customers;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Components;

public sealed class RawDataTests : PortalComponentTest
{
    private async Task<string> ImportAsync()
    {
        var file = TestConsents.Sample("setu_docs_deposit_rebit_v2.0.0_example.json");
        Assert.Equal(ImportStatus.Imported, (await Store.Importer.ImportAsync(file, TestConsents.Write(Store.Directory), "test")).Status);
        return file;
    }

    [Fact]
    public async Task Compliance_sees_the_documents_exactly_as_received_and_the_look_is_audited()
    {
        Auth.SetAuthorized("compliance@msme.local");
        Auth.SetRoles(Msme.Domain.Roles.Compliance);
        var file = await ImportAsync();

        var page = Render<CustomerPage>(p => p.Add(x => x.Id, 1).Add(x => x.Tab, "raw"));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=raw-files] tbody tr").Count));
        page.FindAll("[data-testid=raw-view]").Last().Click();

        page.WaitForAssertion(() => Assert.Equal(File.ReadAllText(file), page.Find("[data-testid=raw-content]").TextContent));
        await using var db = await Store.DbAsync();
        Assert.Contains(db.AuditEntries, e => e.Action == "view" && e.Target == "/customers/1#raw" && e.Details!.Contains("setu_docs_deposit_rebit_v2.0.0_example.json"));
    }

    [Fact]
    public async Task A_risk_manager_never_gets_the_raw_documents()
    {
        Auth.SetAuthorized("risk@msme.local");
        Auth.SetRoles(Msme.Domain.Roles.RiskManager);
        await ImportAsync();

        var page = Render<CustomerPage>(p => p.Add(x => x.Id, 1));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tab-insights]")));
        Assert.Empty(page.FindAll("[data-testid=raw-files]"));
        Assert.DoesNotContain("Raw AA data", page.Markup);
    }
}
