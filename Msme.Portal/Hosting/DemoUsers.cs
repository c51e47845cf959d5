using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Msme.Domain;
using Msme.Portal.Data;

namespace Msme.Portal.Hosting;

/// <summary>The demo staff: one user per role plus a second agent. Listed in the README.</summary>
public static class DemoUsers
{
    public const string Agent1 = "agent1@msme.local", Agent2 = "agent2@msme.local";

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

    /// <summary>Creates the roles always, and the demo users when seeding is enabled. Idempotent.</summary>
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
            if (await users.FindByEmailAsync(email) is not null)
            {
                continue;
            }
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
            var created = await users.CreateAsync(user, options.DemoPassword);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Demo user {email} could not be created: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }
            await users.AddToRoleAsync(user, role);
        }
        logger.LogInformation("Demo users ({Count}) ready; password from Msme:DemoPassword. Users: {Users}",
            All.Count, string.Join(", ", All.Select(u => $"{u.Email} ({u.Role})")));
    }
}
