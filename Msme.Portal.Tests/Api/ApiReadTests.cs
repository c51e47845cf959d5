using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Consent;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Api;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Api;

/// <summary>The read endpoints over demo data: shapes, masking, portfolios, refusals, ProblemDetails and the audit of every call.</summary>
public abstract class ApiReadCases(ApiDemoFactory factory)
{
    // First: without a PostgreSQL server the PostgreSQL cases skip here.
    private readonly bool _available = ApiDemoFactory.Available(factory);

    private async Task<int> CustomerWithLoansAsync(string? agentEmail = null)
    {
        await using var db = await factory.DbAsync();
        // Collections read the monitoring use only: a customer with loans whose consent allows it (the demo's purposes follow its as-of).
        var withLoans = db.Loans.Select(l => l.CustomerId)
            .Where(id => db.Consents.Any(c => c.CustomerId == id && c.Status == Msme.Domain.Consent.ConsentStatus.Active && c.PurposeCode == "104"));
        if (agentEmail is null)
        {
            return await withLoans.OrderBy(i => i).FirstAsync();
        }
        var agent = await factory.UserIdAsync(agentEmail);
        return await db.AgentPortfolios.Where(p => p.AgentUserId == agent && withLoans.Contains(p.CustomerId)).Select(p => p.CustomerId).OrderBy(i => i).FirstAsync();
    }

    [SkippableFact]
    public async Task No_token_is_401_problem_with_a_bearer_challenge_never_a_redirect()
    {
        using var client = factory.ApiClient(null);

        var response = await client.GetAsync("/api/v1/customers");

        await response.AssertProblemAsync(401);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [SkippableFact]
    public async Task A_signed_in_admins_cookie_is_not_a_credential_for_the_api()
    {
        using var browser = await factory.SignedInClientAsync("admin@msme.local");

        var response = await browser.GetAsync("/api/v1/customers");

        await response.AssertProblemAsync(401);
    }

    [SkippableFact]
    public async Task Unknown_and_revoked_tokens_are_401()
    {
        var (token, _, id) = await factory.NewClientAsync(Roles.Admin);
        using var client = factory.ApiClient(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/customers")).StatusCode);
        using (var scope = factory.Services.CreateScope())
        {
            Assert.Null(await scope.ServiceProvider.GetRequiredService<ApiClientService>().RevokeAsync(id, "test-admin"));
        }

        var revoked = await client.GetAsync("/api/v1/customers");
        using var unknown = factory.ApiClient(ApiClientService.TokenPrefix + "not-a-real-token");
        var bogus = await unknown.GetAsync("/api/v1/customers");

        var body = await revoked.AssertProblemAsync(401);
        Assert.Contains("revoked", body.GetProperty("detail").GetString());
        await bogus.AssertProblemAsync(401);
    }

    [SkippableFact]
    public async Task A_role_the_endpoint_does_not_allow_is_403_problem()
    {
        using var agent = await factory.ApiClientAsync(Roles.Agent, "agent1@msme.local");
        using var notifier = await factory.ApiClientAsync(ApiRoles.AaNotifier);

        await (await agent.GetAsync("/api/v1/consents")).AssertProblemAsync(403);
        await (await agent.PostAsync("/api/v1/imports", new StringContent("{}", Encoding.UTF8, "application/json"))).AssertProblemAsync(403);
        // The AA's role changes consent status and reads nothing.
        await (await notifier.GetAsync("/api/v1/customers")).AssertProblemAsync(403);
    }

    [SkippableFact]
    public async Task Customer_list_is_paged_and_masked_per_role_and_each_call_is_audited_naming_the_client()
    {
        var (adminToken, adminName, _) = await factory.NewClientAsync(Roles.Admin);
        using var admin = factory.ApiClient(adminToken);
        using var agent = await factory.ApiClientAsync(Roles.Agent, "agent1@msme.local");
        var (mine, theirs) = await factory.Agent1CustomersAsync();

        var all = await (await admin.GetAsync("/api/v1/customers?page=1&pageSize=3")).JsonAsync();
        var second = await (await admin.GetAsync("/api/v1/customers?page=2&pageSize=3")).JsonAsync();
        var agents = await (await agent.GetAsync("/api/v1/customers?pageSize=100")).JsonAsync();

        await using var db = await factory.DbAsync();
        Assert.Equal(await db.Customers.CountAsync(), all.GetProperty("total").GetInt32());
        Assert.Equal(1, all.GetProperty("page").GetInt32());
        Assert.Equal(3, all.GetProperty("pageSize").GetInt32());
        Assert.Equal(3, all.GetProperty("items").GetArrayLength());
        Assert.Equal(all.GetProperty("total").GetInt32() - 3, second.GetProperty("items").GetArrayLength());
        var pans = await db.Customers.Select(c => c.Pan).ToListAsync();
        // Admins see PANs as stored; agents only masked ones (as on the customers page), and only their portfolio.
        Assert.All(all.GetProperty("items").EnumerateArray(), c => Assert.Contains(c.GetProperty("pan").GetString(), pans));
        var agentIds = agents.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToList();
        Assert.Contains(mine, agentIds);
        Assert.DoesNotContain(theirs, agentIds);
        Assert.All(agents.GetProperty("items").EnumerateArray(), c => Assert.Contains(c.GetProperty("pan").GetString(), pans.Select(Msme.Domain.Privacy.Masking.Pan)));
        Assert.All(agents.GetProperty("items").EnumerateArray(), c => Assert.Contains("XXX", c.GetProperty("pan").GetString()));
        var audited = await db.AuditEntries.Where(e => e.UserName == "api:" + adminName).ToListAsync();
        Assert.Equal(2, audited.Count(e => e.Action == "view" && e.Target == "GET /api/v1/customers"));
        Assert.All(audited, e => Assert.Equal(Roles.Admin, e.Roles));
    }

    [SkippableFact]
    public async Task One_customer_has_profile_accounts_and_consents_and_the_view_is_audited_with_what_was_masked()
    {
        var (token, name, _) = await factory.NewClientAsync(Roles.Agent, "agent1@msme.local");
        using var agent = factory.ApiClient(token);
        var (mine, _) = await factory.Agent1CustomersAsync();

        var response = await agent.GetAsync($"/api/v1/customers/{mine}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(mine, body.GetProperty("id").GetInt32());
        Assert.True(body.GetProperty("accounts").GetArrayLength() > 0);
        Assert.Equal("ACTIVE", body.GetProperty("consents")[0].GetProperty("status").GetString());
        Assert.Contains("XXX", body.GetProperty("pan").GetString());
        Assert.Equal("pan,email,counterparties", body.GetProperty("masked").GetString());
        await using var db = await factory.DbAsync();
        var view = await db.AuditEntries.SingleAsync(e => e.UserName == "api:" + name);
        Assert.Equal(("view", $"GET /api/v1/customers/{mine}", mine), (view.Action, view.Target, view.CustomerId));
        Assert.Contains("masked: pan,email,counterparties", view.Details);
        // The agent client acts as its agent: the audit carries the agent's user id, the portfolio rules apply.
        Assert.Equal(await factory.UserIdAsync("agent1@msme.local"), view.UserId);
    }

    [SkippableTheory]
    [InlineData("/api/v1/customers/{0}")]
    [InlineData("/api/v1/customers/{0}/analytics")]
    [InlineData("/api/v1/customers/{0}/analytics/insights")]
    [InlineData("/api/v1/customers/{0}/collections")]
    public async Task Another_agents_customer_is_404_problem_and_the_attempt_is_audited(string route)
    {
        var (token, name, _) = await factory.NewClientAsync(Roles.Agent, "agent1@msme.local");
        using var agent = factory.ApiClient(token);
        var (_, theirs) = await factory.Agent1CustomersAsync();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, route, theirs);

        var response = await agent.GetAsync(url);

        await response.AssertProblemAsync(404);
        await using var db = await factory.DbAsync();
        var refused = await db.AuditEntries.SingleAsync(e => e.UserName == "api:" + name);
        Assert.Equal(("access-refused", "GET " + url, theirs), (refused.Action, refused.Target, refused.CustomerId));
    }

    [SkippableFact]
    public async Task What_if_for_another_agents_customer_is_404_and_audited()
    {
        var (token, name, _) = await factory.NewClientAsync(Roles.Agent, "agent2@msme.local");
        using var agent = factory.ApiClient(token);
        var theirs = await CustomerWithLoansAsync("agent1@msme.local");

        var response = await agent.PostAsJsonAsync($"/api/v1/customers/{theirs}/collections/what-if", new { loanKey = 1, day = 5, channel = "ENach" });

        await response.AssertProblemAsync(404);
        await using var db = await factory.DbAsync();
        Assert.Equal("access-refused", (await db.AuditEntries.SingleAsync(e => e.UserName == "api:" + name)).Action);
    }

    [SkippableTheory]
    [InlineData("/api/v1/customers?pageSize=1000", "pageSize")]
    [InlineData("/api/v1/customers?pageSize=0", "pageSize")]
    [InlineData("/api/v1/customers?page=0", "page")]
    [InlineData("/api/v1/consents?page=-1", "page")]
    public async Task Out_of_range_paging_is_400_validation_problem_naming_the_field(string url, string field)
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);

        var body = await (await admin.GetAsync(url)).AssertProblemAsync(400);

        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [SkippableTheory]
    [InlineData("/api/v1/customers?page=abc")]
    [InlineData("/api/v1/consents?status=SOMETIMES")]
    [InlineData("/api/v1/collections/queue?filter=Tomorrow")]
    public async Task A_value_that_does_not_bind_is_400_problem(string url)
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);

        await (await admin.GetAsync(url)).AssertProblemAsync(400);
    }

    [SkippableFact]
    public async Task Bad_what_if_input_is_400_with_errors_and_broken_json_is_400_problem()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var customer = await CustomerWithLoansAsync();

        var invalid = await admin.PostAsJsonAsync($"/api/v1/customers/{customer}/collections/what-if", new { loanKey = 1, day = 40 });
        var broken = await admin.PostAsync($"/api/v1/customers/{customer}/collections/what-if", new StringContent("{\"day\": ", Encoding.UTF8, "application/json"));

        var errors = (await invalid.AssertProblemAsync(400)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("day", out _));
        Assert.True(errors.TryGetProperty("channel", out _));
        await broken.AssertProblemAsync(400);
    }

    [SkippableFact]
    public async Task An_unknown_api_path_is_404_problem_not_the_not_found_page()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);

        await (await admin.GetAsync("/api/v1/no-such-thing")).AssertProblemAsync(404);
    }

    [SkippableFact]
    public async Task Analytics_contract_is_the_same_json_the_cli_prints_for_the_stored_customer()
    {
        using var risk = await factory.ApiClientAsync(Roles.RiskManager);
        await using var db = await factory.DbAsync();
        var id = await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        string expected;
        using (var scope = factory.Services.CreateScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<ConsentGate>().LoadCustomerAsync(id, DataUse.Underwriting);
            expected = ContractJson.ToJsonString(stored.Select(s => CashflowAnalyzer.Analyze(s.Account)));
            Assert.NotEmpty(stored);
        }

        var response = await risk.GetAsync($"/api/v1/customers/{id}/analytics");
        var oneAccount = await (await risk.GetAsync($"/api/v1/customers/{id}/analytics?accountId={(await db.Accounts.FirstAsync(a => a.CustomerId == id)).Id}")).JsonAsync();
        var noSuchAccount = await risk.GetAsync($"/api/v1/customers/{id}/analytics?accountId=999999");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        Assert.Equal(1, oneAccount.GetProperty("contractVersion").GetInt32());
        Assert.Equal(1, oneAccount.GetProperty("accounts").GetArrayLength());
        await noSuchAccount.AssertProblemAsync(404);
    }

    [SkippableFact]
    public async Task Insights_have_combined_and_per_account_figures_with_lineage_and_counterparties_masked_for_agents()
    {
        using var risk = await factory.ApiClientAsync(Roles.RiskManager);
        using var agent = await factory.ApiClientAsync(Roles.Agent, "agent1@msme.local");
        var (mine, _) = await factory.Agent1CustomersAsync();

        var forRisk = await (await risk.GetAsync($"/api/v1/customers/{mine}/analytics/insights")).JsonAsync();
        var forAgent = await (await agent.GetAsync($"/api/v1/customers/{mine}/analytics/insights")).JsonAsync();

        var combined = forRisk.GetProperty("combined");
        Assert.True(combined.GetProperty("income").GetProperty("completeMonths").GetInt32() > 0);
        Assert.True(forRisk.GetProperty("accounts").GetArrayLength() > 0);
        Assert.NotEmpty(combined.GetProperty("lineage").EnumerateArray().Select(l => l.GetProperty("sessionId").GetString()));
        var riskNames = combined.GetProperty("topInflowParties").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        var agentNames = forAgent.GetProperty("combined").GetProperty("topInflowParties").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.NotEmpty(riskNames);
        Assert.Equal(riskNames.Count, agentNames.Count);
        Assert.Equal(riskNames.Select(n => Msme.Domain.Privacy.Masking.Counterparty(n)), agentNames);
        Assert.NotEqual(riskNames, agentNames);
    }

    [SkippableFact]
    public async Task Collections_queue_shows_an_agent_client_only_its_agents_portfolio()
    {
        using var agent = await factory.ApiClientAsync(Roles.Agent, "agent1@msme.local");
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var agent1 = await factory.UserIdAsync("agent1@msme.local");
        await using var db = await factory.DbAsync();
        var portfolio = await db.AgentPortfolios.Where(p => p.AgentUserId == agent1).Select(p => p.CustomerId).ToListAsync();

        var mine = await (await agent.GetAsync("/api/v1/collections/queue?pageSize=100")).JsonAsync();
        var everyone = await (await admin.GetAsync("/api/v1/collections/queue?pageSize=100")).JsonAsync();

        Assert.True(mine.GetProperty("total").GetInt32() > 0);
        Assert.True(everyone.GetProperty("total").GetInt32() > mine.GetProperty("total").GetInt32());
        Assert.All(mine.GetProperty("items").EnumerateArray(), i => Assert.Contains(i.GetProperty("customerId").GetInt32(), portfolio));
        var first = everyone.GetProperty("items")[0];
        Assert.True(first.GetProperty("reasons").GetArrayLength() > 0);
        Assert.True(DateOnly.TryParse(everyone.GetProperty("asOf").GetString(), out _));
    }

    [SkippableFact]
    public async Task Collection_plan_has_loans_with_recommendations_and_reasons_and_what_if_simulates()
    {
        using var agent = await factory.ApiClientAsync(Roles.Agent, "agent1@msme.local");
        var customer = await CustomerWithLoansAsync("agent1@msme.local");

        var plan = await (await agent.GetAsync($"/api/v1/customers/{customer}/collections")).JsonAsync();
        var loan = plan.GetProperty("loans").EnumerateArray().First(l => l.GetProperty("upcoming").GetArrayLength() > 0);
        var whatIf = await agent.PostAsJsonAsync($"/api/v1/customers/{customer}/collections/what-if",
            new { loanKey = loan.GetProperty("loanKey").GetInt32(), day = 7, channel = "UpiLink" });

        Assert.Equal(customer, plan.GetProperty("customerId").GetInt32());
        var upcoming = loan.GetProperty("upcoming")[0];
        Assert.True(upcoming.GetProperty("reasons").GetArrayLength() > 0);
        Assert.All(upcoming.GetProperty("recommendations").EnumerateArray(), r => Assert.True(r.GetProperty("reasons").GetArrayLength() > 0));
        Assert.Equal(HttpStatusCode.OK, whatIf.StatusCode);
        var result = await whatIf.JsonAsync();
        Assert.Equal(7, result.GetProperty("presentmentDay").GetInt32());
        Assert.Equal("UpiLink", result.GetProperty("channel").GetString());
        Assert.InRange(result.GetProperty("probability").GetDouble(), 0, 1);
        Assert.True(result.GetProperty("reasons").GetArrayLength() > 0);
    }

    [SkippableFact]
    public async Task Consent_registry_filters_and_pages_and_lineage_shows_history_and_sessions()
    {
        var (token, name, _) = await factory.NewClientAsync(Roles.Compliance);
        using var compliance = factory.ApiClient(token);
        await using var db = await factory.DbAsync();
        var consent = await db.Consents.OrderBy(c => c.Id).FirstAsync();

        var all = await (await compliance.GetAsync("/api/v1/consents?pageSize=2")).JsonAsync();
        var forCustomer = await (await compliance.GetAsync($"/api/v1/consents?customerId={consent.CustomerId}&status=Active")).JsonAsync();
        var lineage = await (await compliance.GetAsync($"/api/v1/consents/{consent.Id}")).JsonAsync();
        var missing = await compliance.GetAsync("/api/v1/consents/999999");

        Assert.Equal(await db.Consents.CountAsync(), all.GetProperty("total").GetInt32());
        Assert.Equal(2, all.GetProperty("items").GetArrayLength());
        Assert.Equal(await db.Consents.CountAsync(c => c.CustomerId == consent.CustomerId && c.Status == ConsentStatus.Active), forCustomer.GetProperty("total").GetInt32());
        Assert.All(forCustomer.GetProperty("items").EnumerateArray(), c => Assert.Equal(consent.CustomerId, c.GetProperty("customerId").GetInt32()));
        Assert.Equal(consent.ConsentId, lineage.GetProperty("consentId").GetString());
        Assert.True(lineage.GetProperty("history").GetArrayLength() > 0);
        Assert.True(lineage.GetProperty("sessions")[0].GetProperty("payloads").GetArrayLength() > 0);
        await missing.AssertProblemAsync(404);
        Assert.Contains(await db.AuditEntries.Where(e => e.UserName == "api:" + name).ToListAsync(),
            e => e.Action == "view" && e.Target == $"GET /api/v1/consents/{consent.Id}" && e.CustomerId == consent.CustomerId);
    }

    [SkippableFact]
    public async Task Data_products_and_the_ocen_application_come_from_the_stored_data_with_explanations_and_are_audited()
    {
        var (token, name, _) = await factory.NewClientAsync(Roles.RiskManager);
        using var risk = factory.ApiClient(token);
        var customer = await CustomerWithLoansAsync();

        var products = await (await risk.GetAsync($"/api/v1/customers/{customer}/products")).JsonAsync();
        var ocenResponse = await risk.GetAsync($"/api/v1/customers/{customer}/products/ocen-loan-application");

        Assert.Equal(customer, products.GetProperty("customerId").GetInt32());
        var ocen = products.GetProperty("ocen");
        Assert.Equal("Ready", ocen.GetProperty("state").GetString());
        Assert.True(ocen.GetProperty("sources").GetArrayLength() > 0);
        var requested = ocen.GetProperty("data").GetProperty("requestedAmount");
        var amount = requested.GetProperty("value").GetDecimal();
        Assert.True(amount >= 0);
        Assert.NotEmpty(requested.GetProperty("explanation").GetProperty("formula").GetString()!);
        // The demo consents are for credit (103, 104): advice on insurance and funds is not permitted by any of them.
        Assert.Equal("NotPermitted", products.GetProperty("insurance").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, products.GetProperty("mutualFunds").GetProperty("data").ValueKind);
        Assert.Equal(HttpStatusCode.OK, ocenResponse.StatusCode);
        Assert.Equal("application/json", ocenResponse.Content.Headers.ContentType?.MediaType);
        var document = await ocenResponse.Content.ReadAsStringAsync();
        // The document's terms carry the sized amount the figure explains.
        Assert.Equal(amount, FirstProperty(JsonDocument.Parse(document).RootElement, "requestedAmount")!.Value.GetDecimal());
        await using var db = await factory.DbAsync();
        var targets = await db.AuditEntries.Where(e => e.UserName == "api:" + name && e.Action == "view").Select(e => e.Target).ToListAsync();
        Assert.Equal([$"GET /api/v1/customers/{customer}/products", $"GET /api/v1/customers/{customer}/products/ocen-loan-application"], targets.Order());
    }

    [SkippableFact]
    public async Task Data_products_are_refused_to_agents_and_unknown_customers_are_404()
    {
        using var agent = await factory.ApiClientAsync(Roles.Agent, "agent1@msme.local");
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var (mine, _) = await factory.Agent1CustomersAsync();

        await (await agent.GetAsync($"/api/v1/customers/{mine}/products")).AssertProblemAsync(403);
        await (await agent.GetAsync($"/api/v1/customers/{mine}/products/ocen-loan-application")).AssertProblemAsync(403);
        await (await admin.GetAsync("/api/v1/customers/999999/products")).AssertProblemAsync(404);
        await (await admin.GetAsync("/api/v1/customers/999999/products/ocen-loan-application")).AssertProblemAsync(404);
    }

    [SkippableFact]
    public async Task No_ocen_application_while_the_customers_consents_are_paused_422_says_why()
    {
        using var admin = await factory.ApiClientAsync(Roles.Admin);
        var customer = await CustomerWithLoansAsync();
        await using var db = await factory.DbAsync();
        var consents = await db.Consents.Where(c => c.CustomerId == customer).ToListAsync();
        var before = consents.Select(c => c.Status).ToList();
        consents.ForEach(c => c.Status = ConsentStatus.Paused);
        await db.SaveChangesAsync();
        try
        {
            var response = await admin.GetAsync($"/api/v1/customers/{customer}/products/ocen-loan-application");

            var problem = await response.AssertProblemAsync(422);
            Assert.Equal("NotPermitted", problem.GetProperty("state").GetString());
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        }
        finally
        {
            for (var i = 0; i < consents.Count; i++)
            {
                consents[i].Status = before[i];
            }
            await db.SaveChangesAsync();
        }
    }

    private static JsonElement? FirstProperty(JsonElement element, string name)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == name)
                    {
                        return property.Value;
                    }
                    if (FirstProperty(property.Value, name) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(e => FirstProperty(e, name)).FirstOrDefault(f => f is not null);
            default:
                return null;
        }
    }
}

/// <summary>The cases on SQLite.</summary>
public sealed class ApiReadTests(ApiDemoFactory factory) : ApiReadCases(factory), IClassFixture<ApiDemoFactory>;

/// <summary>The same cases on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class ApiReadTestsOnPostgreSql(PostgreSqlApiDemoFactory factory) : ApiReadCases(factory), IClassFixture<PostgreSqlApiDemoFactory>;
