using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Msme.Portal.Components.Shared;

/// <summary>
/// MudBlazor 9's markup for icons, alerts, buttons, KPI cards and labelled fields, written out by the component that
/// shows them instead of one MudIcon/MudAlert/MudButton/MudItem instance each. A Blazor Server circuit keeps every
/// component instance (two render trees and their frames) for its whole life, and every GET renders each one: on the
/// pages every user opens first (the layout, the customer page) that was most of a circuit's memory. Same classes,
/// same look; buttons take the caller's <c>@onclick</c> on the element. Depends on MudBlazor 9's class names.
/// </summary>
public static class MudMarkup
{
    private static string SizeName(Size size) => size.ToString().ToLowerInvariant();

    /// <summary>MudIcon's SVG (the icon constants are MudBlazor's own SVG, never user input).</summary>
    public static RenderFragment Icon(string svg, Size size = Size.Medium, string? extraClass = null) => builder =>
    {
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", extraClass is null
            ? $"mud-icon-root mud-svg-icon mud-icon-size-{SizeName(size)}"
            : $"mud-icon-root mud-svg-icon mud-icon-size-{SizeName(size)} {extraClass}");
        builder.AddAttribute(2, "focusable", "false");
        builder.AddAttribute(3, "viewBox", "0 0 24 24");
        builder.AddAttribute(4, "aria-hidden", "true");
        builder.AddAttribute(5, "role", "img");
        builder.AddMarkupContent(6, svg);
        builder.CloseElement();
    };

    /// <summary>MudButton's classes for a variant, colour and size, plus the caller's.</summary>
    public static string ButtonClass(Variant variant, Color color, Size size, string? extraClass = null)
    {
        var v = variant.ToString().ToLowerInvariant();
        var classes = $"mud-button-root mud-button mud-button-{v} mud-button-{v}-{color.ToString().ToLowerInvariant()} mud-button-{v}-size-{SizeName(size)} mud-ripple";
        return extraClass is null ? classes : $"{classes} {extraClass}";
    }

    /// <summary>MudButton's label: the text with an icon before or after it.</summary>
    public static RenderFragment ButtonLabel(string text, string? startIcon = null, string? endIcon = null, Size size = Size.Medium) =>
        ButtonLabel(b => b.AddContent(0, text), startIcon, endIcon, size);

    public static RenderFragment ButtonLabel(RenderFragment text, string? startIcon = null, string? endIcon = null, Size size = Size.Medium) => builder =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "mud-button-label");
        if (startIcon is not null)
        {
            builder.AddContent(2, ButtonIcon("start", startIcon, size));
        }
        builder.AddContent(3, text);
        if (endIcon is not null)
        {
            builder.AddContent(4, ButtonIcon("end", endIcon, size));
        }
        builder.CloseElement();
    };

    private static RenderFragment ButtonIcon(string side, string icon, Size size) => builder =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", $"mud-button-icon-{side} mud-button-icon-size-{SizeName(size)}");
        builder.AddContent(2, Icon(icon, size));
        builder.CloseElement();
    };

    /// <summary>A dense text MudAlert with its severity's default icon (or the one given).</summary>
    public static RenderFragment Alert(Severity severity, RenderFragment message, string? testId = null, string? extraClass = null, string? icon = null) => builder =>
    {
        builder.OpenElement(0, "div");
        if (testId is not null)
        {
            builder.AddAttribute(1, "data-testid", testId);
        }
        var classes = $"mud-alert mud-alert-text-{severity.ToString().ToLowerInvariant()} mud-dense mud-elevation-0";
        builder.AddAttribute(2, "class", extraClass is null ? classes : $"{classes} {extraClass}");
        builder.OpenElement(3, "div");
        builder.AddAttribute(4, "class", "mud-alert-position justify-start");
        builder.OpenElement(5, "div");
        builder.AddAttribute(6, "class", "mud-alert-icon mud-alert-icon-left");
        builder.AddContent(7, Icon(icon ?? DefaultIcon(severity)));
        builder.CloseElement();
        builder.OpenElement(8, "div");
        builder.AddAttribute(9, "class", "mud-alert-message");
        builder.AddContent(10, message);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>MudAlert's default icon per severity.</summary>
    public static string DefaultIcon(Severity severity) => severity switch
    {
        Severity.Info => Icons.Material.Outlined.Info,
        Severity.Success => Icons.Custom.Uncategorized.AlertSuccess,
        Severity.Warning => Icons.Material.Outlined.ReportProblem,
        Severity.Error => Icons.Material.Filled.ErrorOutline,
        _ => Icons.Material.Outlined.EventNote,
    };

    /// <summary>A KPI card in a MudGrid item (xs 6, sm 4, md 2): caption, figure (with its test id) and an optional hint.</summary>
    public static RenderFragment Kpi(string title, string? value, string? hint = null) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "mud-grid-item mud-grid-item-xs-6 mud-grid-item-sm-4 mud-grid-item-md-2");
        builder.OpenElement(2, "div");
        builder.AddAttribute(3, "class", "mud-paper mud-elevation-1 pa-3");
        builder.OpenElement(4, "span");
        builder.AddAttribute(5, "class", "mud-typography mud-typography-caption mud-secondary-text");
        builder.AddContent(6, title);
        builder.CloseElement();
        builder.OpenElement(7, "h6");
        builder.AddAttribute(8, "class", "mud-typography mud-typography-h6");
        builder.AddAttribute(9, "data-testid", $"kpi-{title.ToLowerInvariant().Replace(' ', '-')}");
        builder.AddContent(10, value);
        builder.CloseElement();
        if (hint is not null)
        {
            builder.OpenElement(11, "span");
            builder.AddAttribute(12, "class", "mud-typography mud-typography-caption");
            builder.AddContent(13, hint);
            builder.CloseElement();
        }
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>A labelled value as <see cref="Field"/> shows it; a missing value shows "—".</summary>
    public static RenderFragment Field(string label, string? value) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.OpenElement(1, "span");
        builder.AddAttribute(2, "class", "mud-typography mud-typography-caption mud-secondary-text");
        builder.AddContent(3, label);
        builder.CloseElement();
        builder.OpenElement(4, "p");
        builder.AddAttribute(5, "class", "mud-typography mud-typography-body1");
        builder.AddContent(6, IndianFormat.Text(value));
        builder.CloseElement();
        builder.CloseElement();
    };
}
