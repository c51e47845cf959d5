using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Api;

/// <summary>The OpenAPI document lists every /api/v1 endpoint the app maps; the reference UI is served by the app itself, for admins.</summary>
public sealed class OpenApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    /// <summary>Every "METHOD /path" under /api/v1 as routing has it, route constraints dropped as OpenAPI writes paths.</summary>
    private HashSet<string> MappedApiOperations() =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").StartsWith("/api/v1", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                .Select(m => $"{m} {System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, ":[a-z]+}", "}")}"))];

    [Fact]
    public async Task The_document_lists_every_api_endpoint_with_a_summary_responses_and_the_bearer_scheme()
    {
        using var admin = await factory.SignedInClientAsync("admin@msme.local");

        var response = await admin.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var documented = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(op => (Key: $"{op.Name.ToUpperInvariant()} {p.Name}", Operation: op.Value))).ToList();
        var mapped = MappedApiOperations();
        Assert.True(mapped.Count >= 11, string.Join(", ", mapped));
        Assert.Equal(mapped.Order(), documented.Select(d => d.Key).Order());
        Assert.All(documented, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Operation.GetProperty("summary").GetString()), d.Key);
            Assert.Contains("**Roles:**", d.Operation.GetProperty("description").GetString());
            var codes = d.Operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            Assert.Contains(codes, c => c.StartsWith('2'));
            Assert.Contains("401", codes);
            Assert.Contains("403", codes);
        });
        var bearer = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString()));
        Assert.True(doc.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        // Only the API: not the audit CSV, not Identity's endpoints.
        Assert.All(documented, d => Assert.Contains(" /api/v1/", d.Key));
    }

    [Fact]
    public async Task The_reference_ui_is_served_from_the_app_with_a_nonce_only_its_own_page_gets()
    {
        using var admin = await factory.SignedInClientAsync("admin@msme.local");

        var page = await admin.GetAsync("/scalar/v1");
        var html = await page.Content.ReadAsStringAsync();
        var script = await admin.GetAsync("/scalar/scalar.js");
        var home = await admin.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var nonce = System.Text.RegularExpressions.Regex.Match(html, "nonce=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"script-src 'self' 'nonce-{nonce}'", csp);
        Assert.Contains("connect-src 'self'", csp);
        // Every script it loads is the app's own: no CDN (it works offline).
        Assert.DoesNotMatch("src=\"https?://", html);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
        Assert.DoesNotContain("nonce-", home.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar/v1")]
    public async Task Only_signed_in_admins_read_the_document_and_the_reference(string url)
    {
        using var anonymous = factory.CreateClientWithoutRedirects();
        using var risk = await factory.SignedInClientAsync("risk@msme.local");

        var signedOut = await anonymous.GetAsync(url);
        var notAdmin = await risk.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains("/Account/Login", signedOut.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, notAdmin.StatusCode);
        Assert.Contains("/Account/AccessDenied", notAdmin.Headers.Location!.ToString());
    }
}

internal static class FactoryExtensions
{
    public static HttpClient CreateClientWithoutRedirects(this PortalFactory factory) =>
        factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
}
