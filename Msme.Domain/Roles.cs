namespace Msme.Domain;

/// <summary>The portal's roles. Names are stored in Identity, so they never change.</summary>
public static class Roles
{
    public const string Agent = nameof(Agent);
    public const string RiskManager = nameof(RiskManager);
    public const string Compliance = nameof(Compliance);
    public const string Admin = nameof(Admin);

    public static readonly IReadOnlyList<string> All = [Agent, RiskManager, Compliance, Admin];

    /// <summary>Any member of staff, for [Authorize(Roles = ...)]: a signed-in user with no role sees nothing.</summary>
    public const string AnyStaff = $"{Agent},{RiskManager},{Compliance},{Admin}";
}
