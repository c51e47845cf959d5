using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>The loans read from a loan book and everything wrong with it. A loan with an error is left out of <see cref="Loans"/>.</summary>
public sealed record LoanBookParseResult(IReadOnlyList<Loan> Loans, IReadOnlyList<IngestionIssue> Issues)
{
    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);
}

/// <summary>
/// Reads the lender's loan book (docs/loan-book-format.md): the JSON the demo writer produces, or the one-row-per-instalment
/// CSV. Strict: a value that is missing, malformed or out of range is an error naming the file, the loan id (in
/// <see cref="IngestionIssue.Account"/>), the JSON path or CSV row and column, and the value; the loan is then left out.
/// </summary>
public static class LoanBookReader
{
    /// <summary>CSV columns, in the documented order. The loan columns repeat on every instalment row.</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "loan_id", "customer", "lender", "product", "sanctioned_amount", "emi", "due_day", "tenure_months", "start_date",
        "mandate", "mandate_ref", "masked_acc_number", "link_ref_number",
        "instalment_number", "due_date", "presented_date", "amount", "outcome", "paid_amount",
    ];

    private const int FirstInstalmentColumn = 13;

    public static LoanBookParseResult ReadJson(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var issues = new List<IngestionIssue>();
        var loans = new List<Loan>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            issues.Add(new(IssueSeverity.Error, fileName, null, $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}", null, $"not valid JSON: {e.Message}"));
            return new(loans, issues);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("loans", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                issues.Add(new(IssueSeverity.Error, fileName, null, "$.loans", null, "the loan book must be an object with a 'loans' array"));
                return new(loans, issues);
            }
            if (root.TryGetProperty("loanBookVersion", out var v) && !(v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var ver) && ver == 1))
                issues.Add(new(IssueSeverity.Warning, fileName, null, "$.loanBookVersion", v.GetRawText(), "unknown loan book version; read as version 1"));

            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var path = $"$.loans[{index++}]";
                var loan = ReadJsonLoan(item, path, fileName, issues);
                if (loan is null) continue;
                if (seen.TryGetValue(loan.LoanId, out var first))
                {
                    issues.Add(new(IssueSeverity.Error, fileName, loan.LoanId, $"{path}.loanId", loan.LoanId, $"duplicate loan id: already at {first}"));
                    loans.RemoveAll(l => l.LoanId == loan.LoanId);
                    continue;
                }
                seen[loan.LoanId] = path;
                loans.Add(loan);
            }
        }
        return new(loans, issues);
    }

    private static Loan? ReadJsonLoan(JsonElement e, string path, string file, List<IngestionIssue> issues)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            issues.Add(new(IssueSeverity.Error, file, null, path, Raw(e), "a loan must be an object"));
            return null;
        }
        var loanId = Text(e, "loanId");
        var f = new Fields(file, loanId, issues);
        string? Get(JsonElement o, string name, string at) => f.Scalar(o, name, at);
        var account = e.TryGetProperty("account", out var a) && a.ValueKind == JsonValueKind.Object ? a : (JsonElement?)null;
        if (account is null) f.Error($"{path}.account", null, "missing the 'account' object (maskedAccNumber, linkRefNumber)");

        var terms = new LoanTerms(
            f.Required(Get(e, "loanId", path), $"{path}.loanId"),
            f.Required(Get(e, "customer", path), $"{path}.customer"),
            Get(e, "lender", path),
            f.Required(Get(e, "product", path), $"{path}.product"),
            f.Money(Get(e, "sanctionedAmount", path), $"{path}.sanctionedAmount", positive: false),
            f.Money(Get(e, "emi", path), $"{path}.emi", positive: true),
            f.DueDay(Get(e, "dueDay", path), $"{path}.dueDay"),
            f.PositiveInt(Get(e, "tenureMonths", path), $"{path}.tenureMonths"),
            f.Date(Get(e, "startDate", path), $"{path}.startDate", required: true),
            f.Mandate(Get(e, "mandate", path), $"{path}.mandate"),
            Get(e, "mandateRef", path),
            account is { } acc ? f.Required(Get(acc, "maskedAccNumber", $"{path}.account"), $"{path}.account.maskedAccNumber") : null,
            account is { } acc2 ? Get(acc2, "linkRefNumber", $"{path}.account") : null);

        var instalments = new List<LoanInstalment>();
        if (!e.TryGetProperty("instalments", out var list) || list.ValueKind != JsonValueKind.Array)
            f.Error($"{path}.instalments", null, "missing the 'instalments' array");
        else
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var at = $"{path}.instalments[{i++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    f.Error(at, Raw(item), "an instalment must be an object");
                    continue;
                }
                var inst = f.Instalment(
                    Get(item, "number", at), Get(item, "dueDate", at), Get(item, "presentedDate", at), Get(item, "amount", at),
                    Get(item, "outcome", at), Get(item, "paidAmount", at), at, name => $"{at}.{name}");
                if (inst is null) continue;
                if (item.TryGetProperty("attempts", out var attempts) && attempts.ValueKind == JsonValueKind.Array)
                    inst = inst with { Attempts = ReadAttempts(attempts, at, f) };
                instalments.Add(inst);
            }
        }
        return f.Build(terms, instalments, path);
    }

    private static List<LoanAttempt> ReadAttempts(JsonElement attempts, string at, Fields f)
    {
        var result = new List<LoanAttempt>();
        var k = 0;
        foreach (var a in attempts.EnumerateArray())
        {
            var ap = $"{at}.attempts[{k++}]";
            if (a.ValueKind != JsonValueKind.Object) { f.Error(ap, Raw(a), "an attempt must be an object"); continue; }
            var date = f.Date(f.Scalar(a, "date", ap), $"{ap}.date", required: true);
            var kind = f.Scalar(a, "kind", ap);
            var res = f.Scalar(a, "result", ap);
            var amount = f.Money(f.Scalar(a, "amount", ap), $"{ap}.amount", positive: true);
            if (kind is not ("PRESENTMENT" or "MANUAL_PAYMENT")) f.Error($"{ap}.kind", kind, "unknown attempt kind; expected PRESENTMENT or MANUAL_PAYMENT");
            if (res is not ("BOUNCED" or "DEBITED")) f.Error($"{ap}.result", res, "unknown attempt result; expected BOUNCED or DEBITED");
            if (date is { } d && amount is { } m && kind is "PRESENTMENT" or "MANUAL_PAYMENT" && res is "BOUNCED" or "DEBITED")
                result.Add(new LoanAttempt(d, kind == "PRESENTMENT", res == "BOUNCED", m, f.Scalar(a, "txnId", ap), f.Scalar(a, "chargeTxnId", ap)));
        }
        return result;
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Raw(JsonElement e)
    {
        var raw = e.GetRawText();
        return raw.Length > 60 ? raw[..60] + "…" : raw;
    }

    /// <summary>Reads the one-row-per-instalment CSV (RFC 4180, comma-separated, header row required).</summary>
    public static LoanBookParseResult ReadCsv(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var issues = new List<IngestionIssue>();
        var loans = new List<Loan>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            AllowLineBreaksInQuotes = true,
            TrackLineNumbers = true,
            TrimWhitespace = false,
        };
        try
        {
            using var csv = CsvReader.Create(stream, options, leaveOpen: true);
            var header = csv.Headers.ToArray();
            var column = new int[CsvColumns.Count];
            var missing = new List<string>();
            for (var c = 0; c < CsvColumns.Count; c++)
            {
                column[c] = Array.IndexOf(header, CsvColumns[c]);
                if (column[c] < 0) missing.Add(CsvColumns[c]);
            }
            if (missing.Count > 0)
            {
                issues.Add(new(IssueSeverity.Error, fileName, null, "row 1 (header)", string.Join(',', header), $"missing column(s): {string.Join(", ", missing)}"));
                return new(loans, issues);
            }
            foreach (var unknown in header.Where(h => !CsvColumns.Contains(h)))
                issues.Add(new(IssueSeverity.Warning, fileName, null, "row 1 (header)", unknown, "unknown column; ignored"));

            // Rows of one loan are contiguous; a loan id that comes back after another loan is a duplicate loan.
            var closed = new Dictionary<string, int>(StringComparer.Ordinal);
            CsvLoan? current = null;
            void Close()
            {
                if (current is null) return;
                closed[current.LoanId] = current.FirstRow;
                var loan = current.Fields.Build(current.Terms, current.Instalments, $"rows {current.FirstRow}-{current.LastRow}");
                if (loan is not null) loans.Add(loan);
            }

            while (csv.Read())
            {
                var row = (int)csv.RowNumber + 1; // the header is row 1, as a spreadsheet shows it
                string? Cell(int c)
                {
                    var s = csv.GetString(column[c]);
                    return string.IsNullOrEmpty(s) ? null : s;
                }
                string At(int c) => $"row {row}, column {CsvColumns[c]}";
                var loanId = Cell(0) ?? "";
                if (current is null || current.LoanId != loanId)
                {
                    Close();
                    var f = new Fields(fileName, loanId.Length == 0 ? null : loanId, issues);
                    if (closed.TryGetValue(loanId, out var firstRow) && loanId.Length > 0)
                    {
                        f.Error(At(0), loanId, $"duplicate loan id: its rows must be contiguous, and it already appeared from row {firstRow}");
                        loans.RemoveAll(l => l.LoanId == loanId);
                    }
                    var terms = new LoanTerms(
                        f.Required(Cell(0), At(0)), f.Required(Cell(1), At(1)), Cell(2), f.Required(Cell(3), At(3)),
                        f.Money(Cell(4), At(4), positive: false), f.Money(Cell(5), At(5), positive: true),
                        f.DueDay(Cell(6), At(6)), f.PositiveInt(Cell(7), At(7)), f.Date(Cell(8), At(8), required: true),
                        f.Mandate(Cell(9), At(9)), Cell(10), f.Required(Cell(11), At(11)), Cell(12));
                    current = new CsvLoan(loanId, row, f, terms, []);
                }
                else
                {
                    // Loan columns repeat on every row and must agree with the loan's first row.
                    for (var c = 1; c < FirstInstalmentColumn; c++)
                    {
                        var firstValue = current.FirstValues[c];
                        if (!string.Equals(firstValue, Cell(c), StringComparison.Ordinal))
                            current.Fields.Error(At(c), Cell(c), $"differs from the loan's first row {current.FirstRow} ('{firstValue}')");
                    }
                }
                if (current.FirstRow == row)
                    for (var c = 0; c < FirstInstalmentColumn; c++) current.FirstValues[c] = Cell(c);
                current.LastRow = row;

                var instalmentCells = Enumerable.Range(FirstInstalmentColumn, CsvColumns.Count - FirstInstalmentColumn).Select(Cell);
                if (instalmentCells.All(v => v is null)) continue; // a loan without a schedule yet
                var inst = current.Fields.Instalment(Cell(13), Cell(14), Cell(15), Cell(16), Cell(17), Cell(18), $"row {row}",
                    name => $"row {row}, column {ColumnOf(name)}");
                if (inst is not null) current.Instalments.Add(inst);
            }
            Close();
        }
        catch (CsvFormatException e)
        {
            var where = e.LineNumber > 0 ? $"line {e.LineNumber}" : $"record {e.RecordNumber}";
            issues.Add(new(IssueSeverity.Error, fileName, null, where, null, $"malformed CSV: {e.Message}"));
        }
        return new(loans, issues);
    }

    private static string ColumnOf(string jsonName) => jsonName switch
    {
        "number" => "instalment_number",
        "dueDate" => "due_date",
        "presentedDate" => "presented_date",
        "paidAmount" => "paid_amount",
        _ => jsonName,
    };

    private sealed class CsvLoan(string loanId, int firstRow, Fields fields, LoanTerms terms, List<LoanInstalment> instalments)
    {
        public string LoanId { get; } = loanId;
        public int FirstRow { get; } = firstRow;
        public int LastRow { get; set; } = firstRow;
        public Fields Fields { get; } = fields;
        public LoanTerms Terms { get; } = terms;
        public List<LoanInstalment> Instalments { get; } = instalments;
        public string?[] FirstValues { get; } = new string?[FirstInstalmentColumn];
    }

    private sealed record LoanTerms(
        string? LoanId, string? Customer, string? Lender, string? Product, decimal? Sanctioned, decimal? Emi, int? DueDay,
        int? Tenure, DateOnly? Start, Mandate? Mandate, string? MandateRef, string? Masked, string? LinkRef);

    /// <summary>Field checks shared by both formats; every failure becomes an error issue and poisons the loan.</summary>
    private sealed class Fields(string file, string? loanId, List<IngestionIssue> issues)
    {
        public bool Failed { get; private set; }

        public void Error(string path, string? value, string message)
        {
            Failed = true;
            issues.Add(new(IssueSeverity.Error, file, loanId, path, value, message));
        }

        /// <summary>A JSON scalar as text: strings as given, numbers as written, null and absent as null; objects and arrays are errors.</summary>
        public string? Scalar(JsonElement o, string name, string at)
        {
            if (!o.TryGetProperty(name, out var v)) return null;
            switch (v.ValueKind)
            {
                case JsonValueKind.String: return v.GetString();
                case JsonValueKind.Number: return v.GetRawText();
                case JsonValueKind.Null: return null;
                default:
                    Error($"{at}.{name}", Raw(v), "expected a string or a number");
                    return null;
            }
        }

        public string? Required(string? value, string path)
        {
            if (string.IsNullOrWhiteSpace(value)) Error(path, value, "required value is missing");
            return value;
        }

        public decimal? Money(string? value, string path, bool positive)
        {
            if (value is null) { Error(path, null, "required amount is missing"); return null; }
            if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var m))
            {
                Error(path, value, "not a number");
                return null;
            }
            m = Math.Round(m, 2, MidpointRounding.AwayFromZero);
            if (positive ? m <= 0 : m < 0) { Error(path, value, positive ? "must be greater than 0" : "must not be negative"); return null; }
            return m;
        }

        public int? DueDay(string? value, string path)
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d is < 1 or > 31)
            {
                Error(path, value, "due day must be a whole number from 1 to 31");
                return null;
            }
            return d;
        }

        public int? PositiveInt(string? value, string path)
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                Error(path, value, "must be a whole number of at least 1");
                return null;
            }
            return n;
        }

        public DateOnly? Date(string? value, string path, bool required)
        {
            if (value is null)
            {
                if (required) Error(path, null, "required date is missing");
                return null;
            }
            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                Error(path, value, "not a real date in yyyy-MM-dd");
                return null;
            }
            return d;
        }

        public Mandate? Mandate(string? value, string path)
        {
            if (LoanBookCodes.TryMandate(value, out var m)) return m;
            Error(path, value, "unknown mandate; expected E_NACH, UPI_AUTOPAY or NONE");
            return null;
        }

        public LoanInstalment? Instalment(string? number, string? due, string? presented, string? amount, string? outcome, string? paid,
            string at, Func<string, string> field)
        {
            var failedBefore = Failed;
            Failed = false;
            var n = PositiveInt(number, field("number"));
            var dueDate = Date(due, field("dueDate"), required: true);
            var presentedDate = Date(presented, field("presentedDate"), required: false);
            var amt = Money(amount, field("amount"), positive: true);
            InstalmentOutcome? o = LoanBookCodes.TryOutcome(outcome, out var parsed) ? parsed : null;
            if (o is null) Error(field("outcome"), outcome, "unknown outcome; expected PAID, BOUNCED, PARTIAL, PENDING or MISSED");
            var paidAmount = Money(paid ?? "0", field("paidAmount"), positive: false);
            var bad = Failed;
            Failed = failedBefore || bad;
            return bad ? null : new LoanInstalment(n!.Value, dueDate!.Value, presentedDate, amt!.Value, o!.Value, paidAmount!.Value);
        }

        public Loan? Build(LoanTerms t, List<LoanInstalment> instalments, string path)
        {
            var numbers = new Dictionary<int, int>();
            for (var i = 0; i < instalments.Count; i++)
            {
                if (numbers.TryGetValue(instalments[i].Number, out var first))
                    Error($"{path} instalment {instalments[i].Number}", instalments[i].Number.ToString(CultureInfo.InvariantCulture),
                        $"duplicate instalment number (also instalment #{first + 1} of the loan)");
                else numbers[instalments[i].Number] = i;
            }
            if (Failed || t.LoanId is null || t.Customer is null || t.Product is null || t.Sanctioned is null || t.Emi is null
                || t.DueDay is null || t.Tenure is null || t.Start is null || t.Mandate is null || t.Masked is null)
                return null;
            return new Loan
            {
                LoanId = t.LoanId,
                Customer = t.Customer,
                Lender = t.Lender,
                Product = t.Product,
                SanctionedAmount = t.Sanctioned.Value,
                Emi = t.Emi.Value,
                DueDay = t.DueDay.Value,
                TenureMonths = t.Tenure.Value,
                StartDate = t.Start.Value,
                Mandate = t.Mandate.Value,
                MandateRef = t.MandateRef,
                MaskedAccNumber = t.Masked,
                LinkRefNumber = t.LinkRef,
                Instalments = [.. instalments.OrderBy(i => i.Number)],
            };
        }
    }
}
