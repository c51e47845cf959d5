using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Msme.Domain.Privacy;

namespace Msme.Portal.Features.Customers;

/// <summary>The signed-in user of this circuit and what their roles may see of a customer's personal data.</summary>
public sealed class Viewer(AuthenticationStateProvider auth)
{
    private ClaimsPrincipal? _user;

    public async Task<ClaimsPrincipal> UserAsync() => _user ??= (await auth.GetAuthenticationStateAsync()).User;

    public async Task<DisclosurePolicy> PolicyAsync()
    {
        var user = await UserAsync();
        return DisclosurePolicy.For(user.FindAll(user.Identities.FirstOrDefault()?.RoleClaimType ?? ClaimTypes.Role).Select(c => c.Value));
    }
}

/// <summary>Display helpers that apply the policy: what the role may not see is masked, never dropped silently.</summary>
public static class Disclose
{
    public static string? Pan(this DisclosurePolicy? p, string? pan) => p?.Pan == true ? pan : Masking.Pan(pan);
    public static string? Mobile(this DisclosurePolicy? p, string? mobile) => p?.Mobile == true ? mobile : Masking.Mobile(mobile);
    public static string? Email(this DisclosurePolicy? p, string? email) => p?.Email == true ? email : Masking.Email(email);
    public static string? Narration(this DisclosurePolicy? p, string? narration) => p?.Counterparties == true ? narration : Masking.Narration(narration);
    public static string? Counterparty(this DisclosurePolicy? p, string? name) => p?.Counterparties == true ? name : Masking.Counterparty(name);

    /// <summary>A text that may quote counterparties or narrations (a narrative, an anomaly's subject): masked unless the role sees counterparties.</summary>
    public static string? Quoted(this DisclosurePolicy? p, string? text, CounterpartyNames? names) =>
        p?.Counterparties == true ? text : QuotedMasking.Text(text, names ?? CounterpartyNames.None);

    /// <summary>An explanation with its narrative, inputs and result masked unless the role sees counterparties.</summary>
    public static Msme.Domain.Analytics.Cashflow.Explanation Quoted(this DisclosurePolicy? p, Msme.Domain.Analytics.Cashflow.Explanation e, CounterpartyNames? names) =>
        p?.Counterparties == true ? e : QuotedMasking.Explanation(e, names ?? CounterpartyNames.None);
}
