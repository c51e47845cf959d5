using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Features.Customers;
using Msme.Portal.Tests.Api;

namespace Msme.Portal.Tests.Security;

/// <summary>
/// No consent, no data, on every read path: for every discovered page, export and API endpoint and every way a
/// customer's data stops being usable (paused, revoked, expired by the clock, a purpose that allows no use, DataLife
/// ended and purged, and changes made by a second connection on the same database file), nothing derived from the
/// withheld sessions is served at the next request, although every route had served (and cached) it before.
/// </summary>
public sealed class ConsentGateTests(ConsentGateFactory factory) : IClassFixture<ConsentGateFactory>
{
    public static TheoryData<Withheld, string, string> Matrix()
    {
        var data = new TheoryData<Withheld, string, string>();
        foreach (var state in Enum.GetValues<Withheld>())
        {
            foreach (var route in CustomerDataRoutes.All())
            {
                data.Add(state, route.Method, route.Template);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Nothing_derived_from_withheld_sessions_is_served(Withheld state, string method, string template)
    {
        var route = new CustomerDataRoute(method, template);
        var customer = factory.Customers[state];

        // A route that names a customer is asked for the withheld one; a listing is asked once and must hold no row of it.
        var body = await factory.FetchAsync(route, route.PerCustomer ? customer : factory.Control);

        var found = factory.Known[customer].FoundIn(body, listing: !route.PerCustomer);
        Assert.True(found is null, $"{route} still shows \"{found}\" of customer {customer} ({state})");
    }

    [Fact]
    public async Task The_control_customers_data_is_still_served_so_the_identifiers_are_real()
    {
        var known = factory.Known[factory.Control];

        var queue = await factory.FetchAsync(new("GET", "/exports/collections-queue.csv"), factory.Control);
        var lake = await factory.FetchAsync(new("GET", "/exports/lake.zip"), factory.Control);

        Assert.Contains(known.LoanIds, queue.Contains);
        Assert.Contains(known.LakeRow, lake);
    }

    [Fact]
    public async Task The_accounts_tab_lists_no_transaction_balance_or_holder_of_a_withheld_customer()
    {
        using var scope = factory.Services.CreateScope();
        var customers = scope.ServiceProvider.GetRequiredService<CustomerService>();
        foreach (var (state, customer) in factory.Customers)
        {
            var detail = await customers.GetAsync(customer);

            Assert.NotNull(detail);
            Assert.All(detail.Accounts, a =>
            {
                Assert.True(a.CurrentBalance is null && a.Holders.Count == 0 && a.Transactions == 0, $"{state}: account {a.MaskedAccNumber} still shows data");
            });
            foreach (var account in detail.Accounts)
            {
                Assert.Equal(0, (await customers.TransactionsAsync(account.Id, 0, 100)).TotalItems);
            }
        }
        var control = await customers.GetAsync(factory.Control);
        Assert.Contains(control!.Accounts, a => a.CurrentBalance is not null && a.Transactions > 0);
    }
}
