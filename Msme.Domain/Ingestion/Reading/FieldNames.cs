namespace Msme.Domain.Ingestion.Reading;

/// <summary>Where a field sits in a deposit document; field names are only meaningful within one.</summary>
internal enum Section { Account, Holders, Holder, Summary, Pending, Transactions, Transaction, Wrapper }

/// <summary>A field name resolved against its section: the canonical (normalised ReBIT) name, and why it was an alias if it was a typo.</summary>
internal readonly record struct ResolvedField(string Canonical, string? TypoOf);

/// <summary>
/// Field names as feeds write them, mapped to one canonical spelling: case, '_' and '-' are ignored (maskedAccNumber =
/// masked_account_number), known renamings are silent, known misspellings are accepted but reported.
/// </summary>
internal static class FieldNames
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> NormalCache = new(StringComparer.Ordinal);

    /// <summary>Lower case without '_' and '-': Setu's snake_case, XML's capitals and camelCase all meet here.</summary>
    public static string Normalise(string name)
    {
        var needsWork = false;
        foreach (var c in name)
        {
            if (c is '_' or '-' || char.IsUpper(c))
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return name;
        }

        // A document spells a field the same way thousands of times (txnId, currentBalance): normalise it once.
        if (NormalCache.TryGetValue(name, out var known))
        {
            return known;
        }

        var normal = string.Create(name.Length - name.Count(c => c is '_' or '-'), name, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (c is not ('_' or '-'))
                {
                    span[i++] = char.ToLowerInvariant(c);
                }
            }
        });
        if (NormalCache.Count < 4096)
        {
            NormalCache.TryAdd(name, normal);
        }

        return normal;
    }

    private static readonly Dictionary<Section, Dictionary<string, string>> Known = new()
    {
        [Section.Account] = Map("maskedaccnumber", "linkedaccref", "version", "type",
            ("maskedaccountnumber", "maskedaccnumber"), ("linkrefnumber", "linkedaccref"), ("linkedaccountref", "linkedaccref")),
        [Section.Holders] = Map("type"),
        [Section.Holder] = Map("name", "dob", "mobile", "landline", "email", "pan", "address", "nominee", "ckyccompliance", "ckycregistered"),
        [Section.Summary] = Map("currentbalance", "currency", "exchgerate", "balancedatetime", "type", "accounttype", "accountsubtype",
            "branch", "facility", "ifsc", "micrcode", "openingdate", "currentodlimit", "drawinglimit", "status", ("ifsccode", "ifsc")),
        [Section.Pending] = Map("transactiontype", "amount"),
        [Section.Transactions] = Map("startdate", "enddate"),
        [Section.Transaction] = Map("txnid", "type", "mode", "amount", "currentbalance", "transactionalbalance", "transactiontimestamp",
            "valuedate", "narration", "reference"),
        [Section.Wrapper] = Map("fipid", "maskedaccnumber", "version", "type",
            ("linkrefnumber", "linkedaccref"), ("linkedaccref", "linkedaccref"), ("maskedaccountnumber", "maskedaccnumber")),
    };

    // Misspellings seen in published samples (Sahamati fiu-data-governance): accepted, each reported.
    private static readonly Dictionary<Section, Dictionary<string, string>> Typos = new()
    {
        [Section.Holder] = new() { ["ckycconpliance"] = "ckycCompliance" },
        [Section.Summary] = new() { ["balancedatatime"] = "balanceDateTime", ["exchangerate"] = "exchgeRate" },
        [Section.Transactions] = new() { ["enddata"] = "endDate" },
    };

    /// <summary>Resolves a raw field name; false when the section does not know it.</summary>
    public static bool TryResolve(Section section, string rawName, out ResolvedField field)
    {
        // txnID differs from txnId only in case, which is otherwise ignored: catch this one spelling before normalising.
        if (section == Section.Transaction && rawName == "txnID")
        {
            field = new ResolvedField("txnid", "txnId");
            return true;
        }

        var normal = Normalise(rawName);
        if (Known[section].TryGetValue(normal, out var canonical))
        {
            field = new ResolvedField(canonical, null);
            return true;
        }

        if (Typos.TryGetValue(section, out var typos) && typos.TryGetValue(normal, out var meant))
        {
            field = new ResolvedField(Normalise(meant), meant);
            return true;
        }

        field = default;
        return false;
    }

    private static Dictionary<string, string> Map(params object[] entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case string name:
                    map[name] = name;
                    break;
                case (string alias, string canonical):
                    map[alias] = canonical;
                    break;
            }
        }

        return map;
    }
}
