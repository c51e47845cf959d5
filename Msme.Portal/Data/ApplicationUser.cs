using Microsoft.AspNetCore.Identity;

namespace Msme.Portal.Data;

/// <summary>A member of the lender's staff.</summary>
public class ApplicationUser : IdentityUser
{
    public string? DisplayName { get; set; }
}
