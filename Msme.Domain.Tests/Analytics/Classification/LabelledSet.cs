using System.Text;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Classification;

/// <summary>One row of Fixtures/labelled/transactions.csv: a narration and what a human (or the generator) says it is.</summary>
internal sealed record LabelledLine(string Narration, TxnType Type, string Mode, Channel Channel, Category Category, string Source);

internal static class LabelledSet
{
    public static IReadOnlyList<LabelledLine> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "labelled", "transactions.csv");
        var lines = File.ReadAllLines(path);
        var result = new List<LabelledLine>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var f = Fields(line);
            result.Add(new LabelledLine(f[0], Enum.Parse<TxnType>(f[1], true), f[2], Enum.Parse<Channel>(f[3]), Enum.Parse<Category>(f[4]), f[5]));
        }
        return result;
    }

    // RFC 4180 fields: quoted when they hold commas or quotes ("NEFT DR-...-NETBANK, MUM-...").
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else sb.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(ch);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
