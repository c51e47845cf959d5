using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Compliance;

namespace Msme.Portal.Features.Api;

/// <summary>One API client as the admin page lists it (never the token or its hash).</summary>
public sealed record ApiClientRow(int Id, string Name, string Role, string? AgentEmail, string TokenPrefix, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? RevokedAt, string? RevokedBy, DateTimeOffset? LastUsedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RotatedAt = null, string? RotatedBy = null)
{
    public bool Revoked => RevokedAt is not null;

    public bool ExpiredAt(DateTimeOffset now) => ExpiresAt <= now;
}

/// <summary>What creating a client answers: the client, and its token, shown this once; or what was wrong.</summary>
public sealed record ApiClientCreated(ApiClientRow? Client, string? Token, string? Error);

/// <summary>An agent an Agent client can act for.</summary>
public sealed record ApiAgentOption(string UserId, string Email);

/// <summary>The client behind a valid token, as the authentication handler needs it.</summary>
public sealed record ApiCaller(int Id, string Name, string Role, string? AgentUserId, string? AaId = null);

/// <summary>
/// Creates, lists, rotates and revokes API clients, and resolves a bearer token to its client. Tokens are 32 random
/// bytes (base64url, prefixed "msme_"); only their SHA-256 is stored, so a leaked database does not leak usable tokens.
/// A token expires (Msme:ApiTokenLifetime, 90 days by default) and rotating replaces it at once. Every call re-checks
/// the client and, for an Agent client, the agent it acts for: locked out, deleted or no longer an agent means 401.
/// Every create, rotation and revoke is on the audit trail.
/// </summary>
public sealed class ApiClientService(IDbContextFactory<ApplicationDbContext> dbFactory, AuditLog audit, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Msme.Portal.Hosting.MsmeOptions>? options = null)
{
    private readonly TimeSpan _lifetime = options?.Value.ApiTokenLifetime ?? new Msme.Portal.Hosting.MsmeOptions().ApiTokenLifetime;

    public const string TokenPrefix = "msme_";
    private const int DisplayPrefixLength = 12;
    /// <summary>Last-used time is written at most this often per client, so busy clients do not write on every call.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<ApiClientRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ApiClients.AsNoTracking()
            .Select(c => new { c, Agent = db.Users.Where(u => u.Id == c.AgentUserId).Select(u => u.Email).FirstOrDefault() })
            .ToListAsync(ct);
        return [.. rows.OrderBy(r => r.c.RevokedAt is not null).ThenBy(r => r.c.Name, StringComparer.OrdinalIgnoreCase).Select(r => Row(r.c, r.Agent))];
    }

    /// <summary>The users in the Agent role, whom an Agent client can be bound to.</summary>
    public async Task<IReadOnlyList<ApiAgentOption>> AgentsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await AgentsAsync(db, ct);
    }

    private static async Task<IReadOnlyList<ApiAgentOption>> AgentsAsync(ApplicationDbContext db, CancellationToken ct) =>
        await (from u in db.Users
               join ur in db.UserRoles on u.Id equals ur.UserId
               join r in db.Roles on ur.RoleId equals r.Id
               where r.Name == Roles.Agent
               orderby u.Email
               select new ApiAgentOption(u.Id, u.Email ?? u.UserName ?? u.Id)).ToListAsync(ct);

    /// <param name="aaId">For an AaNotifier client: the Account Aggregator's id (ReBIT Notifier.id); its notifications must name it.</param>
    public async Task<ApiClientCreated> CreateAsync(string? name, string? role, string? agentUserId, string admin, CancellationToken ct = default, string? aaId = null)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'))
        {
            return new(null, null, "name: 1 to 64 letters, digits, '-', '_' or '.'");
        }
        if (role is null || !ApiRoles.All.Contains(role))
        {
            return new(null, null, $"role: one of {string.Join(", ", ApiRoles.All)}");
        }
        aaId = aaId?.Trim();
        if (role == ApiRoles.AaNotifier && (string.IsNullOrEmpty(aaId) || aaId.Length > 128 || aaId.Any(char.IsControl)))
        {
            return new(null, null, "an AaNotifier client is created for one Account Aggregator: give its id (ReBIT Notifier.id, e.g. onemoney-aa)");
        }
        if (role != ApiRoles.AaNotifier)
        {
            aaId = null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string? agentEmail = null;
        if (role == Roles.Agent)
        {
            var agent = (await AgentsAsync(db, ct)).FirstOrDefault(a => a.UserId == agentUserId);
            if (agent is null)
            {
                return new(null, null, "an Agent client must be bound to an agent user: their portfolio decides what it sees");
            }
            agentEmail = agent.Email;
        }
        else
        {
            agentUserId = null;
        }
        if (await db.ApiClients.AnyAsync(c => c.Name == name, ct))
        {
            return new(null, null, $"a client named '{name}' exists already");
        }
        var token = NewToken();
        var now = clock.GetUtcNow();
        var client = new ApiClient
        {
            Name = name, Role = role, AgentUserId = agentUserId, AaId = aaId, TokenHash = HashOf(token), TokenPrefix = token[..DisplayPrefixLength],
            CreatedAt = now, CreatedBy = admin, ExpiresAt = now + _lifetime,
        };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent(null, admin, Roles.Admin, "api-client-create", "/admin/api-clients", null,
            $"client #{client.Id} '{name}' role {role}{(agentEmail is null ? "" : $" bound to {agentEmail}")}{(aaId is null ? "" : $" for AA {aaId}")}, token {client.TokenPrefix}…, expires {client.ExpiresAt:yyyy-MM-dd}"), ct);
        return new(Row(client, agentEmail), token, null);
    }

    /// <summary>
    /// A new token for a live client, shown once; the old one stops working at once (its hash is replaced). The new
    /// token's lifetime starts now. A revoked client cannot be rotated.
    /// </summary>
    public async Task<ApiClientCreated> RotateAsync(int id, string admin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (client is null)
        {
            return new(null, null, "no such client");
        }
        if (client.RevokedAt is not null)
        {
            return new(null, null, $"'{client.Name}' is revoked; create a new client instead");
        }
        var oldPrefix = client.TokenPrefix;
        var token = NewToken();
        var now = clock.GetUtcNow();
        (client.TokenHash, client.TokenPrefix, client.ExpiresAt, client.RotatedAt, client.RotatedBy) = (HashOf(token), token[..DisplayPrefixLength], now + _lifetime, now, admin);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent(null, admin, Roles.Admin, "api-client-rotate", "/admin/api-clients", null,
            $"client #{client.Id} '{client.Name}' role {client.Role}, token {oldPrefix}… replaced by {client.TokenPrefix}…, expires {client.ExpiresAt:yyyy-MM-dd}"), ct);
        var agentEmail = client.AgentUserId is null ? null : await db.Users.Where(u => u.Id == client.AgentUserId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        return new(Row(client, agentEmail), token, null);
    }

    /// <summary>Revokes at once: the next call with the token is refused. Revoking is final.</summary>
    public async Task<string?> RevokeAsync(int id, string admin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (client is null)
        {
            return "no such client";
        }
        if (client.RevokedAt is not null)
        {
            return $"'{client.Name}' is revoked already";
        }
        client.RevokedAt = clock.GetUtcNow();
        client.RevokedBy = admin;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent(null, admin, Roles.Admin, "api-client-revoke", "/admin/api-clients", null,
            $"client #{client.Id} '{client.Name}' role {client.Role}, token {client.TokenPrefix}…"), ct);
        return null;
    }

    /// <summary>
    /// The live client the token belongs to; null (so 401) for an unknown, revoked or expired token, and for an Agent
    /// client whose agent is gone, locked out or no longer in the Agent role. Runs on every call. Notes when it was last used.
    /// </summary>
    public async Task<ApiCaller?> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 128)
        {
            return null;
        }
        var hash = HashOf(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.ApiClients.FirstOrDefaultAsync(c => c.TokenHash == hash, ct);
        var now = clock.GetUtcNow();
        if (client is null || client.RevokedAt is not null || ExpiresAt(client) <= now)
        {
            return null;
        }
        if (client.AgentUserId is { } userId && !await (
                from u in db.Users
                where u.Id == userId && (u.LockoutEnd == null || u.LockoutEnd <= now)
                join ur in db.UserRoles on u.Id equals ur.UserId
                join r in db.Roles on ur.RoleId equals r.Id
                where r.Name == client.Role
                select u.Id).AnyAsync(ct))
        {
            return null;
        }
        if (client.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            client.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return new ApiCaller(client.Id, client.Name, client.Role, client.AgentUserId, client.AaId);
    }

    private static string NewToken() =>
        TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private DateTimeOffset ExpiresAt(ApiClient c) => c.ExpiresAt ?? c.CreatedAt + _lifetime;

    internal static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private ApiClientRow Row(ApiClient c, string? agentEmail) =>
        new(c.Id, c.Name, c.Role, agentEmail, c.TokenPrefix, c.CreatedAt, c.CreatedBy, c.RevokedAt, c.RevokedBy, c.LastUsedAt, ExpiresAt(c), c.RotatedAt, c.RotatedBy);
}
