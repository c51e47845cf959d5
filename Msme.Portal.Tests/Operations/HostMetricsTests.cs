using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.DemoData;
using Msme.Portal.Tests.Api;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Operations;

/// <summary>The web host's own meter (what its exporter would send): an API import and a read refused by the gate are counted there.</summary>
public sealed class HostMetricsTests(PortalFactory factory) : IClassFixture<PortalFactory>, IDisposable
{
    private readonly MetricsCapture _metrics = new(factory.Services);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-host-metrics-");

    public void Dispose()
    {
        _metrics.Dispose();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task An_api_import_and_a_read_of_a_revoked_customer_are_counted_on_the_hosts_meter()
    {
        var customer = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 1, Months: 4, Seed: 63)).Single();
        var folder = Path.Combine(_work.FullName, "bundle");
        DemoBundleWriter.Write(customer, folder);
        var zip = Path.Combine(_work.FullName, "bundle.zip");
        ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Fastest, includeBaseDirectory: true);
        var body = new ByteArrayContent(await File.ReadAllBytesAsync(zip));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var admin = await factory.ApiClientAsync(Roles.Admin);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/imports", body)).StatusCode);

        int id, transactions;
        await using (var db = await factory.DbAsync())
        {
            id = await db.Customers.Where(c => c.AaHandle == customer.Customer.AaHandle).Select(c => c.Id).SingleAsync();
            transactions = await db.Transactions.CountAsync(t => db.Accounts.Any(a => a.Id == t.AccountId && a.CustomerId == id));
        }
        Assert.Equal(1, _metrics.Sum("msme.import.bundles", ("outcome", "imported")));
        Assert.Equal(transactions, _metrics.Sum("msme.import.transactions"));
        Assert.Equal(1, _metrics.Count("msme.import.duration"));
        Assert.True(_metrics.Sum("msme.audit.appends") >= 1);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/customers/{id}/analytics")).StatusCode);
        Assert.Equal(0, _metrics.Sum("msme.consent_gate.denials", ("reason", "revoked")));
        await using (var db = await factory.DbAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE Consents SET Status = 'Revoked' WHERE CustomerId = {id};");
        }

        await admin.GetAsync($"/api/v1/customers/{id}/analytics");

        // At least the analytics read's; the risk warm-up, which reads every customer through the gate too, may add its own.
        Assert.True(_metrics.Sum("msme.consent_gate.denials", ("reason", "revoked")) >= 1);
    }
}
