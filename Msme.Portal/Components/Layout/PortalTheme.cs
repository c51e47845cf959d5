using MudBlazor;

namespace Msme.Portal.Components.Layout;

/// <summary>The portal's colours: calm, high-contrast, money-coloured accents used sparingly.</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e79",
            Secondary = "#2e7d32",
            AppbarBackground = "#1f4e79",
            Background = "#f6f8fa",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "240px" },
    };
}
