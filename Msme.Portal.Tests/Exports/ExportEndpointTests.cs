using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Exports;
using Msme.Portal.Features.Risk;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Exports;

/// <summary>
/// The download endpoints over the real app with six demo customers (loan book and agent portfolios as the demo loader
/// makes them): who may download what, that the files hold what the page shows, and that every download is audited.
/// </summary>
public sealed class ExportEndpointTests(ExportEndpointTests.DemoFactory factory) : IClassFixture<ExportEndpointTests.DemoFactory>
{
    public sealed class DemoFactory : PortalFactory, IAsyncLifetime
    {
        protected override int DemoCustomers => 6;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Msme:DemoMonths", "8");
        }

        public async Task InitializeAsync()
        {
            _ = Server;
            await Services.WaitForDemoDataAsync();
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private static readonly (string Email, string Role)[] Users =
    [
        (DemoUsers.Agent1, Roles.Agent), ("risk@msme.local", Roles.RiskManager), ("compliance@msme.local", Roles.Compliance), ("admin@msme.local", Roles.Admin),
    ];

    public static TheoryData<string, string> ExportMatrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var key in AccessPolicy.Endpoints.Keys.Where(k => k.StartsWith("GET /exports/", StringComparison.Ordinal) || k == "GET " + ExportEndpoints.AuditTrailXlsx))
        {
            foreach (var (email, _) in Users)
            {
                data.Add(key["GET ".Length..], email);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ExportMatrix))]
    public async Task Each_export_answers_exactly_the_roles_of_its_page(string route, string email)
    {
        var allowed = AccessPolicy.Endpoints["GET " + route].Contains(Users.Single(u => u.Email == email).Role);
        using var client = await factory.SignedInClientAsync(email);

        var response = await client.GetAsync(route);

        if (!allowed)
        {
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("AccessDenied", response.Headers.Location?.ToString() ?? "");
            return;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var type = response.Content.Headers.ContentType!.MediaType;
        Assert.Equal(route.EndsWith(".csv") ? "text/csv" : route.EndsWith(".zip") ? "application/zip" : ExportWriter.XlsxContentType, type);
        Assert.StartsWith("attachment;", response.Content.Headers.ContentDisposition!.ToString());
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0);
    }

    private async Task<List<IDictionary<string, object?>>> DownloadAsync(string email, string url)
    {
        using var client = await factory.SignedInClientAsync(email);
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var type = url.Contains(".csv", StringComparison.Ordinal) ? ExcelType.CSV : ExcelType.XLSX;
        return [.. body.Query(useHeaderRow: true, excelType: type).Cast<IDictionary<string, object?>>()];
    }

    private async Task<List<string>> HeadersAsync(string email, string url)
    {
        using var client = await factory.SignedInClientAsync(email);
        var bytes = await client.GetByteArrayAsync(url);
        var type = url.Contains(".csv", StringComparison.Ordinal) ? ExcelType.CSV : ExcelType.XLSX;
        return [.. new MemoryStream(bytes).Query(useHeaderRow: false, excelType: type).Cast<IDictionary<string, object?>>().First().Values.Select(v => v?.ToString() ?? "")];
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<QueuePage> QueueAsync(CollectionsViewer viewer, QueueQuery query)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CollectionsService>().QueueAsync(viewer, query with { PageSize = int.MaxValue });
    }

    private async Task<Msme.Portal.Data.Entities.AuditEntry> LastAuditAsync()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.OrderByDescending(a => a.Id).FirstAsync();
    }

    private static readonly string[] QueueHeaders =
    [
        "Customer id", "Customer", "Loan", "Product", "Instalment", "Due date", "EMI (₹)", "Probability", "Best window from", "Best window to",
        "Window probability", "Expected balance (₹)", "Status", "DPD", "Bucket", "Risk amount (₹)", "Top action", "Forecasts as of", "Follow-ups",
    ];

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task The_queue_export_has_every_row_of_the_admin_queue_in_the_page_order_with_emi_as_numbers(string format)
    {
        var expected = await QueueAsync(new CollectionsViewer("admin", SeesAll: true), new QueueQuery());

        var headers = await HeadersAsync("admin@msme.local", $"{ExportEndpoints.CollectionsQueue}.{format}");
        var rows = await DownloadAsync("admin@msme.local", $"{ExportEndpoints.CollectionsQueue}.{format}");

        Assert.Equal(QueueHeaders, headers);
        Assert.NotEmpty(expected.Items);
        Assert.Equal(expected.Items.Select(i => $"{i.LoanId}#{i.InstalmentNumber}"), rows.Select(r => $"{r["Loan"]}#{Convert.ToInt32(r["Instalment"])}"));
        Assert.Equal(expected.Items.Select(i => i.Emi), rows.Select(r => Math.Round(Convert.ToDecimal(r["EMI (₹)"], System.Globalization.CultureInfo.InvariantCulture), 2)));
        if (format == "xlsx")
        {
            Assert.All(rows, r => Assert.IsType<double>(r["EMI (₹)"]));
            Assert.All(rows, r => Assert.IsType<DateTime>(r["Due date"]));
            Assert.Equal(expected.Items.Select(i => i.DueDate.ToDateTime(TimeOnly.MinValue)), rows.Select(r => (DateTime)r["Due date"]!));
        }
        else
        {
            Assert.Equal(expected.Items.Select(i => i.DueDate.ToString("yyyy-MM-dd")), rows.Select(r => (string)r["Due date"]!));
        }
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task An_agent_exports_only_their_portfolio_with_the_filters_on_screen_and_the_download_is_audited(string format)
    {
        var agentId = await UserIdAsync(DemoUsers.Agent1);
        List<int> portfolio;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync())
        {
            portfolio = await db.AgentPortfolios.Where(p => p.AgentUserId == agentId).Select(p => p.CustomerId).ToListAsync();
        }
        var all = await QueueAsync(new CollectionsViewer("admin", SeesAll: true), new QueueQuery());
        var mine = await QueueAsync(new CollectionsViewer(agentId, SeesAll: false), new QueueQuery(SortBy: "due", Descending: false));
        var url = $"{ExportEndpoints.CollectionsQueue}.{format}?filter=All&sort=due&desc=false";

        var rows = await DownloadAsync(DemoUsers.Agent1, url);
        var audit = await LastAuditAsync();

        Assert.NotEmpty(rows);
        Assert.True(all.TotalItems > rows.Count, "the admin's queue has customers outside agent1's portfolio");
        Assert.All(rows, r => Assert.Contains(Convert.ToInt32(r["Customer id"]), portfolio));
        Assert.Equal(mine.Items.Select(i => $"{i.LoanId}#{i.InstalmentNumber}"), rows.Select(r => $"{r["Loan"]}#{Convert.ToInt32(r["Instalment"])}"));
        Assert.Equal("export", audit.Action);
        Assert.Equal(DemoUsers.Agent1, audit.UserName);
        Assert.Equal($"{ExportEndpoints.CollectionsQueue}.{format}", audit.Target);
        Assert.Contains("filter=All", audit.Details);
        Assert.Contains("sort=due asc", audit.Details);
        Assert.Contains("own portfolio", audit.Details);
        Assert.EndsWith($"; {rows.Count} rows", audit.Details);
    }

    [Fact]
    public async Task The_overdue_filter_on_screen_is_the_filter_of_the_file()
    {
        var expected = await QueueAsync(new CollectionsViewer("admin", SeesAll: true), new QueueQuery(QueueFilter.Overdue));

        var rows = await DownloadAsync("risk@msme.local", $"{ExportEndpoints.CollectionsQueue}.csv?filter=Overdue");

        Assert.Equal(expected.TotalItems, rows.Count);
        Assert.All(rows, r => Assert.Equal("Overdue", r["Status"]));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task The_anomaly_export_is_the_queue_with_the_page_filters_and_the_texts_a_risk_manager_sees(string format)
    {
        AnomalyPage expected;
        using (var scope = factory.Services.CreateScope())
        {
            expected = await scope.ServiceProvider.GetRequiredService<RiskService>().QueueAsync(AnomalyFilter.Open, new Reviewer("x", "x"), 0, int.MaxValue, null, true);
        }

        var rows = await DownloadAsync("risk@msme.local", $"{ExportEndpoints.RiskAnomalies}.{format}?state=New&state=Acknowledged");
        var audit = await LastAuditAsync();

        Assert.NotEmpty(expected.Items);
        Assert.Equal(expected.Items.Select(r => r.Key), rows.Select(r => (string)r["Key"]!));
        Assert.Equal(expected.Items.Select(r => r.Event.Explanation.Narrative), rows.Select(r => (string)r["Why"]!));
        Assert.Equal(expected.Items.Select(r => r.Event.Amount), rows.Select(r => Math.Round(Convert.ToDecimal(r["Amount (₹)"], System.Globalization.CultureInfo.InvariantCulture), 2)));
        Assert.Equal(expected.Items.Select(r => string.Join(", ", r.Event.Detectors)), rows.Select(r => (string)r["Detectors"]!));
        Assert.Contains("state=New,Acknowledged", audit.Details);
        Assert.EndsWith($"; {rows.Count} rows", audit.Details);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task The_portfolio_reports_hold_the_bucket_table_and_the_dashboard_figures(string format)
    {
        var buckets = await DownloadAsync("risk@msme.local", $"{ExportEndpoints.CollectionsPortfolio}.{format}");
        var figures = await DownloadAsync("admin@msme.local", $"{ExportEndpoints.RiskDashboard}.{format}");
        PortfolioSummary summary;
        using (var scope = factory.Services.CreateScope())
        {
            summary = await scope.ServiceProvider.GetRequiredService<CollectionsService>().PortfolioAsync();
        }

        var all = Assert.Single(buckets, r => (string)r["Bucket"]! == "All");
        Assert.Equal(summary.Simulation.Buckets.Count + 1, buckets.Count);
        Assert.Equal(summary.Simulation.Total.Due, Math.Round(Convert.ToDecimal(all["EMI due (₹)"], System.Globalization.CultureInfo.InvariantCulture), 2));
        Assert.Equal(summary.Simulation.Total.Instalments, Convert.ToInt32(all["Instalments"], System.Globalization.CultureInfo.InvariantCulture));
        var customers = Assert.Single(figures, r => (string)r["Figure"]! == "Customers with AA data");
        Assert.Equal(6, Convert.ToInt32(customers["Count"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(figures, r => (string)r["Figure"]! == "Portfolio inflow by month" && Convert.ToDecimal(r["Amount (₹)"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains(figures, r => (string)r["Figure"]! == "Income stability tier (customers)");
    }

    [Fact]
    public async Task The_audit_trail_in_excel_has_every_entry_up_to_the_download_and_the_download_itself_is_audited()
    {
        var rows = await DownloadAsync("compliance@msme.local", ExportEndpoints.AuditTrailXlsx);
        var audit = await LastAuditAsync();

        Assert.Equal("export", audit.Action);
        Assert.Equal(ExportEndpoints.AuditTrailXlsx, audit.Target);
        Assert.Equal($"Audit trail as XLSX; entries 1..{audit.Id - 1}; {audit.Id - 1} rows", audit.Details);
        Assert.Equal(audit.Id - 1, rows.Count);
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (double)i), rows.Select(r => Convert.ToDouble(r["Id"])));
        Assert.Equal(audit.PreviousHash, rows[^1]["Hash"]);
        Assert.IsType<DateTime>(rows[^1]["At (IST)"]);
    }

    [Fact]
    public async Task The_lake_zip_holds_three_parquet_files_and_is_audited()
    {
        using var client = await factory.SignedInClientAsync("admin@msme.local");

        var bytes = await client.GetByteArrayAsync(ExportEndpoints.Lake);
        var audit = await LastAuditAsync();

        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        Assert.Equal([LakeExport.AnomaliesFile, LakeExport.MonthlyFile, LakeExport.TransactionsFile], zip.Entries.Select(e => e.Name).Order());
        Assert.Equal("export", audit.Action);
        Assert.Equal(ExportEndpoints.Lake, audit.Target);
        Assert.Matches(@"^Parquet lake: \d+ transactions \(0 withheld: consent not usable for analytics\), \d+ monthly rows, \d+ anomalies; narrations as received$", audit.Details);
    }
}
