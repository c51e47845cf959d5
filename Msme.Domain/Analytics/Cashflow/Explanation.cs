using System.Globalization;

namespace Msme.Domain.Analytics.Cashflow;

/// <summary>One labelled input of a figure, formatted as the reader should see it.</summary>
public sealed record ExplanationInput(string Label, string Value);

/// <summary>How a figure was obtained: the formula, the inputs it used and a sentence for a risk manager.</summary>
public sealed record Explanation(string Figure, string Formula, IReadOnlyList<ExplanationInput> Inputs, string Narrative, string Result);

/// <summary>
/// Collects inputs while a figure is computed. The figure functions take a nullable builder: the analyzer passes
/// null (no cost on the hot path), Explain passes one, so the explanation comes from the very code that computed the figure.
/// </summary>
internal sealed class ExplanationBuilder
{
    private readonly List<ExplanationInput> _inputs = [];
    private string _narrative = "";

    public void Input(string label, decimal value) => _inputs.Add(new(label, value.ToString(CultureInfo.InvariantCulture)));

    public void Input(string label, string value) => _inputs.Add(new(label, value));

    public void Narrate(string narrative) => _narrative = narrative;

    public Explanation Build(string figure, string formula, string result) => new(figure, formula, _inputs.ToArray(), _narrative, result);

    internal static string Format(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";
}
