using Msme.Domain.Analytics.Classification;

namespace Msme.Domain.Tests.Analytics.Classification;

public class ClassificationRulesDocTests
{
    [Fact]
    public void Docs_classification_rules_md_is_the_rendered_rule_table()
    {
        var rendered = ClassificationRulesDoc.Render();
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "docs", "classification-rules.md"));
        if (Environment.GetEnvironmentVariable("MSME_UPDATE_DOCS") == "1") File.WriteAllText(path, rendered);
        Assert.True(File.Exists(path), $"{path} is missing; run with MSME_UPDATE_DOCS=1");
        Assert.Equal(rendered, File.ReadAllText(path));
    }

    [Fact]
    public void Every_rule_id_is_unique_and_every_rule_says_why()
    {
        var ids = ClassificationRules.Channels.Select(r => r.Id).Concat(ClassificationRules.Categories.Select(r => r.Id)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ClassificationRules.Categories, r => Assert.False(string.IsNullOrWhiteSpace(r.Why)));
        Assert.All(ClassificationRules.Channels, r => Assert.False(string.IsNullOrWhiteSpace(r.Why)));
        // The table must end in a catch-all, or Classify could fall off its end.
        var last = ClassificationRules.Categories[^1];
        Assert.Equal(("", AppliesTo.Both, (IReadOnlyList<Channel>?)null), (last.Pattern, last.AppliesTo, last.OnChannels));
    }

    [Fact]
    public void No_rule_pattern_nests_a_quantifier()
    {
        var patterns = ClassificationRules.Channels.Select(r => (r.Id, r.Pattern))
            .Concat(ClassificationRules.Categories.Select(r => (r.Id, r.Pattern)));
        Assert.All(patterns, p => Assert.False(NestsAQuantifier(p.Pattern), $"{p.Id}: a quantified group holds a quantifier: {p.Pattern}"));
    }

    [Theory]
    [InlineData(@"(A+)+", true)]
    [InlineData(@"(\d*X)*", true)]
    [InlineData(@"(?:AB{2,})?", true)]
    [InlineData(@"^N\d{2,}[A-Z0-9]*[/\-]", false)]
    [InlineData(@"\bREV(ERSED)?\b", false)]
    [InlineData(@"(?<![A-Z])LIC(?![A-Z])", false)]
    [InlineData(@"[(]A+[)]+", false)]
    public void The_nested_quantifier_check_finds_what_it_should(string pattern, bool nests) =>
        Assert.Equal(nests, NestsAQuantifier(pattern));

    /// <summary>True when a group that is itself quantified contains a quantifier (escapes and classes skipped).</summary>
    private static bool NestsAQuantifier(string pattern)
    {
        var open = new Stack<bool>(); // per open group: has it seen a quantifier inside?
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\') { i++; continue; }
            if (c == '[')
            {
                for (i++; i < pattern.Length && pattern[i] != ']'; i++) if (pattern[i] == '\\') i++;
                continue;
            }
            if (c == '(') { open.Push(false); continue; }
            if (c == ')')
            {
                var inner = open.Pop();
                var quantified = i + 1 < pattern.Length && pattern[i + 1] is '*' or '+' or '?' or '{';
                if (inner && quantified) return true;
                if (inner && open.Count > 0) { open.Pop(); open.Push(true); }
                continue;
            }
            if (c is '*' or '+' or '{' && open.Count > 0) { open.Pop(); open.Push(true); }
        }
        return false;
    }
}
