using Msme.Domain;

namespace Msme.Portal.Features.Api;

/// <summary>
/// The roles an API client may act in: the four staff roles, and one machine-only role for the Account Aggregator.
/// </summary>
/// <remarks>
/// The AA's Consent/Notification needs to change a consent's status and nothing else, so it gets its own role
/// (<see cref="AaNotifier"/>) that only that endpoint allows, instead of Admin, which would let the AA read every
/// customer. It exists only for API clients: no Identity user can hold it, so no one signs in with it.
/// </remarks>
public static class ApiRoles
{
    public const string AaNotifier = nameof(AaNotifier);

    public static readonly IReadOnlyList<string> All = [.. Roles.All, AaNotifier];
}
