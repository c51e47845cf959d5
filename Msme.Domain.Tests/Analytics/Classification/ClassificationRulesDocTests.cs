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
}
