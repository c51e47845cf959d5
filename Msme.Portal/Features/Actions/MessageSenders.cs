using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Msme.Domain.Collections.Actions;
using Msme.Portal.Data.Entities;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Actions;

/// <summary>What a sender made of one message: accepted (sent, with its reference), or refused with the reason.</summary>
public sealed record SendResult(OutboxStatus Status, string? Reference, string? Error)
{
    public static SendResult Sent(string reference) => new(OutboxStatus.Sent, reference, null);
    public static SendResult Failed(string error) => new(OutboxStatus.Failed, null, error);
}

/// <summary>Hands an outbox message to whatever delivers it. One is active, chosen by Msme:Collections:Outbox:Sender.</summary>
public interface IMessageSender
{
    string Name { get; }
    Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>The message as a sender hands it on (file or webhook body).</summary>
public sealed record OutgoingMessage(long Id, string Channel, string To, string Kind, string Text, string? UpiUri, string LoanId, decimal Amount, DateTimeOffset QueuedAt)
{
    public static OutgoingMessage Of(OutboxMessage m) =>
        new(m.Id, m.Channel, m.Recipient, m.Kind.ToString(), m.Body, m.UpiUri, m.LoanId, m.AmountPaise / 100m, m.CreatedAt);
}

/// <summary>
/// The embedded default: one JSON file per message under the outbox folder (DataDirectory/outbox/yyyy-MM-dd/{id}.json),
/// for an SMS gateway's file drop or a person to read. Nothing leaves the machine.
/// </summary>
public sealed class FileMessageSender(IOptions<MsmeOptions> options, TimeProvider clock) : IMessageSender
{
    public string Name => "file";

    public async Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        var folder = Path.Combine(options.Value.ResolveOutboxFolder(), Msme.Domain.IndianTime.Today(clock).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{message.Id}.json"));
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(OutgoingMessage.Of(message), Json), ct);
        return SendResult.Sent(Path.GetRelativePath(options.Value.ResolveOutboxFolder(), path));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>POSTs the message as JSON to the configured webhook (the lender's SMS/WhatsApp gateway adapter); a 2xx is "sent".</summary>
public sealed class WebhookMessageSender(IHttpClientFactory http, IOptions<MsmeOptions> options) : IMessageSender
{
    public const string ClientName = "outbox-webhook";

    public string Name => "webhook";

    public async Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        if (options.Value.Collections.Outbox.WebhookUrl is not { Length: > 0 } url) return SendResult.Failed("no webhook URL (Msme:Collections:Outbox:WebhookUrl)");
        try
        {
            using var response = await http.CreateClient(ClientName).PostAsJsonAsync(url, OutgoingMessage.Of(message), ct);
            return response.IsSuccessStatusCode
                ? SendResult.Sent(string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"))
                : SendResult.Failed(string.Create(CultureInfo.InvariantCulture, $"the webhook answered HTTP {(int)response.StatusCode}"));
        }
        catch (HttpRequestException e)
        {
            return SendResult.Failed($"the webhook could not be reached: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return SendResult.Failed("the webhook timed out");
        }
    }
}
