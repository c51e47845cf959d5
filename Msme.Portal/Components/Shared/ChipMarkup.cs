using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Msme.Portal.Components.Shared;

/// <summary>
/// MudChip's markup (outlined, small) written out, without a MudChip instance: lists that show one per row (consent
/// registries, the Smart Collect timeline) would otherwise keep a component per chip for the circuit's life and render
/// it on every GET. Depends on MudBlazor 9's chip classes.
/// </summary>
public static class ChipMarkup
{
    public static RenderFragment Outlined(Color color, string text) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "mud-chip-container");
        builder.OpenElement(2, "div");
        builder.AddAttribute(3, "class", $"mud-chip mud-chip-outlined mud-chip-size-small mud-chip-color-{color.ToString().ToLowerInvariant()}");
        builder.OpenElement(4, "span");
        builder.AddAttribute(5, "class", "mud-chip-content");
        builder.AddContent(6, text);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };
}
