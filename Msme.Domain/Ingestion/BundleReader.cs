using System.Text.Json;

using Msme.Domain.Consent;
using Msme.Domain.Ingestion.Reading;

namespace Msme.Domain.Ingestion;

/// <summary>Opens the three bundle shapes of docs/bundle-format.md (folder, envelope file, bare FI document + consent) and validates them.</summary>
public static class BundleReader
{
    /// <summary>
    /// path = a folder with manifest.json, an envelope .json (top-level "bundleVersion"), or a bare FI document (then
    /// consentPath is required). Returns no bundle when anything is an error.
    /// </summary>
    public static BundleOpenResult Open(string path, string? consentPath, TimeProvider clock)
    {
        var issues = new List<IngestionIssue>();
        var held = new HeldFiles();
        Bundle? accepted;
        try
        {
            Bundle? bundle = null;
            if (Directory.Exists(path))
            {
                bundle = OpenFolder(path, issues, held);
            }
            else if (File.Exists(path))
            {
                // Read (and hashed) once, first: the envelope's scan, its sections and its documents are all these bytes.
                var full = Path.GetFullPath(path);
                held.Read(full);
                EnvelopeSections sections;
                using (var stream = held.Open(full))
                {
                    sections = EnvelopeScanner.Scan(stream);
                }

                bundle = sections.IsEnvelope ? OpenEnvelope(path, sections, issues, held) : OpenBare(path, consentPath, clock, issues, held);
            }
            else
            {
                issues.Add(Error(path, "$", null, "no such file or folder"));
            }

            if (bundle is not null)
            {
                Validate(bundle, clock, issues);
            }

            accepted = issues.Any(i => i.Severity == IssueSeverity.Error) ? null : bundle;
        }
        catch
        {
            held.Release();
            throw;
        }

        if (accepted is null)
        {
            held.Release();
        }

        return new BundleOpenResult(accepted, issues);
    }

    private static Bundle? OpenFolder(string folder, List<IngestionIssue> issues, HeldFiles held)
    {
        var manifestPath = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            issues.Add(Error(Path.GetFileName(folder), "manifest.json", null, "the bundle folder has no manifest.json"));
            return null;
        }

        const string mf = "manifest.json";
        var files = new List<BundleFile> { Describe(manifestPath, "manifest", held) };
        using var manifest = ParseJson(files[0].FullPath, mf, issues, held);
        if (manifest is null)
        {
            return null;
        }

        var root = manifest.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            issues.Add(Error(mf, "$", null, "the manifest must be a JSON object"));
            return null;
        }

        CheckVersion(Json.Text(root, "bundleVersion"), mf, issues);
        var customer = ReadCustomer(Json.Prop(root, "customer"), mf, "$.customer", issues);
        var session = ReadSession(Json.Prop(root, "fetchSession"), mf, "$.fetchSession", issues);

        ConsentDetail? consent = null;
        if (Json.Text(root, "consent") is not { } consentName)
        {
            issues.Add(Error(mf, "$.consent", null, "the manifest names no consent file"));
        }
        else if (Existing(folder, consentName, mf, "$.consent", issues) is { } consentPath)
        {
            files.Add(Describe(consentPath, "consent", held));
            consent = ReadConsent(files[^1].FullPath, consentName, issues, held);
        }

        if (Json.Prop(root, "documents") is not { ValueKind: JsonValueKind.Array } documents || documents.GetArrayLength() == 0)
        {
            issues.Add(Error(mf, "$.documents", null, "the manifest lists no FI documents"));
        }
        else
        {
            var i = 0;
            foreach (var entry in documents.EnumerateArray())
            {
                var at = $"$.documents[{i++}]";
                if (entry.ValueKind != JsonValueKind.String)
                {
                    issues.Add(Error(mf, at, entry.GetRawText(), "a document entry must be a file name"));
                }
                else if (Existing(folder, entry.GetString()!, mf, at, issues) is { } docPath)
                {
                    files.Add(Describe(docPath, "fi", held));
                }
            }
        }

        return customer is null || session is null || consent is null
            ? null
            : new Bundle(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), customer, consent, session, files, envelope: false, held);
    }

    private static Bundle? OpenEnvelope(string path, EnvelopeSections sections, List<IngestionIssue> issues, HeldFiles held)
    {
        var name = Path.GetFileName(path);
        CheckVersion(sections.BundleVersion, name, issues);
        using var customerDoc = Section(sections.Customer);
        using var sessionDoc = Section(sections.FetchSession);
        var customer = ReadCustomer(customerDoc?.RootElement, name, "$.customer", issues);
        var session = ReadSession(sessionDoc?.RootElement, name, "$.fetchSession", issues);
        ConsentDetail? consent = null;
        if (sections.Consent is null)
        {
            issues.Add(Error(name, "$.consent", null, "the envelope has no consent"));
        }
        else
        {
            var result = ConsentReader.Read(new MemoryStream(sections.Consent), name);
            issues.AddRange(result.Issues.Select(i => i with { Path = "$.consent" + i.Path.TrimStart('$') }));
            consent = result.Consent;
        }

        if (sections.FiEntries == 0)
        {
            issues.Add(Error(name, "$.fi", null, "the envelope holds no FI documents (fi is missing or empty)"));
        }

        var files = new List<BundleFile> { Describe(path, "envelope", held) };
        return customer is null || session is null || consent is null
            ? null
            : new Bundle(Path.GetFileNameWithoutExtension(path), customer, consent, session, files, envelope: true, held);
    }

    private static Bundle? OpenBare(string path, string? consentPath, TimeProvider clock, List<IngestionIssue> issues, HeldFiles held)
    {
        var name = Path.GetFileName(path);
        if (consentPath is null)
        {
            issues.Add(Error(name, "$", null, "a bare FI document needs its consent (--consent consent.json)"));
            return null;
        }

        if (!File.Exists(consentPath))
        {
            issues.Add(Error(Path.GetFileName(consentPath), "$", null, "the consent file does not exist"));
            return null;
        }

        var document = Describe(path, "fi", held);
        var consentFile = Describe(consentPath, "consent", held);
        var consent = ReadConsent(consentFile.FullPath, consentFile.Name, issues, held);
        if (consent is null)
        {
            return null;
        }

        var holder = FirstHolder(document, held);
        var customer = new CustomerInfo { AaHandle = consent.CustomerId, LegalName = holder?.Name, Pan = holder?.Pan };
        // Derived from the bytes, so importing the same file again is recognised as the same session.
        var session = new FetchSessionInfo { SessionId = "file-sha256:" + document.Sha256Hex[..32], FetchedAt = clock.GetUtcNow() };
        return new Bundle(name, customer, consent, session, [consentFile, document], envelope: false, held);
    }

    /// <summary>The first holder of a bare document, read by streaming only until the first account ends.</summary>
    private static Holder? FirstHolder(BundleFile document, HeldFiles held)
    {
        var sink = new FirstAccountSink();
        using var stream = held.Open(document.FullPath);
        try
        {
            DepositDocumentReader.Read(stream, new IssueCollector(document.Name), sink, ReadOptions.Default);
        }
        catch (FirstAccountSink.Done)
        {
        }

        return sink.Holder;
    }

    /// <summary>Ends the pre-scan as soon as the first account is complete; the document is read properly later.</summary>
    private sealed class FirstAccountSink : IDepositSink
    {
        public sealed class Done : Exception;

        public Holder? Holder { get; private set; }

        public void BeginAccount(AccountKey key)
        {
        }

        public void OnTransaction(AccountKey key, Transaction txn)
        {
        }

        public void EndAccount(DepositAccount header)
        {
            Holder = header.Holders.FirstOrDefault();
            throw new Done();
        }
    }

    /// <summary>How far a fetch may lie ahead of this machine's clock: the AA's and ours are not in lockstep.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static void Validate(Bundle bundle, TimeProvider clock, List<IngestionIssue> issues)
    {
        var now = clock.GetUtcNow();
        var consent = bundle.Consent;
        var file = bundle.Files.FirstOrDefault(f => f.Role == "consent")?.Name ?? bundle.Files[0].Name;
        if (!string.Equals(consent.CustomerId, bundle.Customer.AaHandle, StringComparison.OrdinalIgnoreCase))
        {
            issues.Add(Error(file, "Customer.id", consent.CustomerId,
                $"consent is for customer {consent.CustomerId}, bundle is for {bundle.Customer.AaHandle}"));
        }

        if (consent.Status != ConsentStatus.Active)
        {
            issues.Add(Error(file, "status", consent.Status.ToString().ToUpperInvariant(),
                $"the consent is {consent.Status.ToString().ToUpperInvariant()}: no data may be imported under a consent that is not ACTIVE"));
        }

        if (!consent.FiTypes.Contains("DEPOSIT"))
        {
            issues.Add(Error(file, "fiTypes", string.Join(",", consent.FiTypes), "the consent does not cover DEPOSIT data"));
        }

        var session = bundle.Session;
        if (session.RangeFrom is { } from && consent.FiDataFrom is { } consentFrom && from < consentFrom)
        {
            issues.Add(Error(file, "fetchSession.rangeFrom", from.ToString("O"),
                $"the fetch starts before the consent's FIDataRange ({consentFrom:O})"));
        }

        if (session.RangeTo is { } to && consent.FiDataTo is { } consentTo && to > consentTo)
        {
            issues.Add(Error(file, "fetchSession.rangeTo", to.ToString("O"),
                $"the fetch ends after the consent's FIDataRange ({consentTo:O})"));
        }

        if (consent.ConsentExpiry is { } expiry && session.FetchedAt > expiry)
        {
            issues.Add(Error(file, "consentExpiry", expiry.ToString("O"),
                $"the data was fetched at {session.FetchedAt:O}, after the consent expired"));
        }

        // A fetch from the future would stretch DataLife (it runs from the fetch) and sort after every real one.
        if (session.FetchedAt > now + ClockSkew)
        {
            issues.Add(Error(file, "fetchSession.fetchedAt", session.FetchedAt.ToString("O"),
                $"the data claims to be fetched at {session.FetchedAt:O}, later than now ({now:O}) by more than {ClockSkew.TotalMinutes:0} minutes"));
        }

        if (consent.ConsentExpiry is { } expired && expired <= now)
        {
            issues.Add(Error(file, "consentExpiry", expired.ToString("O"),
                $"the consent expired at {expired:O}, before this import ({now:O}): no data may be taken under it"));
        }

        if (consent.ConsentStart is { } start && session.FetchedAt < start)
        {
            issues.Add(Error(file, "consentStart", start.ToString("O"),
                $"the data was fetched at {session.FetchedAt:O}, before the consent started"));
        }
    }

    private static void CheckVersion(string? version, string file, List<IngestionIssue> issues)
    {
        if (version is null)
        {
            issues.Add(Error(file, "$.bundleVersion", null, "bundleVersion is missing"));
        }
        else if (version != "1")
        {
            issues.Add(Error(file, "$.bundleVersion", version, "only bundleVersion 1 is understood"));
        }
    }

    private static CustomerInfo? ReadCustomer(JsonElement? element, string file, string path, List<IngestionIssue> issues)
    {
        if (element is not { ValueKind: JsonValueKind.Object } c)
        {
            issues.Add(Error(file, path, null, "customer is missing"));
            return null;
        }

        if (Json.Text(c, "aaHandle") is not { } handle)
        {
            issues.Add(Error(file, $"{path}.aaHandle", null, "customer.aaHandle is missing"));
            return null;
        }

        return new CustomerInfo
        {
            AaHandle = handle,
            LegalName = Json.Text(c, "legalName"),
            Pan = Json.Text(c, "pan"),
            Udyam = Json.Text(c, "udyam"),
            BusinessCategory = Json.Text(c, "businessCategory"),
            Scale = Json.Text(c, "scale"),
        };
    }

    private static FetchSessionInfo? ReadSession(JsonElement? element, string file, string path, List<IngestionIssue> issues)
    {
        if (element is not { ValueKind: JsonValueKind.Object } s)
        {
            issues.Add(Error(file, path, null, "fetchSession is missing"));
            return null;
        }

        var ok = true;
        var sessionId = Json.Text(s, "sessionId");
        if (sessionId is null)
        {
            issues.Add(Error(file, $"{path}.sessionId", null, "fetchSession.sessionId is missing"));
            ok = false;
        }

        var fetchedAt = Instant(s, "fetchedAt", file, path, issues, ref ok, required: true);
        var from = Instant(s, "rangeFrom", file, path, issues, ref ok, required: false);
        var to = Instant(s, "rangeTo", file, path, issues, ref ok, required: false);
        if (from > to)
        {
            issues.Add(Error(file, $"{path}.rangeFrom", null, "rangeFrom is after rangeTo"));
            ok = false;
        }

        var status = Json.Text(s, "status")?.ToUpperInvariant() ?? "COMPLETED";
        if (status is not ("ACTIVE" or "COMPLETED" or "EXPIRED" or "FAILED"))
        {
            issues.Add(Error(file, $"{path}.status", status, "fetchSession.status must be ACTIVE, COMPLETED, EXPIRED or FAILED"));
            ok = false;
        }

        return ok
            ? new FetchSessionInfo { SessionId = sessionId!, FipId = Json.Text(s, "fipId"), FetchedAt = fetchedAt!.Value, RangeFrom = from, RangeTo = to, Status = status }
            : null;
    }

    private static DateTimeOffset? Instant(JsonElement obj, string name, string file, string path, List<IngestionIssue> issues, ref bool ok, bool required)
    {
        var text = Json.Text(obj, name);
        if (text is null)
        {
            if (required)
            {
                issues.Add(Error(file, $"{path}.{name}", null, $"fetchSession.{name} is missing"));
                ok = false;
            }

            return null;
        }

        if (ValueParsers.TryTimestamp(text, out var value, out var reason))
        {
            return value;
        }

        issues.Add(Error(file, $"{path}.{name}", text, $"{name} {reason}"));
        ok = false;
        return null;
    }

    private static ConsentDetail? ReadConsent(string path, string name, List<IngestionIssue> issues, HeldFiles held)
    {
        using var stream = held.Open(path);
        var result = ConsentReader.Read(stream, name);
        issues.AddRange(result.Issues);
        return result.Consent;
    }

    private static string? Existing(string folder, string name, string manifest, string at, List<IngestionIssue> issues)
    {
        // Names are plain file names inside the bundle: no climbing out of the folder.
        if (Path.GetFileName(name) != name)
        {
            issues.Add(Error(manifest, at, name, "a bundle file must be a plain file name inside the bundle folder"));
            return null;
        }

        var full = Path.Combine(folder, name);
        if (!File.Exists(full))
        {
            issues.Add(Error(manifest, at, name, $"the manifest names {name} but the file is missing"));
            return null;
        }

        return full;
    }

    private static JsonDocument? ParseJson(string path, string name, List<IngestionIssue> issues, HeldFiles held)
    {
        try
        {
            // Utf8InputStream leaves the stream it reads open: the file is closed here, not by a finalizer later.
            using var file = held.Open(path);
            using var stream = new Utf8InputStream(file);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            issues.Add(Error(name, "$", null, $"not valid JSON: {ex.Message}"));
            return null;
        }
        catch (InvalidUtf8Exception ex)
        {
            issues.Add(Error(name, "$", $"0x{ex.Value:X2}", $"the file is not {ex.EncodingName}: {ex.Message}"));
            return null;
        }
    }

    private static JsonDocument? Section(byte[]? bytes) => bytes is null ? null : JsonDocument.Parse(bytes);

    /// <summary>Reads the file once (<see cref="HeldFiles"/>): its size, hash and content type are all of the same bytes.</summary>
    private static BundleFile Describe(string path, string role, HeldFiles held)
    {
        var full = Path.GetFullPath(path);
        var (size, hash) = held.Read(full);
        var contentType = role == "fi" && FirstSignificantByte(full, held) == '<' ? "application/xml" : "application/json";
        return new BundleFile(Path.GetFileName(path), full, role, contentType, size, hash);
    }

    private static int FirstSignificantByte(string path, HeldFiles held)
    {
        using var file = held.Open(path);
        using var stream = new Utf8InputStream(file);
        try
        {
            return stream.PeekSignificantByte();
        }
        catch (InvalidUtf8Exception)
        {
            return -1;
        }
    }

    private static IngestionIssue Error(string file, string path, string? value, string message) =>
        new(IssueSeverity.Error, file, null, path, value, message);
}

/// <summary>Small JsonElement helpers for the manifest and envelope sections.</summary>
internal static class Json
{
    public static JsonElement? Prop(JsonElement? obj, string name)
    {
        if (obj is not { ValueKind: JsonValueKind.Object } o)
        {
            return null;
        }

        var wanted = FieldNames.Normalise(name);
        foreach (var p in o.EnumerateObject())
        {
            if (FieldNames.Normalise(p.Name) == wanted)
            {
                return p.Value;
            }
        }

        return null;
    }

    public static string? Text(JsonElement? obj, string name) => Prop(obj, name) switch
    {
        { ValueKind: JsonValueKind.String } s when !string.IsNullOrWhiteSpace(s.GetString()) => s.GetString()!.Trim(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };
}
