using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Data;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Api;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Api;

/// <summary>The app with a few demo customers loaded through the real import path (agent1 holds the even ids, agent2 the odd), ready for API calls.</summary>
public class ApiDemoFactory : PortalFactory, IAsyncLifetime
{
    protected override int DemoCustomers => 4;

    /// <summary>Why the cases skip (no PostgreSQL server); the fixture itself must not throw, or they would fail.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Skips the calling test class's case when this host could not start (a field initialiser of the cases calls it).</summary>
    public static bool Available(ApiDemoFactory factory)
    {
        Skip.If(factory.SkipReason is not null, factory.SkipReason);
        return true;
    }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Msme:DemoMonths", "8");
    }

    public async Task InitializeAsync()
    {
        if (Provider == TestProvider.PostgreSql && TestPostgres.SkipReason is { } reason)
        {
            SkipReason = reason;
            return;
        }
        await Services.WaitForDemoDataAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

/// <summary>The same app and demo load on PostgreSQL.</summary>
public sealed class PostgreSqlApiDemoFactory : ApiDemoFactory
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}

/// <summary>Creating API clients and calling the API as them.</summary>
public static class ApiTestSupport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The AA every test AaNotifier client is bound to, as the notifications in the tests name it.</summary>
    public const string AaId = "onemoney-aa";

    /// <summary>A new client with the role (an Agent client bound to the agent with this e-mail); returns its token.</summary>
    public static async Task<(string Token, string Name, int Id)> NewClientAsync(this PortalFactory factory, string role, string? agentEmail = null)
    {
        using var scope = factory.Services.CreateScope();
        string? agentId = null;
        if (agentEmail is not null)
        {
            agentId = (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(agentEmail))!.Id;
        }
        var name = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..24];
        var created = await scope.ServiceProvider.GetRequiredService<ApiClientService>().CreateAsync(name, role, agentId, "test-admin",
            aaId: role == ApiRoles.AaNotifier ? AaId : null);
        Assert.True(created.Error is null, created.Error);
        return (created.Token!, name, created.Client!.Id);
    }

    /// <summary>An HTTP client that sends the token and no cookies, and does not follow redirects.</summary>
    public static HttpClient ApiClient(this PortalFactory factory, string? token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public static async Task<HttpClient> ApiClientAsync(this PortalFactory factory, string role, string? agentEmail = null) =>
        factory.ApiClient((await factory.NewClientAsync(role, agentEmail)).Token);

    /// <summary>The lowest customer id in agent1's portfolio, and the lowest in another agent's.</summary>
    public static async Task<(int Mine, int Theirs)> Agent1CustomersAsync(this PortalFactory factory)
    {
        var agent1 = await factory.UserIdAsync("agent1@msme.local");
        await using var db = await factory.DbAsync();
        // Agents read the monitoring use only: the demo's consents (their purposes follow its as-of) must allow it.
        var mine = await db.AgentPortfolios.Where(p => p.AgentUserId == agent1)
            .Where(p => db.Consents.Any(c => c.CustomerId == p.CustomerId && c.Status == Msme.Domain.Consent.ConsentStatus.Active && c.PurposeCode == "104"))
            .Select(p => p.CustomerId).OrderBy(i => i).FirstAsync();
        var theirs = await db.AgentPortfolios.Where(p => p.AgentUserId != agent1).Select(p => p.CustomerId).OrderBy(i => i).FirstAsync();
        return (mine, theirs);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<ApplicationDbContext> DbAsync(this PortalFactory factory) =>
        await factory.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();

    public static async Task<string> UserIdAsync(this PortalFactory factory, string email)
    {
        using var scope = factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>Asserts a ProblemDetails body with the status.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.True(body.TryGetProperty("title", out _));
        return body;
    }
}
