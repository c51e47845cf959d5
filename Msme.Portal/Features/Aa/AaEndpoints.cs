using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Aa;

/// <summary>
/// The FIU's ReBIT endpoints under the FIU base URL <c>/aa</c> (what the FIU registers; the AA calls
/// <c>{portal}/aa/Consent/Notification</c>), and this FIU's public keys at <c>/.well-known/jwks.json</c>. No session, no
/// bearer token: a notification is authenticated by the AA's detached JWS over its exact bytes.
/// </summary>
public static class AaEndpoints
{
    public const string JwksRoute = "/.well-known/jwks.json";

    public static IEndpointRouteBuilder MapAaConnector(this IEndpointRouteBuilder app)
    {
        var aa = app.MapGroup("/aa").DisableAntiforgery().RequireRateLimiting(RateLimiting.Api).AllowAnonymous().ExcludeFromDescription();
        aa.MapPost("/Consent/Notification", (HttpContext http, AaNotificationService notifications) =>
            AnswerAsync(http, (body, signature, apiKey, ct) => notifications.ConsentAsync(body, signature, apiKey, ct)));
        aa.MapPost("/FI/Notification", (HttpContext http, AaNotificationService notifications) =>
            AnswerAsync(http, (body, signature, apiKey, ct) => notifications.FiAsync(body, signature, apiKey, ct)));
        app.MapGet(JwksRoute, (AaKeyRing keys) => Results.Text(keys.FiuJwks, "application/jwk-set+json"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>The most a notification body may be: ReBIT notifications are a few hundred bytes.</summary>
    private const int MaxBody = 64 * 1024;

    private static async Task AnswerAsync(HttpContext http, Func<byte[], string?, string?, CancellationToken, Task<AaNotificationAnswer>> handle)
    {
        var ct = http.RequestAborted;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            buffer.Write(chunk, 0, read);
        }
        var signature = http.Request.Headers["x-jws-signature"].FirstOrDefault();
        var answer = await handle(buffer.ToArray(), signature, http.Request.Headers["client_api_key"].FirstOrDefault(), ct);
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-jws-signature"] = answer.Signature;
        await http.Response.Body.WriteAsync(answer.Body, ct);
    }
}
