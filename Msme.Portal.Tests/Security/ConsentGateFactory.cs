using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Msme.Domain.Consent;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Customers;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Api;
using Msme.Portal.Tests.Infrastructure;
using Parquet;
using Parquet.Schema;

namespace Msme.Portal.Tests.Security;

/// <summary>How a customer's AA data came to be withheld.</summary>
public enum Withheld
{
    /// <summary>An admin paused the consents (in this process).</summary>
    Paused,
    /// <summary>An admin revoked the consents (in this process).</summary>
    Revoked,
    /// <summary>The consent expiry passed on the app's clock; nobody wrote anything.</summary>
    ExpiredByClock,
    /// <summary>A second connection on the same database file changed the purpose to 102, which allows no use.</summary>
    PurposeNotAllowedBySecondProcess,
    /// <summary>DataLife ended and the purge ran.</summary>
    DataLifePurged,
    /// <summary>A second connection on the same database file revoked the consents (as the CLI or another portal would).</summary>
    RevokedBySecondProcess,
}

/// <summary>
/// The real app on a pinned clock with demo customers, whose background purge and risk warm-up are off (so nothing
/// but the request itself can notice a change). Every customer-data route is requested once for every customer while
/// all data is usable (the caches fill), then one customer per <see cref="Withheld"/> state loses its data, by the
/// ways a real store would: an admin in this process, a second connection on the same file, the clock, the purge.
/// </summary>
public sealed class ConsentGateFactory : PortalFactory, IAsyncLifetime
{
    /// <summary>2026-11-15 10:00 IST: the demo data ends 2026-10-31.</summary>
    public new FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 15, 10, 0, 0, TimeSpan.FromHours(5.5)));

    protected override int DemoCustomers => 16;

    /// <summary>The customer whose data each state withholds.</summary>
    public Dictionary<Withheld, int> Customers { get; } = [];

    /// <summary>Strings only that customer's AA data (or what is computed from it) produces: txn ids, narrations, balances, loan ids, lake rows.</summary>
    public Dictionary<int, Identifiers> Known { get; } = [];

    /// <summary>A customer whose data stays usable: the control that shows the identifiers are found when present.</summary>
    public int Control { get; private set; }

    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Msme:DemoMonths", "6");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            // No background purge or warm-up: a request must see a change by itself, at once.
            foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService)
                && (d.ImplementationType == typeof(PurgeWorker) || d.ImplementationType == typeof(Msme.Portal.Features.Risk.RiskCacheWarmer))).ToList())
            {
                services.Remove(hosted);
            }
        });
    }

    public async Task InitializeAsync()
    {
        await Services.WaitForDemoDataAsync();
        Admin = await SignedInClientAsync("admin@msme.local");
        Api = this.ApiClient((await this.NewClientAsync(Msme.Domain.Roles.Admin)).Token);
        var now = Clock.GetUtcNow();

        // Customers whose rows the queue shows (monitoring data and a loan), each with identifiers no other customer has.
        var queue = await Admin.GetStringAsync("/exports/collections-queue.csv");
        await using (var db = await this.DbAsync())
        {
            var ids = await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
            foreach (var id in ids)
            {
                Known[id] = await IdentifiersAsync(db, id);
            }
            var candidates = ids.Where(id => Known[id].LoanIds.Any(l => queue.Contains(l, StringComparison.Ordinal)) && Known[id].Txns.Count > 0).ToList();
            var states = Enum.GetValues<Withheld>();
            if (candidates.Count < states.Length + 1)
            {
                throw new InvalidOperationException($"only {candidates.Count} demo customers have queue rows and unique transactions");
            }
            for (var i = 0; i < states.Length; i++)
            {
                Customers[states[i]] = candidates[i];
            }
            Control = candidates[states.Length];

            // Set up before the caches fill, so that afterwards only the clock moves them: the expiry comes in 3 hours,
            // and DataLife (1 day from the fetch) ends in 1 hour.
            var expiring = Customers[Withheld.ExpiredByClock];
            await db.Consents.Where(c => c.CustomerId == expiring).ExecuteUpdateAsync(u => u.SetProperty(c => c.ConsentExpiry, now.AddHours(3)));
            var ending = Customers[Withheld.DataLifePurged];
            await db.Consents.Where(c => c.CustomerId == ending).ExecuteUpdateAsync(u => u.SetProperty(c => c.DataLifeUnit, "DAY").SetProperty(c => c.DataLifeValue, 1));
            await db.FetchSessions.Where(s => s.Consent!.CustomerId == ending).ExecuteUpdateAsync(u => u.SetProperty(s => s.FetchedAt, now.AddDays(-1).AddHours(1)));
        }

        // Every route once for every customer while everything is usable: the caches now hold each customer's analysis.
        var seen = new HashSet<int>();
        foreach (var route in CustomerDataRoutes.All())
        {
            foreach (var id in route.PerCustomer ? Customers.Values.Append(Control) : [Control])
            {
                var body = await FetchAsync(route, id);
                foreach (var (customer, known) in Known.Where(k => Customers.ContainsValue(k.Key) || k.Key == Control))
                {
                    if (known.FoundIn(body) is not null) seen.Add(customer);
                }
            }
        }
        var unseen = Customers.Values.Append(Control).Where(id => !seen.Contains(id)).ToList();
        if (unseen.Count > 0)
        {
            throw new InvalidOperationException($"no route showed the identifiers of customers {string.Join(", ", unseen)} while their data was usable");
        }

        // Withhold: an admin pauses and revokes here; a second connection changes a purpose; the purge runs after DataLife.
        using (var scope = Services.CreateScope())
        {
            var lineage = scope.ServiceProvider.GetRequiredService<ConsentLineageService>();
            foreach (var (status, customer) in new[] { (ConsentStatus.Paused, Customers[Withheld.Paused]), (ConsentStatus.Revoked, Customers[Withheld.Revoked]) })
            {
                await using var db = await this.DbAsync();
                foreach (var consent in await db.Consents.Where(c => c.CustomerId == customer && c.Status == ConsentStatus.Active).Select(c => c.Id).ToListAsync())
                {
                    Assert.Null(await lineage.ChangeStatusAsync(consent, status, "admin", "admin@msme.local", "consent gate test"));
                }
            }
        }
        await SecondProcessAsync($"UPDATE Consents SET PurposeCode = '102' WHERE CustomerId = {Customers[Withheld.PurposeNotAllowedBySecondProcess]}");
        Clock.Advance(TimeSpan.FromHours(2));
        using (var scope = Services.CreateScope())
        {
            var purged = await scope.ServiceProvider.GetRequiredService<PurgeService>().PurgeAsync();
            if (purged.SessionsPurged == 0) throw new InvalidOperationException("the purge found no session past its DataLife");
        }
        // Revoked after the purge ran, so this one is withheld by its status alone, not by deleted rows.
        await SecondProcessAsync($"UPDATE Consents SET Status = 'Revoked' WHERE CustomerId = {Customers[Withheld.RevokedBySecondProcess]}");
        Clock.Advance(TimeSpan.FromHours(2));
        // Four idle hours on the app's clock end the admin's sign-in (30-minute idle timeout): sign in again, or every
        // cookie route would answer the sign-in redirect and show nothing for the wrong reason.
        Admin = await SignedInClientAsync("admin@msme.local");
    }

    /// <summary>A write on the database file through a connection of its own, outside the app's services (as another process).</summary>
    public async Task SecondProcessAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "msme.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (await command.ExecuteNonQueryAsync() == 0) throw new InvalidOperationException($"changed nothing: {sql}");
    }

    /// <summary>The response body as text: zip entries unpacked (Excel's XML), Parquet files as one "lake-customer-N;" per row.</summary>
    public async Task<string> FetchAsync(CustomerDataRoute route, int customerId)
    {
        var url = route.Url(customerId);
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), url);
        if (route.Method == "POST")
        {
            var loanKey = Known[customerId].LoanKeys.FirstOrDefault();
            request.Content = new StringContent($$"""{ "loanKey": {{loanKey}}, "day": 5, "channel": "UpiLink" }""", Encoding.UTF8, "application/json");
        }
        using var response = await (route.IsApi ? Api : Admin).SendAsync(request);
        Assert.True(response.StatusCode is not (HttpStatusCode.InternalServerError or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
            $"{route.Method} {url}: {(int)response.StatusCode}");
        // A redirect (to the sign-in page, above all) shows nothing for the wrong reason: the route must answer itself.
        Assert.False((int)response.StatusCode is >= 300 and < 400, $"{route.Method} {url}: {(int)response.StatusCode} to {response.Headers.Location}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return bytes is [0x50, 0x4B, ..] ? await UnzipAsync(bytes) : Encoding.UTF8.GetString(bytes);
    }

    private static async Task<string> UnzipAsync(byte[] bytes)
    {
        var text = new StringBuilder();
        using var zip = new ZipArchive(new MemoryStream(bytes));
        foreach (var entry in zip.Entries)
        {
            using var buffer = new MemoryStream();
            await using (var stream = entry.Open()) await stream.CopyToAsync(buffer);
            if (entry.Name.EndsWith(".parquet", StringComparison.Ordinal))
            {
                buffer.Position = 0;
                await using var reader = await ParquetReader.CreateAsync(buffer);
                var field = reader.Schema.DataFields.Single(f => f.Name == "customer_id");
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var group = reader.OpenRowGroupReader(g);
                    var ids = new int[group.RowCount];
                    await group.ReadAsync<int>(field, ids.AsMemory());
                    foreach (var id in ids) text.Append(CultureInfo.InvariantCulture, $"lake-customer-{id};");
                }
            }
            else
            {
                text.Append(Encoding.UTF8.GetString(buffer.ToArray()));
            }
        }
        return text.ToString();
    }

    private static async Task<Identifiers> IdentifiersAsync(Msme.Portal.Data.ApplicationDbContext db, int customerId)
    {
        var accounts = await db.Accounts.Where(a => a.CustomerId == customerId).Select(a => new { a.Id, a.CurrentBalancePaise }).ToListAsync();
        var accountIds = accounts.Select(a => a.Id).ToList();
        // Txn ids and narrations of this customer's newest rows that no other customer's row carries; plain characters
        // only, so HTML, CSV and JSON show them alike.
        var mine = await db.Transactions.Where(t => accountIds.Contains(t.AccountId)).OrderByDescending(t => t.TimestampUnixMs).Take(400)
            .Select(t => new { t.TxnId, t.Narration }).ToListAsync();
        static bool Plain(string? s) => s is { Length: >= 8 } && s.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '/' or '-' or '.');
        var txnIds = mine.Select(t => t.TxnId).Where(Plain).Distinct().ToList();
        var narrations = mine.Select(t => t.Narration).Where(Plain).Select(n => n!).Distinct().ToList();
        var sharedTxns = await db.Transactions.Where(t => !accountIds.Contains(t.AccountId) && txnIds.Contains(t.TxnId)).Select(t => t.TxnId).Distinct().ToListAsync();
        var sharedNarrations = await db.Transactions.Where(t => !accountIds.Contains(t.AccountId) && narrations.Contains(t.Narration!)).Select(t => t.Narration!).Distinct().ToListAsync();
        var loans = await db.Loans.Where(l => l.CustomerId == customerId).Select(l => new { l.Id, l.LoanId }).ToListAsync();
        var balances = accounts.Where(a => a.CurrentBalancePaise is >= 10_000_000).SelectMany(a =>
        {
            var rupees = a.CurrentBalancePaise!.Value / 100m;
            return new[] { Msme.Portal.Components.Shared.IndianFormat.Money(rupees), rupees.ToString("0.00", CultureInfo.InvariantCulture) };
        }).ToList();
        return new Identifiers(customerId,
            [.. txnIds.Except(sharedTxns).Take(8)], [.. narrations.Except(sharedNarrations).Take(8)], balances,
            [.. loans.Select(l => l.LoanId)], [.. loans.Select(l => l.Id)]);
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        Admin?.Dispose();
        Api?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>What only one customer's AA data produces, to look for in a response.</summary>
public sealed record Identifiers(int CustomerId, IReadOnlyList<string> Txns, IReadOnlyList<string> Narrations, IReadOnlyList<string> Balances,
    IReadOnlyList<string> LoanIds, IReadOnlyList<int> LoanKeys)
{
    /// <summary>The lake's rows of this customer (see <see cref="ConsentGateFactory.FetchAsync"/>).</summary>
    public string LakeRow => string.Create(CultureInfo.InvariantCulture, $"lake-customer-{CustomerId};");

    /// <summary>The first identifier found in the body, or null. Loan ids are book data: they count only where many customers are listed (a queue row).</summary>
    public string? FoundIn(string body, bool listing = true) =>
        Txns.Concat(Narrations).Concat(Balances).Concat(listing ? LoanIds : []).Append(LakeRow)
            .Select(s => (Raw: s, Html: WebUtility.HtmlEncode(s)))
            .Where(s => body.Contains(s.Raw, StringComparison.Ordinal) || body.Contains(s.Html, StringComparison.Ordinal))
            .Select(s => s.Raw).FirstOrDefault();
}

/// <summary>One page, export or API endpoint, discovered from the access policy, with its route parameters filled.</summary>
public sealed record CustomerDataRoute(string Method, string Template)
{
    public bool IsApi => Template.StartsWith("/api/", StringComparison.Ordinal);

    /// <summary>The route names one customer (its data is looked for only when that customer is asked for); otherwise it lists many.</summary>
    public bool PerCustomer => Template.Contains("{id:int}", StringComparison.OrdinalIgnoreCase);

    public string Url(int customerId) => Template
        .Replace("{Id:int}", customerId.ToString(CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)
        .Replace("{documentName}", "v1", StringComparison.Ordinal).Replace("{documentName?}", "v1", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Template}";
}

/// <summary>
/// Every route that could show customer data, discovered as the access-policy test discovers routes: every page of
/// <see cref="AccessPolicy.Pages"/> (the customer page once per tab of <see cref="CustomerTabs"/>) and every GET of
/// <see cref="AccessPolicy.Endpoints"/>, plus the POSTs that compute for one customer. A new page, tab, export or API
/// endpoint is covered without editing the test. Identity's pages, the API reference and AA-only endpoints show none.
/// </summary>
public static class CustomerDataRoutes
{
    public static IEnumerable<CustomerDataRoute> All()
    {
        foreach (var page in AccessPolicy.Pages.Keys.Where(p => p != "/"))
        {
            if (page.Contains("{Tab}", StringComparison.Ordinal))
            {
                foreach (var tab in CustomerTabs.All) yield return new("GET", page.Replace("{Tab}", tab.Slug, StringComparison.Ordinal));
            }
            else
            {
                yield return new("GET", page);
            }
        }
        foreach (var key in AccessPolicy.Endpoints.Keys)
        {
            var (method, route) = (key[..key.IndexOf(' ')], key[(key.IndexOf(' ') + 1)..]);
            if (route.StartsWith("/scalar", StringComparison.Ordinal) || route.StartsWith("/openapi", StringComparison.Ordinal)) continue;
            if (method == "GET" || (method == "POST" && route.Contains("/customers/{id:int}/", StringComparison.Ordinal)))
            {
                yield return new(method, route);
            }
        }
    }
}
