using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Data.Common;
using Msme.Domain.Consent;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Imports bundles one after another inside one open transaction: each bundle in its own SAVEPOINT, rolled back alone
/// when it is rejected. Owns the prepared statements, so the per-bundle cost is a handful of row writes. The SQL here is
/// the same on both providers; only the transactions' bulk path differs (<see cref="IBulkTransactionWriter"/>).
/// </summary>
internal sealed class ImportBatch(DbConnection connection, DbTransaction tx, IBulkTransactionWriter writer, TimeProvider clock) : IDisposable
{
    private readonly StatementCache _sql = new(connection, tx);
    private TransactionSink? _sink;

    private BundleFeed _feed = null!;
    private bool _consumed;

    public ImportOutcome Import(BundleFeed.Opened opened, BundleFeed feed, string? user)
    {
        var started = Stopwatch.StartNew();
        ImportOutcome outcome;
        if (!opened.Clean)
        {
            outcome = ImportOutcome.Rejected(opened.Result.Bundle?.Name ?? opened.Name, opened.Result.Issues, started.Elapsed);
        }
        else
        {
            (_feed, _consumed) = (feed, false);
            _sql.Run("SAVEPOINT bundle;");
            outcome = Write(opened.Result.Bundle!, opened.Result.Issues, user, started);
            if (!_consumed)
            {
                feed.Skip();
            }
            if (outcome.Status != ImportStatus.Imported)
            {
                _sql.Run("ROLLBACK TO bundle;");
            }
            _sql.Run("RELEASE bundle;");
        }
        RecordRun(outcome, user);
        return outcome;
    }

    private ImportOutcome Write(Bundle bundle, IReadOnlyList<IngestionIssue> openIssues, string? user, Stopwatch started)
    {
        var existing = Scalar<long?>("""SELECT "Id" FROM "FetchSessions" WHERE "SessionId" = @s;""", ("@s", bundle.Session.SessionId));
        if (existing is { } sessionRow)
        {
            return SameContent(sessionRow, bundle)
                ? new ImportOutcome(bundle.Name, ImportStatus.Unchanged, bundle.Session.SessionId, bundle.Customer.AaHandle, 0, 0, 0, openIssues, started.Elapsed)
                : Reject(bundle, openIssues, started, "fetchSession.sessionId", bundle.Session.SessionId,
                    "this fetch session was already imported with different content; a session's data cannot change");
        }

        var now = DateTimeOffsetStorage.ToProvider(clock.GetUtcNow());
        var customerId = UpsertCustomer(bundle.Customer, now);
        var consentRowId = 0L;
        using (var reader = _sql.Get("""SELECT "Id", "CustomerId", "Status" FROM "Consents" WHERE "ConsentId" = @c;""", ("@c", bundle.Consent.ConsentId)).ExecuteReader())
        {
            if (reader.Read())
            {
                if (reader.GetInt64(1) != customerId)
                {
                    return Reject(bundle, openIssues, started, "consent.consentId", bundle.Consent.ConsentId, "this consent is already on file for another customer");
                }
                if (reader.GetString(2) != nameof(ConsentStatus.Active))
                {
                    return Reject(bundle, openIssues, started, "consent.status", reader.GetString(2).ToUpperInvariant(),
                        "the consent on file is not ACTIVE, so no data may be taken under it");
                }
                consentRowId = reader.GetInt64(0);
            }
        }
        if (consentRowId == 0)
        {
            consentRowId = InsertConsent(customerId, bundle.Consent, now, user);
        }

        var s = bundle.Session;
        var sessionId = Scalar<long>("""
            INSERT INTO "FetchSessions" ("SessionId", "ConsentRecordId", "FipId", "RangeFrom", "RangeTo", "FetchedAt", "Status", "ImportedAt", "ImportedBy", "BundleName",
                "TransactionsAdded", "TransactionsOverlapping", "TransactionsFilteredOut", "TransactionsPurged")
            VALUES (@sid, @consent, @fip, @from, @to, @fetched, @status, @now, @user, @bundle, 0, 0, 0, 0) RETURNING "Id";
            """,
            ("@sid", s.SessionId), ("@consent", consentRowId), ("@fip", s.FipId), ("@from", Stored(s.RangeFrom)), ("@to", Stored(s.RangeTo)),
            ("@fetched", DateTimeOffsetStorage.ToProvider(s.FetchedAt)), ("@status", s.Status), ("@now", now), ("@user", user), ("@bundle", bundle.Name));

        // The feed has already copied the files into the payload store and parsed the documents ahead of us.
        var sink = _sink ??= writer.CreateSink(_sql);
        sink.Start((int)customerId, (int)sessionId, s.FipId);
        _consumed = true;
        var read = _feed.ReadInto(sink);
        sink.Finish();
        foreach (var file in bundle.Files)
        {
            RecordPayload(sessionId, file);
        }
        var issues = openIssues.Concat(read.Issues).Concat(sink.Issues).ToList();
        if (issues.Any(i => i.Severity == IssueSeverity.Error))
        {
            return ImportOutcome.Rejected(bundle.Name, issues, started.Elapsed, s.SessionId, bundle.Customer.AaHandle);
        }

        Run("""
            UPDATE "FetchSessions" SET "TransactionsAdded" = @added, "TransactionsOverlapping" = @overlap, "TransactionsFilteredOut" = @filtered,
                "FirstTransactionDate" = @first, "LastTransactionDate" = @last WHERE "Id" = @id;
            """,
            ("@added", sink.Added), ("@overlap", sink.Overlapping), ("@filtered", read.TransactionsFilteredOut),
            ("@first", sink.FirstDate), ("@last", sink.LastDate), ("@id", sessionId));
        return new ImportOutcome(bundle.Name, ImportStatus.Imported, s.SessionId, bundle.Customer.AaHandle,
            sink.Added, sink.Overlapping, read.TransactionsFilteredOut, issues, started.Elapsed);
    }

    private static ImportOutcome Reject(Bundle bundle, IReadOnlyList<IngestionIssue> openIssues, Stopwatch started, string path, string? value, string message) =>
        ImportOutcome.Rejected(bundle.Name,
            [.. openIssues, new IngestionIssue(IssueSeverity.Error, bundle.Name, null, path, value, message)],
            started.Elapsed, bundle.Session.SessionId, bundle.Customer.AaHandle);

    private bool SameContent(long sessionRow, Bundle bundle)
    {
        var stored = new List<string>();
        using (var reader = _sql.Get("""SELECT "Sha256" FROM "RawPayloads" WHERE "FetchSessionId" = @id;""", ("@id", sessionRow)).ExecuteReader())
        {
            while (reader.Read())
            {
                stored.Add(reader.GetString(0));
            }
        }
        return stored.Order(StringComparer.Ordinal).SequenceEqual(bundle.Files.Select(f => f.Sha256Hex).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A later delivery may know more about the business; it never erases what is known. An update first, an insert only
    /// for a new handle: an upsert that meets its conflict still uses up an AUTOINCREMENT id in SQLite, and customers
    /// already on file (the lender's own record, or a consent taken through the AA before its data) would leave gaps.
    /// </summary>
    private long UpsertCustomer(CustomerInfo info, long now) => Scalar<long?>("""
        UPDATE "Customers" SET
            "LegalName" = COALESCE(@name, "LegalName"), "Pan" = COALESCE(@pan, "Pan"), "Udyam" = COALESCE(@udyam, "Udyam"),
            "BusinessCategory" = COALESCE(@cat, "BusinessCategory"), "Scale" = COALESCE(@scale, "Scale")
        WHERE "AaHandle" = @h RETURNING "Id";
        """,
        ("@h", info.AaHandle), ("@name", info.LegalName), ("@pan", info.Pan), ("@udyam", info.Udyam),
        ("@cat", info.BusinessCategory), ("@scale", info.Scale)) ?? Scalar<long>("""
        INSERT INTO "Customers" ("AaHandle", "LegalName", "Pan", "Udyam", "BusinessCategory", "Scale", "CreatedAt")
        VALUES (@h, @name, @pan, @udyam, @cat, @scale, @now) RETURNING "Id";
        """,
        ("@h", info.AaHandle), ("@name", info.LegalName), ("@pan", info.Pan), ("@udyam", info.Udyam),
        ("@cat", info.BusinessCategory), ("@scale", info.Scale), ("@now", now));

    private long InsertConsent(long customerId, ConsentDetail c, long now, string? user)
    {
        var id = Scalar<long>("""
            INSERT INTO "Consents" ("ConsentId", "CustomerId", "Status", "ConsentStart", "ConsentExpiry", "ConsentMode", "FetchType", "ConsentTypes", "FiTypes",
                "DataConsumerId", "DataProviderId", "PurposeCode", "PurposeText", "PurposeCategory", "FiDataFrom", "FiDataTo", "DataLifeUnit", "DataLifeValue",
                "FrequencyUnit", "FrequencyValue", "DataFiltersJson", "CreateTimestamp", "ReceivedAt")
            VALUES (@cid, @customer, @status, @start, @expiry, @mode, @fetch, @types, @fitypes, @consumer, @provider, @pcode, @ptext, @pcat,
                @from, @to, @lifeUnit, @lifeValue, @freqUnit, @freqValue, @filters, @created, @now)
            RETURNING "Id";
            """,
            ("@cid", c.ConsentId), ("@customer", customerId), ("@status", c.Status.ToString()), ("@start", Stored(c.ConsentStart)),
            ("@expiry", Stored(c.ConsentExpiry)), ("@mode", c.ConsentMode), ("@fetch", c.FetchType), ("@types", string.Join(',', c.ConsentTypes)),
            ("@fitypes", string.Join(',', c.FiTypes)), ("@consumer", c.DataConsumerId), ("@provider", c.DataProviderId), ("@pcode", c.PurposeCode),
            ("@ptext", c.PurposeText), ("@pcat", c.PurposeCategory), ("@from", Stored(c.FiDataFrom)), ("@to", Stored(c.FiDataTo)),
            ("@lifeUnit", c.DataLifeUnit), ("@lifeValue", c.DataLifeValue), ("@freqUnit", c.FrequencyUnit), ("@freqValue", c.FrequencyValue),
            ("@filters", JsonSerializer.Serialize(c.DataFilters)), ("@created", Stored(c.CreateTimestamp)), ("@now", now));
        foreach (var a in c.Accounts)
        {
            Run("""
                INSERT INTO "ConsentLinkedAccounts" ("ConsentRecordId", "FiType", "FipId", "AccType", "LinkRefNumber", "MaskedAccNumber")
                VALUES (@consent, @fitype, @fip, @acctype, @ref, @masked);
                """,
                ("@consent", id), ("@fitype", a.FiType), ("@fip", a.FipId), ("@acctype", a.AccType), ("@ref", a.LinkRefNumber), ("@masked", a.MaskedAccNumber));
        }
        Run("""
            INSERT INTO "ConsentStatusChanges" ("ConsentRecordId", "FromStatus", "ToStatus", "ChangedAt", "Source", "ChangedBy", "Note")
            VALUES (@consent, NULL, @status, @now, 'import', @user, 'received with the first fetch session');
            """,
            ("@consent", id), ("@status", c.Status.ToString()), ("@now", now), ("@user", user));
        return id;
    }

    /// <summary>The bytes are in the payload store (streamed there, so a 200 MB file never sits in memory); the row keeps the facts.</summary>
    private void RecordPayload(long sessionId, BundleFile file)
    {
        Run("""
            INSERT INTO "RawPayloads" ("FetchSessionId", "FileName", "Role", "ContentType", "Size", "Sha256", "ContentHeld")
            VALUES (@session, @name, @role, @type, @size, @sha, TRUE);
            """,
            ("@session", sessionId), ("@name", file.Name), ("@role", file.Role), ("@type", file.ContentType), ("@size", file.Size), ("@sha", file.Sha256Hex));
    }

    private void RecordRun(ImportOutcome outcome, string? user) => Run("""
        INSERT INTO "ImportRuns" ("BundleName", "Outcome", "SessionId", "CustomerHandle", "TransactionsAdded", "Message", "At", "By", "ElapsedMs")
        VALUES (@name, @outcome, @session, @customer, @added, @message, @at, @by, @ms);
        """,
        ("@name", outcome.BundleName), ("@outcome", outcome.Status.ToString().ToLowerInvariant()), ("@session", outcome.SessionId),
        ("@customer", outcome.CustomerHandle), ("@added", outcome.TransactionsAdded),
        ("@message", outcome.Status == ImportStatus.Rejected ? Truncate(string.Join("\n", outcome.Errors.Take(20)), 4000) : outcome.Summary),
        ("@at", DateTimeOffsetStorage.ToProvider(clock.GetUtcNow())), ("@by", user), ("@ms", (long)outcome.Elapsed.TotalMilliseconds));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    private static object? Stored(DateTimeOffset? value) => value is { } v ? DateTimeOffsetStorage.ToProvider(v) : null;

    private void Run(string sql, params (string Name, object? Value)[] parameters) => _sql.Run(sql, parameters);

    private T Scalar<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        var value = _sql.Get(sql, parameters).ExecuteScalar();
        if (value is null or DBNull)
        {
            return default!;
        }
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _sink?.Dispose();
        _sql.Dispose();
    }
}
