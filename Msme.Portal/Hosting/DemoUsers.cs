using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Msme.Domain;
using Msme.Portal.Data;

namespace Msme.Portal.Hosting;

/// <summary>The demo staff: one user per role plus a second agent. Listed in the README.</summary>
public static class DemoUsers
{
    public const string Agent1 = "agent1@msme.local", Agent2 = "agent2@msme.local";

    /// <summary>
    /// The default authenticator key (base32, 160 bits) of the demo users whose role requires two-factor sign-in. Public
    /// by design, like the demo password: `oathtool --totp -b MSMEDEMOADMINTOTPKEY234567ABCDEF` gives the code.
    /// </summary>
    public const string AuthenticatorKey = "MSMEDEMOADMINTOTPKEY234567ABCDEF";

    public static readonly IReadOnlyList<(string Email, string DisplayName, string Role)> All =
    [
        (Agent1, "Asha Rao (agent)", Roles.Agent),
        (Agent2, "Vikram Shah (agent)", Roles.Agent),
        ("risk@msme.local", "Meera Iyer (risk manager)", Roles.RiskManager),
        ("compliance@msme.local", "Arjun Nair (compliance)", Roles.Compliance),
        ("admin@msme.local", "Priya Menon (admin)", Roles.Admin),
    ];

    /// <summary>Demo data is on in Development unless switched off, and off elsewhere unless switched on explicitly.</summary>
    public static bool SeedingEnabled(MsmeOptions options, IHostEnvironment environment) =>
        options.SeedDemoData ?? environment.IsDevelopment();

    /// <summary>
    /// Creates the roles always, and the demo users when seeding is enabled. Idempotent. Demo users whose role requires
    /// two-factor sign-in get the documented authenticator key (Msme:DemoAuthenticatorKey) already enrolled, so the demo
    /// stays usable; any other admin or compliance user enrols their own at first sign-in.
    /// </summary>
    public static async Task SeedDemoUsersAsync(this IServiceProvider services, IHostEnvironment environment, ILogger logger)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var options = scope.ServiceProvider.GetRequiredService<IOptions<MsmeOptions>>().Value;
        if (!SeedingEnabled(options, environment))
        {
            return;
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        foreach (var (email, name, role) in All)
        {
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
                var created = await users.CreateAsync(user, options.DemoPassword);
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"Demo user {email} could not be created: {string.Join("; ", created.Errors.Select(e => e.Description))}");
                }
                await users.AddToRoleAsync(user, role);
            }
            if (TwoFactorPolicy.IsRequired([role]) && !await users.GetTwoFactorEnabledAsync(user))
            {
                await EnrolAuthenticatorAsync(users, scope.ServiceProvider.GetRequiredService<IUserStore<ApplicationUser>>(), user, options.DemoAuthenticatorKey);
            }
        }
        logger.LogInformation("Demo users ({Count}) ready; password from Msme:DemoPassword. Users: {Users}",
            All.Count, string.Join(", ", All.Select(u => $"{u.Email} ({u.Role})")));
    }

    private static async Task EnrolAuthenticatorAsync(UserManager<ApplicationUser> users, IUserStore<ApplicationUser> store, ApplicationUser user, string key)
    {
        if (store is not IUserAuthenticatorKeyStore<ApplicationUser> keys)
        {
            throw new InvalidOperationException("the user store keeps no authenticator keys");
        }
        await keys.SetAuthenticatorKeyAsync(user, key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), CancellationToken.None);
        var result = await users.SetTwoFactorEnabledAsync(user, true); // also saves the key
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Demo user {user.Email}: two-factor could not be enabled");
        }
    }
}
