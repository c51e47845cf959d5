using System.Net;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

public sealed class SignInTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("agent1@msme.local")]
    [InlineData("risk@msme.local")]
    [InlineData("compliance@msme.local")]
    [InlineData("admin@msme.local")]
    public async Task Every_demo_user_signs_in_and_reaches_the_customer_list(string email)
    {
        using var client = await factory.SignedInClientAsync(email);

        var response = await client.GetAsync("/customers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Customers", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_sign_in()
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/customers");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Agent_is_refused_the_admin_import_page()
    {
        using var client = await factory.SignedInClientAsync("agent2@msme.local");

        var response = await client.GetAsync("/admin/imports");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Admin_opens_the_import_page()
    {
        using var client = await factory.SignedInClientAsync("admin@msme.local");

        var response = await client.GetAsync("/admin/imports");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("AA data imports", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wrong_password_does_not_sign_in()
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await PortalFactory.SignInAsync(client, "risk@msme.local", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid login attempt", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Self_registration_does_not_exist()
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/Account/Register");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
