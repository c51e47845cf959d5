using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Consent;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Api;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Compliance;

/// <summary>"DataLife overdue" on the admin and compliance homes: sessions whose data the purge should already have deleted.</summary>
public sealed class DataLifeOverdueTests(PortalFactory factory) : IClassFixture<PortalFactory>, IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-overdue-");

    public void Dispose() => _work.Delete(recursive: true);

    private static async Task<int> OverdueOnAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var match = Regex.Match(html, "data-testid=\"datalife-overdue-count\">([0-9,]+)<");
        Assert.True(match.Success, $"no DataLife overdue count on {page}");
        return int.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task The_admin_and_compliance_homes_show_sessions_overdue_for_the_purge()
    {
        using var admin = await factory.SignedInClientAsync("admin@msme.local");
        using var compliance = await factory.SignedInClientAsync("compliance@msme.local");
        var consent = TestConsents.Write(_work.FullName);
        var imported = await factory.Services.GetRequiredService<BundleImporter>()
            .ImportAsync(TestConsents.Sample("setu_mock_deposit_XXXXXXX123_extract.json"), consent, "test");
        Assert.Equal(ImportStatus.Imported, imported.Status);
        var before = (await OverdueOnAsync(admin, "/admin"), await OverdueOnAsync(compliance, "/compliance"));

        await using (var db = await factory.DbAsync())
        {
            await db.Consents.ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, ConsentStatus.Revoked));
        }

        Assert.Equal((0, 0), before);
        Assert.Equal(1, await OverdueOnAsync(admin, "/admin"));
        Assert.Equal(1, await OverdueOnAsync(compliance, "/compliance"));
    }
}
