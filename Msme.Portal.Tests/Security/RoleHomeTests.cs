using System.Net;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

public sealed class RoleHomeTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("agent1@msme.local", "/collections")]
    [InlineData("risk@msme.local", "/risk")]
    [InlineData("compliance@msme.local", "/compliance")]
    [InlineData("admin@msme.local", "/admin")]
    public async Task Each_role_lands_on_its_home(string email, string home)
    {
        using var client = await factory.SignedInClientAsync(email);

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(home, new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Theory]
    [InlineData("risk@msme.local", "/risk", "Risk dashboard")]
    [InlineData("risk@msme.local", "/risk/anomalies", "Anomaly review")]
    [InlineData("admin@msme.local", "/risk", "Risk dashboard")]
    [InlineData("compliance@msme.local", "/compliance", "Consents")]
    [InlineData("admin@msme.local", "/compliance", "Consents")]
    [InlineData("admin@msme.local", "/admin", "System status")]
    [InlineData("agent1@msme.local", "/overview", "The store")]
    public async Task A_role_opens_its_pages(string email, string path, string text)
    {
        using var client = await factory.SignedInClientAsync(email);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("agent1@msme.local", "/risk")]
    [InlineData("agent1@msme.local", "/risk/anomalies")]
    [InlineData("compliance@msme.local", "/risk")]
    [InlineData("risk@msme.local", "/compliance")]
    [InlineData("risk@msme.local", "/admin")]
    public async Task Other_roles_are_refused(string email, string path)
    {
        using var client = await factory.SignedInClientAsync(email);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
    }
}
