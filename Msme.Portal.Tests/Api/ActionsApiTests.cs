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
        // Only a broken promise can be followed up. The demo gives agent1 one broken promise, on a loan that depends on
        // the calendar: a loan without one is refused (422 with the reason); on a calendar date where agent1 has no
        // such loan, the broken one is accepted.
        var (clean, cleanLoan, brokenLoan) = await LoansByPromiseAsync(agent);
        if (cleanLoan is { } c)
        {
            var refused = await (await agent.PostAsJsonAsync($"/api/v1/customers/{clean}/outbox", new { loanKey = c, kind = "BrokenPromiseFollowUp" })).AssertProblemAsync(422);
            Assert.Contains("no broken promise", refused.GetProperty("detail").GetString());
        }
        else
        {
            var followUp = await agent.PostAsJsonAsync($"/api/v1/customers/{clean}/outbox", new { loanKey = brokenLoan!.Value, kind = "BrokenPromiseFollowUp" });
            Assert.Equal(HttpStatusCode.Created, followUp.StatusCode);
        }
    }

    /// <summary>A loan of agent1's without a broken promise (with its customer), else the customer and loan that has one.</summary>
    private static async Task<(int CustomerId, int? CleanLoan, int? BrokenLoan)> LoansByPromiseAsync(HttpClient agent)
    {
        // A follow-up flags one row of its loan; a loan none of whose rows carries a broken promise has none.
        var queue = await (await agent.GetAsync("/api/v1/collections/queue?pageSize=100")).JsonAsync();
        var rows = queue.GetProperty("items").EnumerateArray().Select(i => (
            Customer: i.GetProperty("customerId").GetInt32(), Loan: i.GetProperty("loanKey").GetInt32(),
            Broken: i.TryGetProperty("flags", out var f) && f.ValueKind == System.Text.Json.JsonValueKind.Array
                && f.EnumerateArray().Any(x => x.GetProperty("kind").GetString() == "BrokenPromise"))).ToList();
        var broken = rows.Where(r => r.Broken).Select(r => r.Loan).ToHashSet();
        // Every loan of the queue's customers, including those with nothing due (not in the queue, so never flagged).
        foreach (var customer in rows.Select(r => r.Customer).Distinct())
        {
            var plan = await (await agent.GetAsync($"/api/v1/customers/{customer}/collections")).JsonAsync();
            foreach (var loan in plan.GetProperty("loans").EnumerateArray().Select(l => l.GetProperty("loanKey").GetInt32()))
            {
                if (!broken.Contains(loan)) return (customer, loan, null);
            }
        }
        var first = rows.First(r => r.Broken);
        return (first.Customer, null, first.Loan);
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
