using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Domain.Analytics;
using Msme.Domain.Consent;
using Msme.Domain.Privacy;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Api;

/// <summary>
/// What an agent's API client gets of a customer's analytics: the monitoring use only, and no counterparty name or
/// narration that <see cref="DisclosurePolicy"/> hides from agents, in any field (anomaly subjects and reasons included).
/// </summary>
public sealed class AgentMaskingApiTests(ApiDemoFactory factory) : IClassFixture<ApiDemoFactory>
{
    [Fact]
    public async Task An_agents_insights_and_contract_quote_no_counterparty_or_narration_the_policy_hides()
    {
        var (id, names, narrations) = await MonitoredCustomerAsync();
        using var agent = await factory.ApiClientAsync(Roles.Agent, "agent1@msme.local");
        using var admin = await factory.ApiClientAsync(Roles.Admin);

        var forAgent = await (await agent.GetAsync($"/api/v1/customers/{id}/analytics/insights")).Content.ReadAsStringAsync();
        var forAdmin = await (await admin.GetAsync($"/api/v1/customers/{id}/analytics/insights")).Content.ReadAsStringAsync();
        var contract = await (await agent.GetAsync($"/api/v1/customers/{id}/analytics")).Content.ReadAsStringAsync();

        // The check can fail: the admin's answer does quote them.
        Assert.Contains(names, n => Quotes(forAdmin, n));
        Assert.Contains("\"combined\":{", forAgent);
        Assert.Contains("\"anomalies\":[{", forAgent);
        foreach (var text in new[] { forAgent, contract })
        {
            foreach (var name in names)
            {
                var at = Regex.Match(text, $@"(?<![A-Za-z0-9]){Regex.Escape(name)}(?![A-Za-z0-9])", RegexOptions.IgnoreCase);
                Assert.False(at.Success, $"'{name}' is quoted: …{(at.Success ? text[Math.Max(0, at.Index - 80)..Math.Min(text.Length, at.Index + 40)] : "")}…");
            }
            Assert.DoesNotContain(narrations, n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task An_agent_gets_analytics_for_the_monitoring_use_only_never_underwriting_data()
    {
        // A customer whose data may be read for underwriting (purpose 103) but not for monitoring (104).
        int id;
        using (var scope = factory.Services.CreateScope())
        {
            var data = scope.ServiceProvider.GetRequiredService<AccountDataService>();
            await using var db = await factory.DbAsync();
            id = -1;
            foreach (var candidate in await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync())
            {
                if ((await data.LoadCustomerAsync(candidate, DataUse.Underwriting)).Count > 0 && (await data.LoadCustomerAsync(candidate, DataUse.Monitoring)).Count == 0)
                {
                    id = candidate;
                    break;
                }
            }
            Assert.True(id > 0, "the demo store holds a customer with an underwriting-only consent");
        }
        await AssignToAgent1Async(id);
        using var agent = await factory.ApiClientAsync(Roles.Agent, "agent1@msme.local");
        using var risk = await factory.ApiClientAsync(Roles.RiskManager);

        var agentInsights = await (await agent.GetAsync($"/api/v1/customers/{id}/analytics/insights")).JsonAsync();
        var riskInsights = await (await risk.GetAsync($"/api/v1/customers/{id}/analytics/insights")).JsonAsync();
        var agentContract = await (await agent.GetAsync($"/api/v1/customers/{id}/analytics")).JsonAsync();

        Assert.Equal(System.Text.Json.JsonValueKind.Object, riskInsights.GetProperty("combined").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, agentInsights.GetProperty("combined").ValueKind);
        Assert.Equal(0, agentInsights.GetProperty("accounts").GetArrayLength());
        Assert.Equal(0, agentContract.GetProperty("accounts").GetArrayLength());
    }

    /// <summary>Quoted as a word, case ignored (the masked form keeps only initials).</summary>
    private static bool Quotes(string text, string name) =>
        Regex.IsMatch(text, $@"(?<![A-Za-z0-9]){Regex.Escape(name)}(?![A-Za-z0-9])", RegexOptions.IgnoreCase);

    /// <summary>A customer whose data the monitoring use reads, in agent1's portfolio, its counterparties (5+ letters) and narrations.</summary>
    private async Task<(int Id, IReadOnlyList<string> Names, IReadOnlyList<string> Narrations)> MonitoredCustomerAsync()
    {
        using var scope = factory.Services.CreateScope();
        var data = scope.ServiceProvider.GetRequiredService<AccountDataService>();
        await using var db = await factory.DbAsync();
        foreach (var id in await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync())
        {
            var stored = await data.LoadCustomerAsync(id, DataUse.Monitoring);
            if (stored.Count == 0)
            {
                continue;
            }
            var insights = CustomerInsights.Build([.. stored.Select(s => s.Account)], null);
            var names = CounterpartyNames.Of(insights.Accounts).Names.Where(n => n.Length >= 5).ToList();
            if (names.Count == 0 || insights.Combined.Anomalies.Findings.Count == 0)
            {
                continue;
            }
            var narrations = stored.SelectMany(s => s.Account.Transactions).Select(t => t.Narration).OfType<string>()
                .Where(n => n.Length >= 16 && !string.Equals(Masking.Narration(n), n, StringComparison.Ordinal)).Distinct().ToList();
            await AssignToAgent1Async(id);
            return (id, names, narrations);
        }
        throw new InvalidOperationException("no demo customer with monitoring data, counterparties and anomalies");
    }

    private async Task AssignToAgent1Async(int customerId)
    {
        var agent1 = await factory.UserIdAsync("agent1@msme.local");
        await using var db = await factory.DbAsync();
        if (!await db.AgentPortfolios.AnyAsync(p => p.CustomerId == customerId && p.AgentUserId == agent1))
        {
            db.AgentPortfolios.RemoveRange(db.AgentPortfolios.Where(p => p.CustomerId == customerId));
            db.AgentPortfolios.Add(new AgentPortfolio { AgentUserId = agent1, CustomerId = customerId, AssignedBy = "test", AssignedAt = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync();
        }
    }
}
