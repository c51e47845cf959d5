using System.Net;
using System.Net.Http.Json;
using Msme.Domain;

namespace Msme.Portal.Tests.Api;

/// <summary>The collection-action endpoints: the outbox for an agent client, and presentment batches between two risk clients.</summary>
public sealed class ActionsApiTests(ApiDemoFactory factory) : IClassFixture<ApiDemoFactory>
{
    [Fact]
    public async Task Agent_client_queues_a_payment_link_for_its_portfolio_only()
    {
        var (mine, theirs) = await factory.Agent1CustomersAsync();
        using var agent = await factory.ApiClientAsync(Roles.Agent, "agent1@msme.local");
        var plan = await (await agent.GetAsync($"/api/v1/customers/{mine}/collections")).JsonAsync();
        var loanKey = plan.GetProperty("loans").EnumerateArray().First(l => l.GetProperty("accountNote").ValueKind == System.Text.Json.JsonValueKind.Null).GetProperty("loanKey").GetInt32();

        var created = await agent.PostAsJsonAsync($"/api/v1/customers/{mine}/outbox", new { loanKey, kind = "UpiPaymentLink" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var message = await created.JsonAsync();
        Assert.StartsWith("upi://pay?pa=", message.GetProperty("upiUri").GetString());
        Assert.Equal("UpiPaymentLink", message.GetProperty("kind").GetString());
        var list = await (await agent.GetAsync($"/api/v1/customers/{mine}/outbox")).JsonAsync();
        Assert.Contains(list.EnumerateArray(), m => m.GetProperty("id").GetInt64() == message.GetProperty("id").GetInt64());

        await (await agent.PostAsJsonAsync($"/api/v1/customers/{theirs}/outbox", new { loanKey, kind = "Reminder" })).AssertProblemAsync(404);
        await (await agent.PostAsJsonAsync($"/api/v1/customers/{mine}/outbox", new { loanKey })).AssertProblemAsync(400);
        // A promise that was never broken cannot be followed up: 422 with the reason.
        var refused = await (await agent.PostAsJsonAsync($"/api/v1/customers/{mine}/outbox", new { loanKey, kind = "BrokenPromiseFollowUp" })).AssertProblemAsync(422);
        Assert.Contains("no broken promise", refused.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task One_risk_client_prepares_a_batch_and_only_another_can_approve_it_and_fetch_the_file()
    {
        using var maker = await factory.ApiClientAsync(Roles.RiskManager);
        using var checker = await factory.ApiClientAsync(Roles.RiskManager);
        var asOf = DateOnly.Parse((await (await maker.GetAsync("/api/v1/collections/queue?pageSize=1")).JsonAsync()).GetProperty("asOf").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var request = new { utilityCode = "NACH00000000000001", from = asOf, to = asOf.AddDays(29) };

        var preview = await (await maker.PostAsJsonAsync("/api/v1/collections/presentments/preview", request)).JsonAsync();
        var lines = preview.GetProperty("lines").GetArrayLength();
        Assert.True(lines > 0, "the demo book has instalments to present in the next 30 days");

        var prepared = await maker.PostAsJsonAsync("/api/v1/collections/presentments", request);
        Assert.Equal(HttpStatusCode.Created, prepared.StatusCode);
        var id = (await prepared.JsonAsync()).GetProperty("id").GetInt32();

        var own = await (await maker.PostAsJsonAsync($"/api/v1/collections/presentments/{id}/approve", new { acknowledgeLine = true })).AssertProblemAsync(409);
        Assert.Contains("preparer cannot approve", own.GetProperty("detail").GetString());
        await (await checker.GetAsync($"/api/v1/collections/presentments/{id}/file")).AssertProblemAsync(404);

        var approved = await checker.PostAsJsonAsync($"/api/v1/collections/presentments/{id}/approve", new { acknowledgeLine = true });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("Approved", (await approved.JsonAsync()).GetProperty("status").GetString());

        var file = await checker.GetAsync($"/api/v1/collections/presentments/{id}/file");
        Assert.Equal("text/csv", file.Content.Headers.ContentType?.MediaType);
        var rows = (await file.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"H,MSME-BULKDEBIT-1,PB-{id:D6},NACH00000000000001,", rows[0]);
        Assert.Equal(lines + 2, rows.Length);
        Assert.StartsWith($"T,{lines},", rows[^1]);
    }
}
