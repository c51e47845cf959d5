using Msme.Domain;

namespace Msme.Portal.Features.Api;

/// <summary>
/// The roles an API client may act in: the four staff roles, and two machine-only roles: the Account Aggregator's
/// notifier, and the ingester for machines that push bundles.
/// </summary>
/// <remarks>
/// The AA's Consent/Notification needs to change a consent's status and nothing else, so it gets its own role
/// (<see cref="AaNotifier"/>) that only that endpoint allows, instead of Admin, which would let the AA read every
/// customer. Likewise a machine that pushes AA bundles (an AA connector, a batch job) gets <see cref="Ingest"/>: it may
/// call POST /api/v1/imports and nothing else, so a leaked ingest token reads no customer data. They exist only for API
/// clients: no Identity user can hold them, so no one signs in with them.
/// </remarks>
public static class ApiRoles
{
    public const string AaNotifier = nameof(AaNotifier);
    public const string Ingest = nameof(Ingest);

    public static readonly IReadOnlyList<string> All = [.. Roles.All, AaNotifier, Ingest];
}
