using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

public sealed class AccessPolicyTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly (string Email, string Role)[] Users =
    [
        ("agent1@msme.local", Roles.Agent), ("risk@msme.local", Roles.RiskManager),
        ("compliance@msme.local", Roles.Compliance), ("admin@msme.local", Roles.Admin),
    ];

    private static IEnumerable<(string Route, Type Page)> RoutablePages() =>
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, t)));

    [Fact]
    public void Every_routable_page_is_in_the_policy_table_with_the_same_roles()
    {
        var problems = new List<string>();
        foreach (var (route, page) in RoutablePages().Where(p => !AccessPolicy.IsPublic(p.Route)))
        {
            if (!AccessPolicy.Pages.TryGetValue(route, out var allowed))
            {
                problems.Add($"{route} ({page.Name}) is not in AccessPolicy.Pages");
                continue;
            }
            var declared = page.GetCustomAttributes<AuthorizeAttribute>().SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).Order().ToList();
            if (!declared.SequenceEqual(allowed.Order()))
            {
                problems.Add($"{route} ({page.Name}) declares [{string.Join(",", declared)}], the table says [{string.Join(",", allowed.Order())}]");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_entry_in_the_table_is_a_real_page()
    {
        var routes = RoutablePages().Select(p => p.Route).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var stale = AccessPolicy.Pages.Keys.Where(k => !routes.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "no page has these routes: " + string.Join(", ", stale));
    }

    /// <summary>Every endpoint the app maps that is not a page, Blazor's own plumbing, a static file or Identity's account endpoints.</summary>
    private IEnumerable<(string Key, Endpoint Endpoint)> HttpEndpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
            .Select(e => (Route: "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), Endpoint: e))
            .Where(e => !e.Route.StartsWith("/_", StringComparison.Ordinal) && !AccessPolicy.IsPublic(e.Route))
            .Where(e => !IsStaticAsset(e.Endpoint))
            .SelectMany(e => e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => ($"{m} {e.Route}", (Endpoint)e.Endpoint)));

    private static bool IsStaticAsset(Endpoint e) =>
        (e is RouteEndpoint r && (r.RoutePattern.RawText ?? "").Contains(":file}", StringComparison.Ordinal)) ||
        e.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)) || (e.DisplayName ?? "").Contains("static", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> RolesRequiredBy(Endpoint endpoint) =>
        endpoint.Metadata.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>()).SelectMany(r => r.AllowedRoles)
            .Concat(endpoint.Metadata.OfType<IAuthorizeData>().SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)))
            .Distinct();

    [Fact]
    public void Every_endpoint_is_in_the_policy_table_and_requires_exactly_its_roles()
    {
        var endpoints = HttpEndpoints().ToList();
        Assert.Contains(endpoints, e => e.Key == "GET " + Msme.Portal.Features.Compliance.AuditExport.Route);
        var problems = new List<string>();
        foreach (var (key, endpoint) in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null && AccessPolicy.Endpoints.TryGetValue(key, out var open) && open.Count == 0)
            {
                continue;
            }
            if (!AccessPolicy.Endpoints.TryGetValue(key, out var allowed))
            {
                problems.Add($"{key} is not in AccessPolicy.Endpoints");
                continue;
            }
            var required = RolesRequiredBy(endpoint).Order().ToList();
            if (!required.SequenceEqual(allowed.Order()))
            {
                problems.Add($"{key} requires [{string.Join(",", required)}], the table says [{string.Join(",", allowed.Order())}]");
            }
        }
        var mapped = endpoints.Select(e => e.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        problems.AddRange(AccessPolicy.Endpoints.Keys.Where(k => !mapped.Contains(k)).Select(k => $"{k} is in the table but no endpoint has it"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("compliance@msme.local", true)]
    [InlineData("admin@msme.local", true)]
    [InlineData("risk@msme.local", false)]
    [InlineData("agent1@msme.local", false)]
    public async Task Only_compliance_and_admin_download_the_audit_csv_and_it_reverifies(string email, bool allowed)
    {
        using var client = await factory.SignedInClientAsync(email);

        var response = await client.GetAsync(Msme.Portal.Features.Compliance.AuditExport.Route);

        if (!allowed)
        {
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            return;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Id,AtUtc,UserId,UserName,Roles,Action,CustomerId,Target,Details,PreviousHash,Hash", lines[0]);
        Assert.Contains(lines, l => l.Contains(",sign-in,", StringComparison.Ordinal) && l.Contains(email, StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var route in AccessPolicy.Pages.Keys)
        {
            foreach (var (email, role) in Users)
            {
                data.Add(route, email, role);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_reaches_exactly_the_pages_the_table_allows(string route, string email, string role)
    {
        using var client = await factory.SignedInClientAsync(email);
        // Route parameters take a value that exists or not; either way authorisation is decided before the page loads.
        var url = route.Replace("{Id:int}", "1");

        var response = await client.GetAsync(url);

        if (AccessPolicy.Pages[route].Contains(role))
        {
            // Allowed: the page itself, or (for "/") a redirect to the role's home, never to sign-in or access denied.
            var location = response.Headers.Location?.ToString() ?? "";
            Assert.True(response.StatusCode == HttpStatusCode.OK || (response.StatusCode == HttpStatusCode.Redirect && !location.Contains("/Account/")),
                $"{role} should open {url}, got {(int)response.StatusCode} {location}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
        }
    }

    public static TheoryData<string, string> ApiMatrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var key in AccessPolicy.Endpoints.Keys.Where(k => k.Contains(" /api/v1/", StringComparison.Ordinal)))
        {
            foreach (var role in Msme.Portal.Features.Api.ApiRoles.All)
            {
                data.Add(key, role);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ApiMatrix))]
    public async Task Each_api_client_role_reaches_exactly_the_api_endpoints_the_table_allows(string key, string role)
    {
        var (token, _, _) = await Msme.Portal.Tests.Api.ApiTestSupport.NewClientAsync(factory, role, role == Roles.Agent ? "agent1@msme.local" : null);
        using var client = Msme.Portal.Tests.Api.ApiTestSupport.ApiClient(factory, token);
        var method = key[..key.IndexOf(' ')];
        var url = key[(key.IndexOf(' ') + 1)..].Replace("{id:int}", "1").Replace("{id:long}", "1");
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST")
        {
            // An empty object: the allowed roles get a validation answer or a rejection, never 401 or 403.
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);

        if (AccessPolicy.Endpoints[key].Contains(role))
        {
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.Redirect),
                $"{role} should reach {key}, got {(int)response.StatusCode}");
            Assert.True((int)response.StatusCode < 500, $"{role} on {key}: {(int)response.StatusCode}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
