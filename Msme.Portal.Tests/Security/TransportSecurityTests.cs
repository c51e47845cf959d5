using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

/// <summary>Outside Development: HTTPS only (redirect, HSTS, Secure cookies), and forwarded headers trusted from known proxies only.</summary>
public sealed class TransportSecurityTests(TransportSecurityTests.ProductionPortalFactory factory) : IClassFixture<TransportSecurityTests.ProductionPortalFactory>
{
    private const string Proxy = "10.1.2.3";

    [Fact]
    public async Task Plain_http_is_redirected_to_https()
    {
        var context = await SendAsync("203.0.113.9", forwardedProto: null);

        Assert.Equal(StatusCodes.Status308PermanentRedirect, context.Response.StatusCode);
        Assert.StartsWith("https://msme.example.in/Account/Login", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task X_Forwarded_Proto_counts_only_from_a_known_proxy()
    {
        var spoofed = await SendAsync("203.0.113.9", forwardedProto: "https");
        var proxied = await SendAsync(Proxy, forwardedProto: "https", forwardedFor: "198.51.100.7");

        Assert.Equal(StatusCodes.Status308PermanentRedirect, spoofed.Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, proxied.Response.StatusCode);
        Assert.Equal("https", proxied.Request.Scheme);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), proxied.Connection.RemoteIpAddress);
        Assert.StartsWith("max-age=", proxied.Response.Headers.StrictTransportSecurity.ToString());
    }

    [Fact]
    public async Task The_sign_in_cookie_is_secure_and_http_only()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://msme.example.in"), AllowAutoRedirect = false, HandleCookies = true });

        var signIn = await PortalFactory.SignInAsync(client, "agent1@msme.local", PortalFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private Task<HttpContext> SendAsync(string remoteIp, string? forwardedProto, string? forwardedFor = null) =>
        factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Scheme = "http";
            c.Request.Host = new HostString("msme.example.in");
            c.Request.Path = "/Account/Login";
            c.Connection.RemoteIpAddress = IPAddress.Parse(remoteIp);
            if (forwardedProto is not null)
            {
                c.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
            }
            if (forwardedFor is not null)
            {
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }
        });

    /// <summary>The portal as deployed (Production), with demo users for signing in and one known proxy.</summary>
    public sealed class ProductionPortalFactory : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("Msme:SeedDemoData", "true");
            builder.UseSetting("Msme:KnownProxies:0", Proxy);
        }
    }
}
