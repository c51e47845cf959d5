namespace Msme.Portal.Components.Shared;

/// <summary>One named series of a <see cref="FigureChart"/>: a value per label, null where there is none.</summary>
public sealed record ChartLine(string Name, IReadOnlyList<double?> Values);
