using System.Security.Claims;
using Msme.Domain;

namespace Msme.Portal.Components.Pages;

/// <summary>Where each role lands after sign-in. A person with several roles lands on the widest view they hold.</summary>
public static class RoleHome
{
    public static string For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(Roles.Admin)) return "/admin";
        if (user.IsInRole(Roles.RiskManager)) return "/risk";
        if (user.IsInRole(Roles.Compliance)) return "/compliance";
        if (user.IsInRole(Roles.Agent)) return "/collections";
        return "/overview";
    }
}
