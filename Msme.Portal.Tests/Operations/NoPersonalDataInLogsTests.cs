using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msme.Domain;
using Msme.Domain.DemoData;
using Msme.Domain.Ingestion;
using Msme.Portal.Features.Api;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Api;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Operations;

/// <summary>
/// The portal as shipped (its own categories raised to Debug, the framework's as appsettings has them) through a demo
/// load over the AA connector, API imports (one of them rejected for a bad value, in a folder named after the business),
/// customer pages and API reads: no customer's name, PAN, Udyam number, account number, phone, e-mail or VPA reaches any
/// log line, exception or scope; and log lines written inside a request carry its trace id.
/// </summary>
public sealed class NoPersonalDataInLogsTests : IAsyncLifetime
{
    private readonly LoggedPortalFactory _factory = new();
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-pii-logs-");

    public async Task InitializeAsync() => await _factory.Services.WaitForDemoDataAsync();

    public Task DisposeAsync()
    {
        _factory.Dispose();
        _work.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private sealed class LoggedPortalFactory : PortalFactory
    {
        public CapturingLoggerProvider Logs { get; } = new();

        protected override int DemoCustomers => 4;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Msme:DemoMonths", "8");
            builder.UseSetting("Logging:LogLevel:Msme", "Debug");
            builder.ConfigureTestServices(s => s.AddSingleton<ILoggerProvider>(Logs));
        }
    }

    [Fact]
    public async Task No_log_line_carries_a_customers_personal_data_and_request_lines_carry_the_trace_id()
    {
        var good = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 2, Months: 4, Seed: 91)).ToList();
        using var admin = await _factory.ApiClientAsync(Roles.Admin);

        var imported = await admin.PostAsync("/api/v1/imports", Zip(Bundle(good[0], "new-customer")));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        // A bundle named after the business, with a transaction amount that is not a number: rejected, naming the account.
        var brokenFolder = Bundle(good[1], good[1].Customer.LegalName!);
        Corrupt(brokenFolder);
        var rejected = await admin.PostAsync("/api/v1/imports", Zip(brokenFolder));
        Assert.Equal((HttpStatusCode)422, rejected.StatusCode);
        var issue = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync()).RootElement.GetProperty("outcomes")[0].GetProperty("issues")
            .EnumerateArray().First(i => i.GetProperty("severity").GetString() == "error");
        Assert.False(string.IsNullOrEmpty(issue.GetProperty("account").GetString()), "the rejection names the account, so a careless log line would too");

        int[] customerIds;
        await using (var db = await _factory.DbAsync())
        {
            customerIds = await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).ToArrayAsync();
        }
        using (var risk = await _factory.SignedInClientAsync("risk@msme.local"))
        {
            foreach (var id in customerIds)
            {
                Assert.Equal(HttpStatusCode.OK, (await risk.GetAsync($"/customers/{id}")).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await risk.GetAsync($"/customers/{id}/accounts")).StatusCode);
            }
        }
        using (var api = await _factory.ApiClientAsync(Roles.RiskManager))
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/customers?search={Uri.EscapeDataString(good[0].Customer.LegalName!)}")).StatusCode);
            foreach (var id in customerIds)
            {
                Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/customers/{id}")).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/customers/{id}/analytics")).StatusCode);
            }
        }

        var personal = await PersonalDataAsync(good);
        var logs = _factory.Logs.Entries.ToList();
        // The test saw the lines it is about: the demo load, and the importer's line for the rejected bundle.
        Assert.Contains(logs, l => l.Category.EndsWith(".DemoDataLoader", StringComparison.Ordinal) && l.Message.StartsWith("Demo data", StringComparison.Ordinal));
        var importerLines = logs.Where(l => l.Category == typeof(BundleImporter).FullName && l.Message.StartsWith("rejected", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(importerLines);
        Assert.True(personal.Count > 40, $"only {personal.Count} personal values collected");

        var leaks = (from log in logs
                     from text in log.Texts()
                     from value in personal
                     where text.Contains(value, StringComparison.OrdinalIgnoreCase)
                     select $"{log.Category} [{log.Level}]: '{value}' in: {text}").Distinct().Take(20).ToList();
        Assert.True(leaks.Count == 0, "personal data in the logs:\n" + string.Join("\n", leaks));

        // Written inside the import request: the request's trace and span ids are in scope.
        Assert.All(importerLines, l =>
        {
            Assert.Contains(l.Scopes, s => s.Key == "TraceId" && s.Value?.ToString() is { Length: 32 });
            Assert.Contains(l.Scopes, s => s.Key == "SpanId" && s.Value?.ToString() is { Length: 16 });
        });
    }

    /// <summary>Every demo customer's name, PAN, Udyam, masked account number, holders' names, phones, e-mails and PANs, and the VPAs their statements name.</summary>
    private async Task<HashSet<string>> PersonalDataAsync(IEnumerable<DemoCustomer> generated)
    {
        var values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Add(string? value)
        {
            // Short values ("HUF", a 4-digit tail) would match by accident; every real identifier here is longer.
            if (value is { Length: >= 6 })
            {
                values.Add(value.Trim());
            }
        }
        void AddHolders(IEnumerable<Holder> holders)
        {
            foreach (var h in holders)
            {
                Add(h.Name);
                Add(h.Mobile);
                Add(h.Email);
                Add(h.Pan);
                Add(h.Ckyc);
            }
        }
        await using var db = await _factory.DbAsync();
        foreach (var c in await db.Customers.ToListAsync())
        {
            Add(c.LegalName);
            Add(c.Pan);
            Add(c.Udyam);
        }
        foreach (var a in await db.Accounts.ToListAsync())
        {
            Add(a.MaskedAccNumber);
            AddHolders(JsonSerializer.Deserialize<List<Holder>>(a.HoldersJson) ?? []);
        }
        var vpa = new Regex(@"[A-Za-z0-9._\-]{3,}@[A-Za-z]{3,}");
        foreach (var narration in await db.Transactions.Where(t => t.Narration != null && t.Narration.Contains("@")).Select(t => t.Narration!).Distinct().ToListAsync())
        {
            foreach (Match m in vpa.Matches(narration))
            {
                Add(m.Value);
            }
        }
        foreach (var c in generated)
        {
            Add(c.Customer.LegalName);
            Add(c.Customer.Pan);
            Add(c.Customer.Udyam);
            foreach (var a in c.Accounts)
            {
                Add(a.MaskedAccNumber);
                AddHolders(a.Holders);
            }
        }
        return values;
    }

    private string Bundle(DemoCustomer customer, string name)
    {
        var folder = Path.Combine(_work.FullName, name);
        DemoBundleWriter.Write(customer, folder);
        return folder;
    }

    /// <summary>The first transaction amount of the first document made into something that is not a number.</summary>
    private static void Corrupt(string folder)
    {
        var document = Directory.GetFiles(folder, "fi-1.*").Single();
        var text = File.ReadAllText(document);
        var amount = new Regex(@"(amount""?\s*[:=]\s*"")(\d+\.\d\d)""");
        Assert.Matches(amount, text);
        File.WriteAllText(document, amount.Replace(text, "${1}12,34x\"", 1));
    }

    private ByteArrayContent Zip(string folder)
    {
        var zip = Path.Combine(_work.FullName, Guid.NewGuid().ToString("N") + ".zip");
        ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Fastest, includeBaseDirectory: true);
        var content = new ByteArrayContent(File.ReadAllBytes(zip));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }
}
