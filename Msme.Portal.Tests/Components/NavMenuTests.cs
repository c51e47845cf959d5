using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Portal.Components.Layout;
using MudBlazor.Services;

namespace Msme.Portal.Tests.Components;

/// <summary>The shared menu: each role sees its sections, the current page's link is marked, groups fold.</summary>
public sealed class NavMenuTests : BunitContext
{
    public NavMenuTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private string[] LinkTexts(IRenderedComponent<NavMenu> menu) =>
        menu.FindAll("a.mud-nav-link .mud-nav-link-text").Select(e => e.TextContent).ToArray();

    [Theory]
    [InlineData(Roles.Agent, "Collections queue", "Anomaly review")]
    [InlineData(Roles.RiskManager, "Anomaly review", "Audit trail")]
    [InlineData(Roles.Compliance, "Audit trail", "Collections queue")]
    [InlineData(Roles.Admin, "Users and roles", "Sign in")]
    public void Each_role_sees_its_own_sections(string role, string shown, string hidden)
    {
        AddAuthorization().SetAuthorized("someone@msme.local").SetRoles(role);

        var texts = LinkTexts(Render<NavMenu>());

        Assert.Contains("Home", texts);
        Assert.Contains(shown, texts);
        Assert.DoesNotContain(hidden, texts);
    }

    [Fact]
    public void Admins_see_every_link_once_and_a_signed_out_visitor_only_sign_in()
    {
        AddAuthorization().SetAuthorized("admin@msme.local").SetRoles(Roles.Admin);
        var texts = LinkTexts(Render<NavMenu>());
        Assert.Equal(17, texts.Length);
        Assert.Equal(texts.Length, texts.Distinct().Count());

        using var anonymous = new BunitContext();
        anonymous.Services.AddMudServices();
        anonymous.JSInterop.Mode = JSRuntimeMode.Loose;
        anonymous.AddAuthorization();
        Assert.Equal(["Sign in"], anonymous.Render<NavMenu>().FindAll("a.mud-nav-link .mud-nav-link-text").Select(e => e.TextContent));
    }

    [Fact]
    public void The_current_page_is_marked_and_the_mark_follows_navigation()
    {
        AddAuthorization().SetAuthorized("risk@msme.local").SetRoles(Roles.RiskManager);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("risk");
        var menu = Render<NavMenu>();
        string[] Active() => menu.FindAll("a.active .mud-nav-link-text").Select(e => e.TextContent).ToArray();

        Assert.Equal(["Risk dashboard"], Active());
        Assert.Equal("page", menu.Find("a.active").GetAttribute("aria-current"));

        navigation.NavigateTo("risk/anomalies?severity=high");
        menu.WaitForAssertion(() => Assert.Equal(["Anomaly review"], Active()));

        navigation.NavigateTo("customers/42/collections");
        menu.WaitForAssertion(() => Assert.Equal(["Customers"], Active()));
    }

    [Fact]
    public void A_group_folds_and_unfolds_from_its_button()
    {
        AddAuthorization().SetAuthorized("admin@msme.local").SetRoles(Roles.Admin);
        var menu = Render<NavMenu>();
        var toggle = menu.Find("button[aria-label='Toggle Admin']");
        Assert.Equal("true", toggle.GetAttribute("aria-expanded"));

        toggle.Click();
        Assert.Equal("false", menu.Find("button[aria-label='Toggle Admin']").GetAttribute("aria-expanded"));
        Assert.True(menu.Find("#nav-group-admin").ParentElement!.ParentElement!.ParentElement!.HasAttribute("hidden"));
        Assert.False(menu.Find("#nav-group-risk").ParentElement!.ParentElement!.ParentElement!.HasAttribute("hidden"));

        menu.Find("button[aria-label='Toggle Admin']").Click();
        Assert.False(menu.Find("#nav-group-admin").ParentElement!.ParentElement!.ParentElement!.HasAttribute("hidden"));
    }

    [Theory]
    [InlineData("", "", true, true)]
    [InlineData("customers", "", true, false)]
    [InlineData("risk", "risk", true, true)]
    [InlineData("risk/", "risk", true, true)]
    [InlineData("risk/anomalies", "risk", true, false)]
    [InlineData("risk/anomalies", "risk/anomalies", false, true)]
    [InlineData("risk/anomalies/7#top", "risk/anomalies", false, true)]
    [InlineData("RISK/Anomalies", "risk/anomalies", false, true)]
    [InlineData("risk/anomaliesx", "risk/anomalies", false, false)]
    [InlineData("collections/portfolio", "collections", false, true)]
    [InlineData("collectionsx", "collections", false, false)]
    [InlineData("compliance?consent=9", "compliance", true, true)]
    public void A_link_is_active_on_its_path_and_below_unless_exact(string current, string href, bool exact, bool active) =>
        Assert.Equal(active, NavMenu.IsActive(current, href, exact));
}
