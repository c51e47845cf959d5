namespace Msme.Portal.Data.Entities;

/// <summary>
/// A machine client of the REST API (/api/v1). It acts in one role; an Agent client is bound to one agent user, so the
/// agent's portfolio decides which customers it sees. Only the SHA-256 of its bearer token is stored, with a short
/// prefix of the token for people to recognise it; the token itself is shown once, at creation.
/// </summary>
public class ApiClient
{
    public int Id { get; set; }
    /// <summary>Unique; audit entries name the client as "api:&lt;name&gt;".</summary>
    public required string Name { get; set; }
    /// <summary>One of <see cref="Msme.Portal.Features.Api.ApiRoles.All"/>.</summary>
    public required string Role { get; set; }
    /// <summary>For an Agent client: the agent whose portfolio applies (an Identity user id).</summary>
    public string? AgentUserId { get; set; }
    /// <summary>For an AaNotifier client: the Account Aggregator's id (ReBIT <c>Notifier.id</c>) it may speak for, and no other.</summary>
    public string? AaId { get; set; }
    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes.</summary>
    public required string TokenHash { get; set; }
    /// <summary>The token's first characters, to tell tokens apart on the admin page (never enough to use).</summary>
    public required string TokenPrefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    /// <summary>When the token stops working (creation or last rotation plus Msme:ApiTokenLifetime). Null on clients created before tokens expired: those count from CreatedAt.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>The last rotation: a new token replaced the old one, which stopped working at that moment.</summary>
    public DateTimeOffset? RotatedAt { get; set; }
    public string? RotatedBy { get; set; }
}

/// <summary>
/// A consent notification the AA sent and the portal accepted: its txnid (unique, so a replay is refused), the AA's
/// timestamp (a notification older than the last one applied to the consent is refused) and what it did.
/// </summary>
public class AaNotificationReceipt
{
    public int Id { get; set; }
    public required string Txnid { get; set; }
    public int ConsentRecordId { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public required string NotifierId { get; set; }
    /// <summary>The API client it came through (the bearer-token route); null for a notification authenticated by the AA's JWS signature.</summary>
    public int? ApiClientId { get; set; }
    /// <summary>The status notified, upper case as ReBIT writes it.</summary>
    public required string Status { get; set; }
}
