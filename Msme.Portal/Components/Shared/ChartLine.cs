namespace Msme.Portal.Components.Shared;

/// <summary>One named series of a <see cref="FigureChart"/>: a value per label, null where there is none.</summary>
public sealed record ChartLine(string Name, IReadOnlyList<double?> Values)
{
    /// <summary>How the table prints this column when it differs from the chart's format (e.g. rupees beside a count).</summary>
    public Func<double?, string>? Format { get; init; }
}
