using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Msme.Domain.Analytics.Cashflow;

/// <summary>Writes analyses in the JSON shape of the analytics contract (version 1).</summary>
/// <remarks>
/// Written by hand with Utf8JsonWriter rather than serialised from the records, because the contract fixes field
/// names, their order and number formatting (money always with 2 decimals, ratios with 6) independently of how the
/// domain types evolve. Utf8JsonWriter prints a decimal with its scale, so values go through <see cref="Rounding"/> first.
/// </remarks>
public static class ContractJson
{
    public const int ContractVersion = 1;

    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static void Write(Stream output, IEnumerable<AccountAnalysis> accounts)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(accounts);
        using var writer = new Utf8JsonWriter(output, Options);
        writer.WriteStartObject();
        writer.WriteNumber("contractVersion", ContractVersion);
        writer.WriteStartArray("accounts");
        foreach (var account in accounts) WriteAccount(writer, account, null);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// The contract JSON with the anomaly events added (an extra the contract allows): an <c>events</c> array on each
    /// account object, and a <c>customers</c> array with the events of each customer's combined accounts (own
    /// transfers removed) for every customer with more than one account. The contract's own fields are written exactly
    /// as <see cref="Write(Stream, IEnumerable{AccountAnalysis})"/> writes them.
    /// </summary>
    public static void Write(Stream output, IEnumerable<(AccountAnalysis Account, IReadOnlyList<Anomalies.AnomalyEvent> Events)> accounts,
        IEnumerable<(IReadOnlyList<string> Accounts, IReadOnlyList<Anomalies.AnomalyEvent> Events)> customers)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(customers);
        using var writer = new Utf8JsonWriter(output, Options);
        writer.WriteStartObject();
        writer.WriteNumber("contractVersion", ContractVersion);
        writer.WriteStartArray("accounts");
        foreach (var (account, events) in accounts) WriteAccount(writer, account, events);
        writer.WriteEndArray();
        WriteCustomers(writer, customers);
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteCustomers(Utf8JsonWriter writer, IEnumerable<(IReadOnlyList<string> Accounts, IReadOnlyList<Anomalies.AnomalyEvent> Events)> customers)
    {
        writer.WriteStartArray("customers");
        foreach (var (masked, events) in customers)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("accounts");
            foreach (var m in masked) writer.WriteStringValue(m);
            writer.WriteEndArray();
            WriteEvents(writer, events);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// Some of the account objects of that document, as the UTF-8 bytes <see cref="Write(Stream, IEnumerable{ValueTuple{AccountAnalysis, IReadOnlyList{Anomalies.AnomalyEvent}}}, IEnumerable{ValueTuple{IReadOnlyList{string}, IReadOnlyList{Anomalies.AnomalyEvent}}})"/>
    /// writes for them: each behind its new line and indentation, separated by commas. Parts made on different threads
    /// (one per file read) are put together by <see cref="Write(Stream, IReadOnlyList{byte[]}, IEnumerable{ValueTuple{IReadOnlyList{string}, IReadOnlyList{Anomalies.AnomalyEvent}}})"/>
    /// into the same bytes as one pass over all the accounts.
    /// </summary>
    public static byte[] AccountsPart(IEnumerable<(AccountAnalysis Account, IReadOnlyList<Anomalies.AnomalyEvent> Events)> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var writer = new Utf8JsonWriter(buffer, Options);
        // Opened as the document opens it, so the objects come out at the depth and indentation they have there.
        writer.WriteStartObject();
        writer.WriteStartArray("accounts");
        writer.Flush();
        var start = buffer.WrittenCount;
        foreach (var (account, events) in accounts) WriteAccount(writer, account, events);
        writer.Flush();
        return buffer.WrittenSpan[start..].ToArray();
    }

    /// <summary>The document of <see cref="Write(Stream, IEnumerable{ValueTuple{AccountAnalysis, IReadOnlyList{Anomalies.AnomalyEvent}}}, IEnumerable{ValueTuple{IReadOnlyList{string}, IReadOnlyList{Anomalies.AnomalyEvent}}})"/> from its accounts' parts, in the order given.</summary>
    public static void Write(Stream output, IReadOnlyList<byte[]> accountParts,
        IEnumerable<(IReadOnlyList<string> Accounts, IReadOnlyList<Anomalies.AnomalyEvent> Events)> customers)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(accountParts);
        ArgumentNullException.ThrowIfNull(customers);
        var buffer = new ArrayBufferWriter<byte>(4 * 1024);
        using var writer = new Utf8JsonWriter(buffer, Options);
        writer.WriteStartObject();
        writer.WriteNumber("contractVersion", ContractVersion);
        writer.WriteStartArray("accounts");
        writer.Flush();
        output.Write(buffer.WrittenSpan);
        var any = false;
        foreach (var part in accountParts)
        {
            if (part.Length == 0) continue;
            if (any) output.WriteByte((byte)',');
            output.Write(part);
            any = true;
        }
        // The writer closes the array as it would after the accounts: a stand-in value makes it non-empty, and its
        // bytes are not copied.
        if (any) writer.WriteNullValue();
        writer.Flush();
        var tail = buffer.WrittenCount;
        writer.WriteEndArray();
        WriteCustomers(writer, customers);
        writer.WriteEndObject();
        writer.Flush();
        output.Write(buffer.WrittenSpan[tail..]);
    }

    public static string ToJsonString(IEnumerable<(AccountAnalysis Account, IReadOnlyList<Anomalies.AnomalyEvent> Events)> accounts,
        IEnumerable<(IReadOnlyList<string> Accounts, IReadOnlyList<Anomalies.AnomalyEvent> Events)> customers)
    {
        using var buffer = new MemoryStream();
        Write(buffer, accounts, customers);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteEvents(Utf8JsonWriter w, IReadOnlyList<Anomalies.AnomalyEvent> events)
    {
        w.WriteStartArray("events");
        foreach (var e in events)
        {
            w.WriteStartObject();
            w.WriteString("period", e.Period);
            w.WriteString("kind", e.KindName);
            w.WriteStartArray("detectors");
            foreach (var d in e.Detectors) w.WriteStringValue(d);
            w.WriteEndArray();
            w.WriteString("severity", e.Severity.ToString());
            WriteNumberOrNull(w, "deviationPct", Rounding.Ratio(e.DeviationPct));
            w.WriteNumber("amount", Rounding.Money(e.Amount));
            WriteStringOrNull(w, "explainedBy", e.ExplainedBy);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static string ToJsonString(IEnumerable<AccountAnalysis> accounts)
    {
        using var buffer = new MemoryStream();
        Write(buffer, accounts);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteAccount(Utf8JsonWriter w, AccountAnalysis a, IReadOnlyList<Anomalies.AnomalyEvent>? events)
    {
        w.WriteStartObject();
        w.WriteString("maskedAccNumber", a.MaskedAccNumber);
        WriteStringOrNull(w, "linkedAccRef", a.LinkedAccRef);
        if (a.Coverage is { } c)
        {
            w.WriteStartObject("coverage");
            w.WriteString("from", Date(c.From));
            w.WriteString("to", Date(c.To));
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("coverage");
        }
        w.WriteBoolean("insufficientHistory", a.InsufficientHistory);

        w.WriteStartArray("monthly");
        foreach (var m in a.Monthly)
        {
            w.WriteStartObject();
            w.WriteString("month", m.Month.ToString());
            w.WriteBoolean("complete", m.Complete);
            w.WriteNumber("inflow", Rounding.Money(m.Inflow));
            w.WriteNumber("outflow", Rounding.Money(m.Outflow));
            w.WriteNumber("net", Rounding.Money(m.Net));
            w.WriteNumber("closingBalance", Rounding.Money(m.ClosingBalance));
            w.WriteNumber("creditCount", m.CreditCount);
            w.WriteNumber("debitCount", m.DebitCount);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        var x = a.Metrics;
        w.WriteStartObject("metrics");
        WriteNumberOrNull(w, "avgMonthlyInflow", Rounding.Money(x.AvgMonthlyInflow));
        WriteNumberOrNull(w, "medianMonthlyInflow", Rounding.Money(x.MedianMonthlyInflow));
        WriteNumberOrNull(w, "incomeCv", Rounding.Ratio(x.IncomeCv));
        WriteNumberOrNull(w, "surplusRatio", Rounding.Ratio(x.SurplusRatio));
        WriteNumberOrNull(w, "averageBalance", Rounding.Money(x.AverageBalance));
        WriteNumberOrNull(w, "balanceVolatility", Rounding.Ratio(x.BalanceVolatility));
        if (x.TypicalCreditDay is { } day) w.WriteNumber("typicalCreditDay", day);
        else w.WriteNull("typicalCreditDay");
        w.WriteString("stabilityTier", x.StabilityTier.ToString());
        w.WriteEndObject();

        w.WriteStartArray("anomalies");
        foreach (var an in a.Anomalies)
        {
            w.WriteStartObject();
            w.WriteString("detector", an.Detector);
            w.WriteString("series", an.Series);
            w.WriteString("month", an.Month.ToString());
            w.WriteNumber("value", Rounding.Money(an.Value));
            w.WriteNumber("median", Rounding.Money(an.Median));
            w.WriteNumber("score", Rounding.Ratio(an.Score));
            WriteNumberOrNull(w, "deviationPct", Rounding.Ratio(an.DeviationPct));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (events is not null) WriteEvents(w, events);
        w.WriteEndObject();
    }

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
