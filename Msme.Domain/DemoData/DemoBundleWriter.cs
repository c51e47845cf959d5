using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Msme.Domain.Consent;

namespace Msme.Domain.DemoData;

/// <summary>
/// Writes generated customers as folder bundles (docs/bundle-format.md) and the loan book (docs/loan-book-format.md).
/// Streaming writers only, "\n" line ends and invariant formatting, so the bytes depend on the customer alone.
/// </summary>
public static class DemoBundleWriter
{
    internal static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Non-ASCII and apostrophes stay readable; these files are data, never embedded in HTML.</summary>
    internal static JsonWriterOptions JsonOptions(bool indented) =>
        new() { Indented = indented, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    /// <summary>The JWS signature part: base64url of "signature-placeholder". The demo cannot sign as an AA would.</summary>
    public const string SignaturePlaceholder = "c2lnbmF0dXJlLXBsYWNlaG9sZGVy";

    /// <summary>Writes manifest.json, consent.json and fi-N.json / fi-N.xml into <paramref name="bundleDir"/>; returns the bytes written.</summary>
    public static long Write(DemoCustomer c, string bundleDir)
    {
        ArgumentNullException.ThrowIfNull(c);
        Directory.CreateDirectory(bundleDir);
        long bytes = 0;
        var documents = new string[c.Accounts.Count];
        for (var i = 0; i < c.Accounts.Count; i++)
        {
            var rendering = c.Renderings[i];
            documents[i] = $"fi-{i + 1}.{(rendering == FiRendering.RebitV1Xml ? "xml" : "json")}";
            using var stream = Create(Path.Combine(bundleDir, documents[i]));
            FiDocumentWriter.Write(stream, c.Accounts[i], rendering, c.Session.FipId);
            bytes += stream.Length;
        }
        using (var stream = Create(Path.Combine(bundleDir, "consent.json")))
        {
            WriteConsent(stream, c);
            bytes += stream.Length;
        }
        using (var stream = Create(Path.Combine(bundleDir, "manifest.json")))
        {
            WriteManifest(stream, c, documents);
            bytes += stream.Length;
        }
        return bytes;
    }

    private static FileStream Create(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);

    private static void WriteManifest(Stream stream, DemoCustomer c, string[] documents)
    {
        using var w = new Utf8JsonWriter(stream, JsonOptions(indented: true));
        w.WriteStartObject();
        w.WriteNumber("bundleVersion", 1);
        w.WriteStartObject("customer");
        w.WriteString("aaHandle", c.Customer.AaHandle);
        WriteOptional(w, "legalName", c.Customer.LegalName);
        WriteOptional(w, "pan", c.Customer.Pan);
        WriteOptional(w, "udyam", c.Customer.Udyam);
        WriteOptional(w, "businessCategory", c.Customer.BusinessCategory);
        WriteOptional(w, "scale", c.Customer.Scale);
        w.WriteEndObject();
        w.WriteStartObject("fetchSession");
        w.WriteString("sessionId", c.Session.SessionId);
        WriteOptional(w, "fipId", c.Session.FipId);
        w.WriteString("fetchedAt", Ist(c.Session.FetchedAt));
        if (c.Session.RangeFrom is { } from) w.WriteString("rangeFrom", Ist(from));
        if (c.Session.RangeTo is { } to) w.WriteString("rangeTo", Ist(to));
        w.WriteString("status", c.Session.Status);
        w.WriteEndObject();
        w.WriteString("consent", "consent.json");
        w.WriteStartArray("documents");
        foreach (var d in documents) w.WriteStringValue(d);
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteConsent(Stream stream, DemoCustomer c)
    {
        using var w = new Utf8JsonWriter(stream, JsonOptions(indented: true));
        if (c.ConsentShape == ConsentShape.Detail)
        {
            WriteConsentDetail(w, c.Consent);
        }
        else
        {
            var consent = c.Consent;
            w.WriteStartObject();
            w.WriteString("ver", consent.Version ?? "2.0.0");
            WriteOptional(w, "txnid", consent.TxnId);
            w.WriteString("consentId", consent.ConsentId);
            w.WriteString("status", consent.Status.ToString().ToUpperInvariant());
            if (consent.CreateTimestamp is { } created) w.WriteString("createTimestamp", Utc(created));
            w.WriteString("signedConsent", SignedConsent(consent));
            w.WriteStartObject("ConsentUse");
            w.WriteString("logUri", $"https://aa.example/consent-log/{consent.ConsentId}");
            w.WriteNumber("count", 1);
            w.WriteString("lastUseDateTime", Utc(c.Session.FetchedAt));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Compact JWS: base64url(header).base64url(ConsentDetail JSON).placeholder, as ReBIT's signedConsent.</summary>
    internal static string SignedConsent(ConsentDetail consent)
    {
        var header = "{\"alg\":\"RS256\",\"kid\":\"msme-demo-aa-key\"}"u8;
        var payload = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(payload, JsonOptions(indented: false))) WriteConsentDetail(w, consent);
        return $"{Base64Url.EncodeToString(header)}.{Base64Url.EncodeToString(payload.WrittenSpan)}.{SignaturePlaceholder}";
    }

    /// <summary>A ReBIT ConsentDetail, with the capitalised object names the spec uses.</summary>
    internal static void WriteConsentDetail(Utf8JsonWriter w, ConsentDetail c)
    {
        w.WriteStartObject();
        if (c.ConsentStart is { } s) w.WriteString("consentStart", Utc(s));
        if (c.ConsentExpiry is { } e) w.WriteString("consentExpiry", Utc(e));
        WriteOptional(w, "consentMode", c.ConsentMode);
        WriteOptional(w, "fetchType", c.FetchType);
        WriteStrings(w, "consentTypes", c.ConsentTypes);
        WriteStrings(w, "fiTypes", c.FiTypes);
        w.WriteStartObject("DataConsumer");
        WriteOptional(w, "id", c.DataConsumerId);
        w.WriteString("type", "FIU");
        w.WriteEndObject();
        w.WriteStartObject("DataProvider");
        WriteOptional(w, "id", c.DataProviderId);
        w.WriteString("type", "FIP");
        w.WriteEndObject();
        w.WriteStartObject("Customer");
        w.WriteString("id", c.CustomerId);
        w.WriteEndObject();
        w.WriteStartArray("Accounts");
        foreach (var a in c.Accounts)
        {
            w.WriteStartObject();
            WriteOptional(w, "fiType", a.FiType);
            WriteOptional(w, "fipId", a.FipId);
            WriteOptional(w, "accType", a.AccType);
            WriteOptional(w, "linkRefNumber", a.LinkRefNumber);
            WriteOptional(w, "maskedAccNumber", a.MaskedAccNumber);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("Purpose");
        WriteOptional(w, "code", c.PurposeCode);
        WriteOptional(w, "refUri", c.PurposeRefUri);
        WriteOptional(w, "text", c.PurposeText);
        w.WriteStartObject("Category");
        WriteOptional(w, "type", c.PurposeCategory);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("FIDataRange");
        if (c.FiDataFrom is { } from) w.WriteString("from", Utc(from));
        if (c.FiDataTo is { } to) w.WriteString("to", Utc(to));
        w.WriteEndObject();
        w.WriteStartObject("DataLife");
        WriteOptional(w, "unit", c.DataLifeUnit);
        if (c.DataLifeValue is { } life) w.WriteNumber("value", life);
        w.WriteEndObject();
        w.WriteStartObject("Frequency");
        WriteOptional(w, "unit", c.FrequencyUnit);
        if (c.FrequencyValue is { } f) w.WriteNumber("value", f);
        w.WriteEndObject();
        w.WriteStartArray("DataFilter");
        foreach (var r in c.DataFilters)
        {
            w.WriteStartObject();
            w.WriteString("type", r.Type);
            w.WriteString("operator", r.Operator);
            w.WriteString("value", r.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes every customer's loans with their instalments as one JSON file; returns the bytes written.</summary>
    public static long WriteLoanBook(IEnumerable<DemoCustomer> customers, string path)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var stream = Create(path);
        using (var w = new Utf8JsonWriter(stream, JsonOptions(indented: true)))
        {
            w.WriteStartObject();
            w.WriteNumber("loanBookVersion", 1);
            w.WriteStartArray("loans");
            foreach (var c in customers)
            {
                foreach (var loan in c.Loans) WriteLoan(w, c, loan);
                if (w.BytesPending > 256 * 1024) w.Flush(); // keep memory flat for 10,000 customers
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.Length;
    }

    private static void WriteLoan(Utf8JsonWriter w, DemoCustomer c, DemoLoan loan)
    {
        w.WriteStartObject();
        w.WriteString("loanId", loan.LoanId);
        w.WriteString("customer", c.Customer.AaHandle);
        WriteOptional(w, "legalName", c.Customer.LegalName);
        WriteOptional(w, "pan", c.Customer.Pan);
        w.WriteString("lender", loan.Lender);
        w.WriteString("product", loan.Product);
        w.WriteNumber("sanctionedAmount", loan.SanctionedAmount);
        w.WriteNumber("interestRate", loan.InterestRate);
        w.WriteNumber("emi", loan.Emi);
        w.WriteNumber("dueDay", loan.DueDay);
        w.WriteNumber("tenureMonths", loan.TenureMonths);
        w.WriteString("startDate", Date(loan.StartDate));
        w.WriteString("mandate", MandateCode(loan.Mandate));
        if (loan.MandateRef is null) w.WriteNull("mandateRef");
        else w.WriteString("mandateRef", loan.MandateRef);
        w.WriteStartObject("account");
        WriteOptional(w, "fipId", c.Session.FipId);
        w.WriteString("linkRefNumber", loan.LinkRefNumber);
        w.WriteString("maskedAccNumber", loan.MaskedAccNumber);
        w.WriteEndObject();
        w.WriteStartArray("instalments");
        foreach (var i in loan.Instalments)
        {
            w.WriteStartObject();
            w.WriteNumber("number", i.Number);
            w.WriteString("dueDate", Date(i.DueDate));
            if (i.PresentedDate is { } presented) w.WriteString("presentedDate", Date(presented));
            else w.WriteNull("presentedDate");
            w.WriteNumber("amount", i.Amount);
            w.WriteNumber("paidAmount", i.PaidAmount);
            w.WriteString("outcome", i.Outcome.ToString().ToUpperInvariant());
            w.WriteStartArray("attempts");
            foreach (var a in i.Attempts)
            {
                w.WriteStartObject();
                w.WriteString("date", Date(a.Date));
                w.WriteString("kind", a.Kind == AttemptKind.Presentment ? "PRESENTMENT" : "MANUAL_PAYMENT");
                w.WriteString("result", a.Bounced ? "BOUNCED" : "DEBITED");
                w.WriteNumber("amount", a.Amount);
                if (a.TxnId is null) w.WriteNull("txnId");
                else w.WriteString("txnId", a.TxnId);
                if (a.ChargeTxnId is null) w.WriteNull("chargeTxnId");
                else w.WriteString("chargeTxnId", a.ChargeTxnId);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The loan-book spelling of a mandate type.</summary>
    public static string MandateCode(MandateType m) => m switch
    {
        MandateType.ENach => "E_NACH",
        MandateType.UpiAutoPay => "UPI_AUTOPAY",
        _ => "NONE",
    };

    internal static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>ISO 8601 in India Standard Time with its +05:30 offset, as FIPs send statement times.</summary>
    internal static string Ist(DateTimeOffset t) => t.ToOffset(IndianTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", Inv);

    /// <summary>UTC with milliseconds, as AAs send consent times.</summary>
    internal static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Inv);

    internal static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);

    internal static string Money(decimal v) => v.ToString("0.00", Inv);

    internal static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
}
