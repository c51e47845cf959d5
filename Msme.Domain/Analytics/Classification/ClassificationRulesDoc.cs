using System.Text;

namespace Msme.Domain.Analytics.Classification;

/// <summary>Renders the rule tables as docs/classification-rules.md, so the document is the code and cannot drift.</summary>
public static class ClassificationRulesDoc
{
    public static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# Transaction classification rules\n\n");
        sb.Append("Generated from `Msme.Domain/Analytics/Classification/ClassificationRules.cs` by `ClassificationRulesDoc.Render()`; ");
        sb.Append("a test fails when this file and the code disagree (regenerate with `MSME_UPDATE_DOCS=1 dotnet test Msme.Domain.Tests`).\n\n");
        sb.Append("`TransactionClassifier.Classify(Transaction)` reads the narration twice: once for the **rail** (channel), once for the **purpose** (category). ");
        sb.Append("In each table the first matching row wins, so the order is the policy: specific before generic. ");
        sb.Append("Patterns are .NET regular expressions, case-insensitive. Both tables read the narration with every run of digits written `00` ");
        sb.Append("(no rule needs exact digits, only \"two or more\"; lines differing only in reference numbers then share one decision per statement). ");
        sb.Append("For the purpose table, UPI handles (`name@psp`) are blanked out first, because handles carry words by accident (`parent@ybl`, `@airtel`).\n\n");
        sb.Append("## 1. Rail (channel)\n\n| id | pattern | channel | why |\n|---|---|---|---|\n");
        foreach (var r in ClassificationRules.Channels)
            sb.Append($"| {r.Id} | `{Escape(r.Pattern)}` | {r.Channel} | {Escape(r.Why)} |\n");
        sb.Append("\nWhen no row matches, the statement's `mode` decides (most banks send OTHERS, so this is the fallback, not the rule):\n\n| id | mode | channel |\n|---|---|---|\n");
        foreach (var (mode, channel) in ClassificationRules.Modes) sb.Append($"| M-{mode} | {mode} | {channel} |\n");
        sb.Append("| M-NONE | missing or unknown | Other |\n");
        sb.Append("\n## 2. Purpose (category)\n\n");
        sb.Append($"Before the table: a line typed `REVERSAL` by the feed is `Reversal` (rule {TransactionClassifier.ReversalTypeRule}); it counts in neither inflow nor outflow.\n\n");
        sb.Append("| # | id | pattern | applies to | only on rails | channel | category | why |\n|---|---|---|---|---|---|---|---|\n");
        var i = 1;
        foreach (var r in ClassificationRules.Categories)
        {
            var pattern = r.Pattern.Length == 0 ? "(any)" : $"`{Escape(r.Pattern)}`";
            var rails = r.OnChannels is { } c ? string.Join(", ", c) : "any";
            if (r.NeedsCounterparty) rails += " (needs a named counterparty)";
            sb.Append($"| {i++} | {r.Id} | {pattern} | {r.AppliesTo.ToString().ToUpperInvariant()} | {rails} | {r.Channel?.ToString() ?? "(rail)"} | {r.Category} | {Escape(r.Why)} |\n");
        }
        sb.Append("\n## 3. Counterparty\n\n");
        sb.Append("`CounterpartyExtractor.Extract` reads the name from the narration's shape: `UPI/<ref>/<name>/<vpa>/...` (the VPA when the name is `UPI`), ");
        sb.Append("`UPI-<name>-<vpa>-<ifsc>-<ref>-<remark>` (everything before the VPA), `NEFT-<utr>-<name>-...`, `NEFT DR-<ifsc>-<name>-...`, ");
        sb.Append("`RTGS/<utr>/<name>/...`, `MMT/IMPS/<ref>/<remark>/<name>/<bank>`, `IMPS-<ref>-<name>-...`, `ACH/<lender>/<umrn>`, `ACH RTN CHRG/<lender>/...`, ");
        sb.Append("`NACH-DR-<lender>-<umrn>`, `CLG/<no>/<name>/...`, `SAL/<period>/<name>/...`, `BIL/BPAY/<id>/<biller>/...`, `POS <card> <merchant>`. ");
        sb.Append("Names are upper-cased with single spaces. ATM, cash, charges, interest and own-account lines have none.\n\n");
        sb.Append("## Known limits\n\n");
        sb.Append("- The classifier sees one line, not the account: a P2P UPI credit into a salaried person's savings account reads as BusinessReceipts (rule C-CREDIT), which is right for an MSME current account and wrong there.\n");
        sb.Append("- A salary paid by an employer whose narration has no salary word (e.g. `BHARTI AIRTEL -...`) is not recognised as SalaryCredit; recurring-credit detection (Patterns) finds it instead.\n");
        sb.Append("- Credit-card and BNPL repayments have no category of their own and fall to Other.\n");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
}
