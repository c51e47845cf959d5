using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Msme.Domain.Aa;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Aa;

/// <summary>
/// ReBIT AA API 2.0.0, FIU side: every call is a POST of JSON that carries <c>client_api_key</c> and a detached JWS over
/// the exact bytes sent; every answer, errors included, must carry the AA's detached JWS over the exact bytes received,
/// or it is refused before a byte of it is read. Retries, backoff and timeouts come from the resilience handler the
/// client is registered with (see <see cref="AaServiceCollectionExtensions"/>).
/// </summary>
public sealed class AaClient(HttpClient http, AaKeyRing keys, AaSimulatorHost simulator, IOptions<MsmeOptions> options)
{
    /// <summary>The paths of the calls, relative to the AA's base URL.</summary>
    public static class Paths
    {
        public const string Consent = "Consent";
        public const string ConsentHandle = "Consent/handle";
        public const string ConsentFetch = "Consent/fetch";
        public const string FiRequest = "FI/request";
        public const string FiFetch = "FI/fetch";
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="path"/>; returns the verified answer and its raw bytes, or throws <see cref="AaCallException"/>.</summary>
    public async Task<(T Answer, byte[] Raw)> PostAsync<TBody, T>(string path, TBody body, CancellationToken ct)
        where TBody : IAaMessage where T : class, IAaMessage
    {
        if (http.BaseAddress is null)
        {
            throw new AaConfigurationException("no AA is configured: set Msme:Aa:BaseUrl (the AA's ReBIT 2.0.0 base URL), or run with the demo's embedded simulator");
        }
        var settings = options.Value.Aa;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, AaJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("client_api_key", settings.ApiKey ?? (simulator.Enabled ? AaSimulatorHost.DemoApiKey : ""));
        request.Headers.TryAddWithoutValidation("x-jws-signature", DetachedJws.Sign(keys.FiuKey, keys.FiuKid, bytes));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                  || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new AaCallException(AaCallException.Unreachable, $"POST {path}: the AA did not answer ({e.Message})", null);
        }
        using (response)
        {
            var raw = await response.Content.ReadAsByteArrayAsync(ct);
            var signature = response.Headers.TryGetValues("x-jws-signature", out var values) ? values.FirstOrDefault() : null;
            var check = DetachedJws.Verify(signature, raw, keys.AaKeys);
            if (!check.Valid)
            {
                throw new AaCallException(AaErrorCodes.SignatureDoesNotMatch,
                    $"POST {path}: the AA's answer (HTTP {(int)response.StatusCode}) is not signed by a key of the AA's JWKS: {check.Error}", (int)response.StatusCode);
            }
            if (!response.IsSuccessStatusCode)
            {
                AaErrorResponse? error = null;
                try
                {
                    error = JsonSerializer.Deserialize<AaErrorResponse>(raw, AaJson.Options);
                }
                catch (JsonException)
                {
                }
                throw new AaCallException(error?.ErrorCode ?? $"HTTP{(int)response.StatusCode}",
                    $"POST {path}: {error?.ErrorMsg ?? $"HTTP {(int)response.StatusCode} without an ErrorResponse body"}", (int)response.StatusCode);
            }
            try
            {
                var answer = JsonSerializer.Deserialize<T>(raw, AaJson.Options)
                    ?? throw new AaCallException(AaCallException.InvalidResponse, $"POST {path}: the AA answered null", (int)response.StatusCode);
                // Sahamati FIU scenarios 1019-1021, 2017-2019, 2022-2023: an answer with another ver, no readable timestamp, or
                // another txnid than the request's is discarded.
                if (answer.Ver != AaJson.Version)
                {
                    throw new AaCallException(AaCallException.InvalidResponse, $"POST {path}: the answer's ver '{answer.Ver}' is not {AaJson.Version}", (int)response.StatusCode);
                }
                if (answer.Txnid != body.Txnid)
                {
                    throw new AaCallException(AaCallException.InvalidResponse, $"POST {path}: the answer's txnid '{answer.Txnid}' is not the request's '{body.Txnid}'", (int)response.StatusCode);
                }
                if (answer.Timestamp is not null && !AaJson.TryParseTimestamp(answer.Timestamp, out _))
                {
                    throw new AaCallException(AaCallException.InvalidResponse, $"POST {path}: the answer's timestamp '{answer.Timestamp}' is not an ISO 8601 instant", (int)response.StatusCode);
                }
                return (answer, raw);
            }
            catch (JsonException e)
            {
                throw new AaCallException(AaCallException.InvalidResponse, $"POST {path}: the AA's answer is not the expected JSON ({e.Message})", (int)response.StatusCode);
            }
        }
    }
}

/// <summary>An AA call that failed: the AA's errorCode (or this FIU's: SignatureDoesNotMatch, InvalidResponse, Unreachable) and its message.</summary>
public sealed class AaCallException(string errorCode, string message, int? httpStatus) : Exception(message)
{
    public const string Unreachable = "Unreachable";
    public const string InvalidResponse = "InvalidResponse";

    public string ErrorCode { get; } = errorCode;
    public int? HttpStatus { get; } = httpStatus;
}
