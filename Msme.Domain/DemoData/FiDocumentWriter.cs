using System.Text.Json;
using System.Xml;
using Msme.Domain.Ingestion;

namespace Msme.Domain.DemoData;

/// <summary>
/// Renders one deposit account the way a given aggregator would deliver it. The spellings differ on purpose:
/// the importer has to accept all of them, so the demo data exercises all of them.
/// </summary>
public static class FiDocumentWriter
{
    private const int FlushBytes = 128 * 1024;

    public static void Write(Stream stream, DepositAccount account, FiRendering rendering, string? fipId)
    {
        switch (rendering)
        {
            case FiRendering.RebitV1Xml:
                WriteXml(stream, account);
                return;
            case FiRendering.V2Json:
                WriteV2(stream, account);
                return;
            case FiRendering.FiWrapperJson:
                WriteWrapper(stream, account, fipId ?? account.FipId ?? "UNKNOWN-FIP");
                return;
            default:
                WriteSetuV1(stream, account);
                return;
        }
    }

    private static string Money(decimal v) => DemoBundleWriter.Money(v);
    private static string Date(DateOnly d) => DemoBundleWriter.Date(d);
    private static string Ist(DateTimeOffset t) => DemoBundleWriter.Ist(t);
    private static string DayFirst(DateOnly d) => d.ToString("dd-MM-yyyy", DemoBundleWriter.Inv);
    private static string Opt(DateOnly? d) => d is { } v ? Date(v) : "";

    // ---------- (a) Setu v1: lower-case keys, strings everywhere, dd-MM-yyyy in the profile ----------

    private static void WriteSetuV1(Stream stream, DepositAccount a)
    {
        using var w = new Utf8JsonWriter(stream, DemoBundleWriter.JsonOptions(indented: true));
        var s = a.Summary!;
        w.WriteStartObject();
        w.WriteString("linkedAccRef", a.LinkedAccRef);
        w.WriteString("maskedAccNumber", a.MaskedAccNumber);
        w.WriteString("type", "deposit");
        w.WriteString("version", a.Version);
        w.WriteStartObject("profile");
        w.WriteStartObject("holders");
        w.WriteStartArray("holder");
        foreach (var h in a.Holders)
        {
            w.WriteStartObject();
            w.WriteString("address", h.Address ?? "");
            w.WriteString("ckycCompliance", h.Ckyc ?? "false");
            w.WriteString("dob", h.Dob is { } dob ? DayFirst(dob) : "");
            w.WriteString("email", h.Email ?? "");
            w.WriteString("landline", "");
            w.WriteString("mobile", h.Mobile ?? "");
            w.WriteString("name", h.Name ?? "");
            w.WriteString("nominee", h.Nominee ?? "NOT-REGISTERED");
            w.WriteString("pan", h.Pan ?? "");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("type", a.HoldingType);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("summary");
        w.WriteString("balanceDateTime", s.BalanceDateTime is { } bt ? Ist(bt) : "");
        w.WriteString("branch", s.Branch);
        w.WriteString("currency", s.Currency);
        w.WriteString("currentBalance", Money(s.CurrentBalance ?? 0));
        w.WriteString("currentODLimit", Money(s.CurrentOdLimit ?? 0));
        w.WriteString("drawingLimit", Money(s.DrawingLimit ?? 0));
        w.WriteString("exchgeRate", "");
        w.WriteString("facility", s.Facility ?? "");
        w.WriteString("ifscCode", s.Ifsc);
        w.WriteString("micrCode", s.MicrCode);
        w.WriteString("openingDate", s.OpeningDate is { } od ? DayFirst(od) : "");
        w.WriteStartObject("pending");
        w.WriteString("amount", "0");
        w.WriteString("transactionType", "DEBIT");
        w.WriteEndObject();
        w.WriteString("status", s.Status);
        w.WriteString("type", s.AccountSubType);
        w.WriteEndObject();
        w.WriteStartObject("transactions");
        w.WriteString("startDate", Opt(a.StartDate));
        w.WriteString("endDate", Opt(a.EndDate));
        w.WriteStartArray("transaction");
        foreach (var t in a.Transactions)
        {
            w.WriteStartObject();
            w.WriteString("amount", Money(t.Amount));
            w.WriteString("currentBalance", Money(t.Balance));
            w.WriteString("mode", t.Mode);
            w.WriteString("narration", t.Narration);
            w.WriteString("reference", t.Reference);
            w.WriteString("transactionTimestamp", Ist(t.Timestamp));
            w.WriteString("txnId", t.TxnId);
            w.WriteString("type", TypeName(t.Type));
            w.WriteString("valueDate", t.ValueDate is { } vd ? Date(vd) : "");
            w.WriteEndObject();
            if (w.BytesPending > FlushBytes) w.Flush();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
    }

    // ---------- (b) ReBIT 2.0.0 JSON: numbers, ifsc, accountType/accountSubType, snake_case ids at the top ----------

    private static void WriteV2(Stream stream, DepositAccount a)
    {
        using var w = new Utf8JsonWriter(stream, DemoBundleWriter.JsonOptions(indented: false));
        var s = a.Summary!;
        w.WriteStartObject();
        w.WriteString("type", "deposit");
        w.WriteString("masked_account_number", a.MaskedAccNumber);
        w.WriteString("link_ref_number", a.LinkedAccRef);
        w.WriteString("version", a.Version);
        w.WriteStartObject("profile");
        w.WriteStartObject("holders");
        w.WriteStartArray("holder");
        foreach (var h in a.Holders)
        {
            w.WriteStartObject();
            DemoBundleWriter.WriteOptional(w, "address", h.Address);
            w.WriteString("ckycRegistered", h.Ckyc ?? "NO_DATA_AVAILABLE");
            if (h.Dob is { } dob) w.WriteString("dob", Date(dob));
            DemoBundleWriter.WriteOptional(w, "email", h.Email);
            DemoBundleWriter.WriteOptional(w, "mobile", h.Mobile);
            DemoBundleWriter.WriteOptional(w, "name", h.Name);
            DemoBundleWriter.WriteOptional(w, "nominee", h.Nominee);
            DemoBundleWriter.WriteOptional(w, "pan", h.Pan);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("type", a.HoldingType);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("summary");
        if (s.BalanceDateTime is { } bt) w.WriteString("balanceDateTime", Ist(bt));
        DemoBundleWriter.WriteOptional(w, "branch", s.Branch);
        DemoBundleWriter.WriteOptional(w, "currency", s.Currency);
        w.WriteNumber("currentBalance", s.CurrentBalance ?? 0);
        w.WriteNumber("currentODLimit", s.CurrentOdLimit ?? 0);
        w.WriteNumber("drawingLimit", s.DrawingLimit ?? 0);
        DemoBundleWriter.WriteOptional(w, "facility", s.Facility);
        DemoBundleWriter.WriteOptional(w, "ifsc", s.Ifsc);
        DemoBundleWriter.WriteOptional(w, "micrCode", s.MicrCode);
        if (s.OpeningDate is { } od) w.WriteString("openingDate", Date(od));
        w.WriteStartObject("pendingTxns");
        w.WriteStartArray("pendingTxn");
        foreach (var p in s.Pending)
        {
            w.WriteStartObject();
            w.WriteNumber("amount", p.Amount);
            DemoBundleWriter.WriteOptional(w, "transactionType", p.TransactionType);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        DemoBundleWriter.WriteOptional(w, "status", s.Status);
        DemoBundleWriter.WriteOptional(w, "accountType", s.AccountType);
        DemoBundleWriter.WriteOptional(w, "accountSubType", s.AccountSubType);
        w.WriteEndObject();
        w.WriteStartObject("transactions");
        w.WriteString("startDate", Opt(a.StartDate));
        w.WriteString("endDate", Opt(a.EndDate));
        w.WriteStartArray("transaction");
        foreach (var t in a.Transactions)
        {
            w.WriteStartObject();
            w.WriteNumber("amount", t.Amount);
            w.WriteNumber("transactionalBalance", t.Balance);
            w.WriteString("mode", t.Mode);
            w.WriteString("narration", t.Narration);
            w.WriteString("reference", t.Reference);
            w.WriteString("transactionTimestamp", Ist(t.Timestamp));
            w.WriteString("txnId", t.TxnId);
            w.WriteString("type", TypeName(t.Type));
            if (t.ValueDate is { } vd) w.WriteString("valueDate", Date(vd));
            w.WriteEndObject();
            if (w.BytesPending > FlushBytes) w.Flush();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
    }

    // ---------- (c) FI/fetch wrapper with the XML element names as keys ----------

    private static void WriteWrapper(Stream stream, DepositAccount a, string fipId)
    {
        using var w = new Utf8JsonWriter(stream, DemoBundleWriter.JsonOptions(indented: false));
        var s = a.Summary!;
        w.WriteStartObject();
        w.WriteStartArray("FI");
        w.WriteStartObject();
        w.WriteString("fipID", fipId);
        w.WriteStartArray("data");
        w.WriteStartObject();
        w.WriteString("linkRefNumber", a.LinkedAccRef);
        w.WriteString("maskedAccNumber", a.MaskedAccNumber);
        w.WriteStartObject("decryptedFI");
        w.WriteStartObject("account");
        w.WriteString("linkedAccRef", a.LinkedAccRef);
        w.WriteString("maskedAccNumber", a.MaskedAccNumber);
        w.WriteString("type", "deposit");
        w.WriteString("version", a.Version);
        w.WriteStartObject("Profile");
        w.WriteStartObject("Holders");
        w.WriteString("type", a.HoldingType);
        // A lone holder comes as an object, several as a list: what XML-to-JSON converters produce.
        if (a.Holders.Count == 1) WriteCapitalisedHolder(w, "Holder", a.Holders[0]);
        else
        {
            w.WriteStartArray("Holder");
            foreach (var h in a.Holders) WriteCapitalisedHolder(w, null, h);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("Summary");
        w.WriteString("currentBalance", Money(s.CurrentBalance ?? 0));
        w.WriteString("currency", s.Currency);
        w.WriteString("exchgeRate", "");
        if (s.BalanceDateTime is { } bt) w.WriteString("balanceDateTime", Ist(bt));
        w.WriteString("type", s.AccountSubType);
        w.WriteString("branch", s.Branch);
        DemoBundleWriter.WriteOptional(w, "facility", s.Facility);
        w.WriteString("ifscCode", s.Ifsc);
        w.WriteString("micrCode", s.MicrCode);
        if (s.OpeningDate is { } od) w.WriteString("openingDate", Date(od));
        w.WriteString("currentODLimit", Money(s.CurrentOdLimit ?? 0));
        w.WriteString("drawingLimit", Money(s.DrawingLimit ?? 0));
        w.WriteString("status", s.Status);
        w.WriteStartObject("Pending");
        w.WriteString("transactionType", "DEBIT");
        w.WriteString("amount", "0");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("Transactions");
        w.WriteString("startDate", Opt(a.StartDate));
        w.WriteString("endDate", Opt(a.EndDate));
        w.WriteStartArray("Transaction");
        foreach (var t in a.Transactions)
        {
            w.WriteStartObject();
            w.WriteString("txnId", t.TxnId);
            w.WriteString("type", TypeName(t.Type));
            w.WriteString("mode", t.Mode);
            w.WriteString("amount", Money(t.Amount));
            w.WriteString("currentBalance", Money(t.Balance));
            w.WriteString("transactionTimestamp", Ist(t.Timestamp));
            if (t.ValueDate is { } vd) w.WriteString("valueDate", Date(vd));
            w.WriteString("narration", t.Narration);
            w.WriteString("reference", t.Reference);
            w.WriteEndObject();
            if (w.BytesPending > FlushBytes) w.Flush();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject(); // account
        w.WriteEndObject(); // decryptedFI
        w.WriteEndObject();
        w.WriteEndArray(); // data
        w.WriteEndObject();
        w.WriteEndArray(); // FI
        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteCapitalisedHolder(Utf8JsonWriter w, string? name, Holder h)
    {
        if (name is null) w.WriteStartObject();
        else w.WriteStartObject(name);
        DemoBundleWriter.WriteOptional(w, "name", h.Name);
        if (h.Dob is { } dob) w.WriteString("dob", Date(dob));
        DemoBundleWriter.WriteOptional(w, "mobile", h.Mobile);
        DemoBundleWriter.WriteOptional(w, "nominee", h.Nominee);
        DemoBundleWriter.WriteOptional(w, "email", h.Email);
        DemoBundleWriter.WriteOptional(w, "pan", h.Pan);
        DemoBundleWriter.WriteOptional(w, "address", h.Address);
        DemoBundleWriter.WriteOptional(w, "ckycCompliance", h.Ckyc);
        w.WriteEndObject();
    }

    // ---------- (d) ReBIT v1 XML: values as attributes ----------

    public const string DepositNamespace = "http://api.rebit.org.in/FISchema/deposit";

    private static void WriteXml(Stream stream, DepositAccount a)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = DemoBundleWriter.Utf8NoBom,
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Entitize,
            CloseOutput = false,
        };
        using var x = XmlWriter.Create(stream, settings);
        var s = a.Summary!;
        x.WriteStartDocument();
        x.WriteStartElement("Account", DepositNamespace);
        Attr(x, "linkedAccRef", a.LinkedAccRef);
        Attr(x, "maskedAccNumber", a.MaskedAccNumber);
        Attr(x, "version", a.Version);
        Attr(x, "type", "deposit");
        x.WriteStartElement("Profile", DepositNamespace);
        x.WriteStartElement("Holders", DepositNamespace);
        Attr(x, "type", a.HoldingType);
        foreach (var h in a.Holders)
        {
            x.WriteStartElement("Holder", DepositNamespace);
            Attr(x, "name", h.Name);
            Attr(x, "dob", h.Dob is { } dob ? Date(dob) : null);
            Attr(x, "mobile", h.Mobile);
            Attr(x, "nominee", h.Nominee);
            Attr(x, "email", h.Email);
            Attr(x, "pan", h.Pan);
            Attr(x, "address", h.Address);
            Attr(x, "ckycCompliance", h.Ckyc);
            x.WriteEndElement();
        }
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("Summary", DepositNamespace);
        Attr(x, "currentBalance", Money(s.CurrentBalance ?? 0));
        Attr(x, "currency", s.Currency);
        Attr(x, "exchgeRate", "");
        Attr(x, "balanceDateTime", s.BalanceDateTime is { } bt ? Ist(bt) : null);
        Attr(x, "type", s.AccountSubType);
        Attr(x, "branch", s.Branch);
        Attr(x, "facility", s.Facility);
        Attr(x, "ifscCode", s.Ifsc);
        Attr(x, "micrCode", s.MicrCode);
        Attr(x, "openingDate", s.OpeningDate is { } od ? Date(od) : null);
        Attr(x, "currentODLimit", Money(s.CurrentOdLimit ?? 0));
        Attr(x, "drawingLimit", Money(s.DrawingLimit ?? 0));
        Attr(x, "status", s.Status);
        x.WriteStartElement("Pending", DepositNamespace);
        Attr(x, "transactionType", "DEBIT");
        Attr(x, "amount", "0");
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("Transactions", DepositNamespace);
        Attr(x, "startDate", Opt(a.StartDate));
        Attr(x, "endDate", Opt(a.EndDate));
        foreach (var t in a.Transactions)
        {
            x.WriteStartElement("Transaction", DepositNamespace);
            Attr(x, "txnId", t.TxnId);
            Attr(x, "type", TypeName(t.Type));
            Attr(x, "mode", t.Mode);
            Attr(x, "amount", Money(t.Amount));
            Attr(x, "currentBalance", Money(t.Balance));
            Attr(x, "transactionTimestamp", Ist(t.Timestamp));
            Attr(x, "valueDate", t.ValueDate is { } vd ? Date(vd) : null);
            Attr(x, "narration", t.Narration);
            Attr(x, "reference", t.Reference);
            x.WriteEndElement();
        }
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteEndDocument();
        x.Flush();
    }

    /// <summary>XmlWriter escapes quotes, ampersands and angle brackets in attribute values; absent values are left out.</summary>
    private static void Attr(XmlWriter x, string name, string? value)
    {
        if (value is not null) x.WriteAttributeString(name, value);
    }

    private static string TypeName(TxnType t) => t switch
    {
        TxnType.Credit => "CREDIT",
        TxnType.Debit => "DEBIT",
        _ => "REVERSAL",
    };
}
