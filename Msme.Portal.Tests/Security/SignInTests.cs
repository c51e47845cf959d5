using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Data;
using Msme.Portal.Features.Compliance;
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

    [Theory]
    [InlineData("/Account/Login")]
    // Refusals written by authentication and authorisation carry them too: a 401 from the API, a sign-in redirect.
    [InlineData("/api/v1/customers")]
    [InlineData("/risk")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Sign_ins_and_failures_are_in_the_audit_trail()
    {
        using var failing = factory.CreateClient(new() { AllowAutoRedirect = false });
        await PortalFactory.SignInAsync(failing, "compliance@msme.local", "wrong-password");
        using var ok = await factory.SignedInClientAsync("compliance@msme.local");

        using var scope = factory.Services.CreateScope();
        var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        var actions = await db.AuditEntries.Where(e => e.UserName == "compliance@msme.local").Select(e => e.Action).ToListAsync();
        Assert.Contains("sign-in-failed", actions);
        Assert.Contains("sign-in", actions);
        Assert.True((await scope.ServiceProvider.GetRequiredService<AuditLog>().VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        const string email = "lockout-probe@msme.local";
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
            await users.CreateAsync(new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true }, PortalFactory.Password);
            await users.AddToRoleAsync((await users.FindByEmailAsync(email))!, Msme.Domain.Roles.Agent);
        }
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < 5; i++)
        {
            await PortalFactory.SignInAsync(client, email, "wrong-password");
        }

        var response = await PortalFactory.SignInAsync(client, email, PortalFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Lockout", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Self_registration_does_not_exist()
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/Account/Register");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
