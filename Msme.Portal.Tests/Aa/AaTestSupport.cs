using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Msme.AaSimulator;
using Msme.Domain.Aa;
using Msme.Domain.DemoData;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Aa;

/// <summary>The app with a few demo customers loaded through the AA connector from the embedded simulator.</summary>
public sealed class AaDemoFactory : PortalFactory, IAsyncLifetime
{
    protected override int DemoCustomers => 4;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Msme:DemoMonths", "6");
        // Notifications are checked against this key (Sahamati FIU scenarios 1042, 2028).
        builder.UseSetting("Msme:Aa:NotificationApiKey", AaTestSupport.NotificationApiKey);
    }

    public SimulatedAa Simulator => Services.GetRequiredService<Msme.Portal.Features.Aa.AaSimulatorHost>().Instance!;

    public async Task InitializeAsync() => await Services.WaitForDemoDataAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public static class AaTestSupport
{
    public const string NotificationApiKey = "test-aa-notification-key";

    /// <summary>A detached JWS over the bytes with the test host's AA key (the simulator's, from its key file).</summary>
    public static string SignAsAa(this PortalFactory factory, byte[] body)
    {
        var simulator = factory.Services.GetRequiredService<Msme.Portal.Features.Aa.AaSimulatorHost>().Instance!;
        using var key = RsaKeyFile.Load(Path.Combine(factory.DataDirectory, "aa", "simulator-aa-signing-key.pem"));
        return DetachedJws.Sign(key, simulator.Kid, body);
    }

    /// <summary>A detached JWS by a key no JWKS holds.</summary>
    public static string SignAsRogue(byte[] body)
    {
        using var rogue = System.Security.Cryptography.RSA.Create(2048);
        return DetachedJws.Sign(rogue, "rogue-key", body);
    }

    /// <summary>POSTs exact bytes to one of the FIU's ReBIT routes; returns the status, the body as JSON and whether the answer's JWS verifies with the FIU's key.</summary>
    public static async Task<(int Status, JsonElement Body, bool SignedByFiu)> PostToFiuAsync(this PortalFactory factory, string route, byte[] body, string? signature,
        string? apiKey = NotificationApiKey)
    {
        using var client = factory.CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
        if (signature is not null) request.Headers.TryAddWithoutValidation("x-jws-signature", signature);
        if (apiKey is not null) request.Headers.TryAddWithoutValidation("client_api_key", apiKey);
        using var response = await client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();
        var fiuJwks = await client.GetStringAsync("/.well-known/jwks.json");
        var answerSignature = response.Headers.TryGetValues("x-jws-signature", out var values) ? values.First() : null;
        var signed = DetachedJws.Verify(answerSignature, raw, AaKeySet.Parse(fiuJwks)).Valid;
        return ((int)response.StatusCode, JsonDocument.Parse(raw).RootElement.Clone(), signed);
    }

    /// <summary>A Consent/Notification body as a JSON object the test may change before it is serialised and signed.</summary>
    public static Dictionary<string, object?> ConsentNotice(string? consentId, string? handle, string status, DateTimeOffset at, string notifierId = "msme-sim-aa",
        string notifierType = "AA", string ver = "2.0.0", string? txnid = null) => new()
    {
        ["ver"] = ver,
        ["timestamp"] = AaJson.Timestamp(at),
        ["txnid"] = txnid ?? Guid.NewGuid().ToString(),
        ["Notifier"] = new Dictionary<string, string> { ["type"] = notifierType, ["id"] = notifierId },
        ["ConsentStatusNotification"] = new Dictionary<string, string?> { ["consentId"] = consentId, ["consentHandle"] = handle, ["consentStatus"] = status },
    };

    /// <summary>An FI/Notification body as a JSON object.</summary>
    public static Dictionary<string, object?> FiNotice(string sessionId, string sessionStatus, DateTimeOffset at, string notifierId = "msme-sim-aa",
        string notifierType = "AA", string ver = "2.0.0", string? txnid = null) => new()
    {
        ["ver"] = ver,
        ["timestamp"] = AaJson.Timestamp(at),
        ["txnid"] = txnid ?? Guid.NewGuid().ToString(),
        ["Notifier"] = new Dictionary<string, string> { ["type"] = notifierType, ["id"] = notifierId },
        ["FIStatusNotification"] = new Dictionary<string, object>
        {
            ["sessionId"] = sessionId,
            ["sessionStatus"] = sessionStatus,
            ["FIStatusResponse"] = new[] { new Dictionary<string, object> { ["fipID"] = "FIP", ["Accounts"] = new[] { new Dictionary<string, string> { ["linkRefNumber"] = "L1", ["FIStatus"] = "READY", ["description"] = "" } } } },
        },
    };

    public static byte[] Bytes(object body) => JsonSerializer.SerializeToUtf8Bytes(body);

    /// <summary>
    /// One customer whose accounts sit at two FIPs, JSON at one and ReBIT XML at the other, built from a demo customer
    /// with at least two accounts (the acceptance's "several FIPs, JSON and XML").
    /// </summary>
    public sealed class TwoFipSource : ISimulatedAaSource
    {
        public DemoCustomer Customer { get; }
        public IReadOnlyList<SimulatedAccount> Accounts { get; }

        public TwoFipSource(DemoOptions options)
        {
            Customer = DemoGenerator.Generate(options with { Customers = 40 }).First(c => c.Accounts.Count >= 2);
            var renderings = new[] { FiRendering.V2Json, FiRendering.RebitV1Xml, FiRendering.SetuV1Json };
            Accounts = [.. Customer.Accounts.Select((a, i) =>
            {
                var fip = i % 2 == 0 ? "FIP-ALPHA" : "FIP-BETA";
                var rendering = renderings[i % renderings.Length];
                return new SimulatedAccount(fip, $"link-{i + 1}-{a.MaskedAccNumber[^4..]}", a.MaskedAccNumber, "DEPOSIT", "CURRENT",
                    (from, to) => DemoAaSource.Render(a, rendering, fip, from, to));
            })];
        }

        public SimulatedCustomer? Find(string customerHandle) =>
            customerHandle == Customer.Customer.AaHandle ? new SimulatedCustomer(customerHandle, Accounts) : null;
    }
}

/// <summary>JSON posts signed as the test host's AA signs them (the notification routes require the AA's JWS).</summary>
public static class SignedPosts
{
    public static Task<HttpResponseMessage> PostSignedJsonAsync(this HttpClient client, PortalFactory factory, string route, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
        request.Headers.TryAddWithoutValidation("x-jws-signature", factory.SignAsAa(bytes));
        return client.SendAsync(request);
    }
}
