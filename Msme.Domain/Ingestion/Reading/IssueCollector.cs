namespace Msme.Domain.Ingestion.Reading;

/// <summary>Issues of one file, capped so a systematic problem stays readable.</summary>
/// <remarks>
/// Past the cap issues are only counted; the closing summary is an error when any suppressed issue was one,
/// so HasErrors never turns false because the list was full of warnings.
/// </remarks>
internal sealed class IssueCollector(string file, int cap = 100)
{
    private readonly List<IngestionIssue> _issues = [];
    private readonly HashSet<string> _once = new(StringComparer.Ordinal);
    private int _suppressed;
    private int _suppressedErrors;

    public string File => file;

    public int ErrorCount { get; private set; }

    public void Error(string? account, string path, string? value, string message, int? line = null) =>
        Add(IssueSeverity.Error, account, path, value, message, line);

    public void Warning(string? account, string path, string? value, string message, int? line = null) =>
        Add(IssueSeverity.Warning, account, path, value, message, line);

    /// <summary>A warning reported once per key: a misspelt field repeats in every transaction.</summary>
    public void WarningOnce(string key, string? account, string path, string? value, string message, int? line = null)
    {
        if (_once.Add(key))
        {
            Warning(account, path, value, message, line);
        }
    }

    public void AddRange(IEnumerable<IngestionIssue> issues)
    {
        foreach (var i in issues)
        {
            Add(i.Severity, i.Account, i.Path, i.Value, i.Message, i.Line);
        }
    }

    private void Add(IssueSeverity severity, string? account, string path, string? value, string message, int? line)
    {
        if (severity == IssueSeverity.Error)
        {
            ErrorCount++;
        }

        if (_issues.Count >= cap)
        {
            _suppressed++;
            if (severity == IssueSeverity.Error)
            {
                _suppressedErrors++;
            }

            return;
        }

        // Values can be whole documents (a bad nested XML string); keep the report readable.
        var shown = value is { Length: > 120 } ? value[..117] + "..." : value;
        _issues.Add(new IngestionIssue(severity, file, account, path, shown, message) { Line = line is > 0 ? line : null });
    }

    public IReadOnlyList<IngestionIssue> ToList()
    {
        if (_suppressed == 0)
        {
            return _issues.ToList();
        }

        var summary = new IngestionIssue(
            _suppressedErrors > 0 ? IssueSeverity.Error : IssueSeverity.Warning, file, null, "$", null,
            $"{_suppressed} more issue(s) not listed ({_suppressedErrors} of them errors)");
        return [.. _issues, summary];
    }
}
