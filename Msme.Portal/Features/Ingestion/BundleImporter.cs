using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Msme.Domain.Consent;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Writes AA delivery bundles into the store: the one path every import takes (CLI, upload, demo loader, API).
/// A bundle is one SQLite transaction, so a rejected bundle leaves the store exactly as it was; a re-import of the
/// same session with the same bytes is recognised and changes nothing.
/// </summary>
public sealed class BundleImporter(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider clock, ILogger<BundleImporter> log)
{
    // SQLite has one writer; imports queue here instead of failing with SQLITE_BUSY.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task<ImportOutcome> ImportAsync(string path, string? consentPath, string? user, CancellationToken ct = default)
    {
        var started = Stopwatch.StartNew();
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        BundleOpenResult opened;
        try
        {
            opened = BundleReader.Open(path, consentPath, clock);
        }
        catch (IOException e)
        {
            opened = new BundleOpenResult(null, [new IngestionIssue(IssueSeverity.Error, name, null, "$", null, e.Message)]);
        }

        if (opened.Bundle is null || opened.Issues.Any(i => i.Severity == IssueSeverity.Error))
        {
            var rejected = ImportOutcome.Rejected(opened.Bundle?.Name ?? name, opened.Issues, started.Elapsed);
            await RecordRunAsync(rejected, user, ct);
            return rejected;
        }
        return await ImportAsync(opened.Bundle, opened.Issues, user, ct);
    }

    public async Task<ImportOutcome> ImportAsync(Bundle bundle, IReadOnlyList<IngestionIssue> openIssues, string? user, CancellationToken ct = default)
    {
        await _writer.WaitAsync(ct);
        try
        {
            var outcome = await WriteAsync(bundle, openIssues, user, ct);
            await RecordRunAsync(outcome, user, ct);
            log.LogInformation("{Summary}", outcome.Summary);
            return outcome;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<ImportOutcome> WriteAsync(Bundle bundle, IReadOnlyList<IngestionIssue> openIssues, string? user, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var existing = await db.FetchSessions.AsNoTracking().Include(s => s.Payloads)
            .FirstOrDefaultAsync(s => s.SessionId == bundle.Session.SessionId, ct);
        if (existing is not null)
        {
            return SameContent(existing, bundle)
                ? new ImportOutcome(bundle.Name, ImportStatus.Unchanged, existing.SessionId, bundle.Customer.AaHandle, 0, 0, 0, openIssues, started.Elapsed)
                : Reject(bundle, openIssues, started, "fetchSession.sessionId", bundle.Session.SessionId,
                    "this fetch session was already imported with different content; a session's data cannot change");
        }

        var customer = await UpsertCustomerAsync(db, bundle.Customer, ct);
        var consent = await db.Consents.FirstOrDefaultAsync(c => c.ConsentId == bundle.Consent.ConsentId, ct);
        if (consent is not null && consent.CustomerId != customer.Id)
        {
            return Reject(bundle, openIssues, started, "consent.consentId", bundle.Consent.ConsentId, "this consent is already on file for another customer");
        }
        if (consent is not null && consent.Status != ConsentStatus.Active)
        {
            return Reject(bundle, openIssues, started, "consent.status", consent.Status.ToString().ToUpperInvariant(),
                "the consent on file is not ACTIVE, so no data may be taken under it");
        }
        consent ??= AddConsent(db, customer, bundle.Consent, user);

        var session = new FetchSession
        {
            SessionId = bundle.Session.SessionId,
            Consent = consent,
            FipId = bundle.Session.FipId,
            RangeFrom = bundle.Session.RangeFrom,
            RangeTo = bundle.Session.RangeTo,
            FetchedAt = bundle.Session.FetchedAt,
            Status = bundle.Session.Status,
            ImportedAt = clock.GetUtcNow(),
            ImportedBy = user,
            BundleName = bundle.Name,
        };
        db.FetchSessions.Add(session);
        await db.SaveChangesAsync(ct);

        var sqliteTx = (SqliteTransaction)tx.GetDbTransaction();
        foreach (var file in bundle.Files)
        {
            await StorePayloadAsync(connection, sqliteTx, session.Id, file, ct);
        }

        using var sink = new SqliteTransactionSink(connection, sqliteTx, customer.Id, session.Id, bundle.Session.FipId);
        var read = bundle.ReadDocuments(sink);
        var issues = openIssues.Concat(read.Issues).Concat(sink.Issues).ToList();
        if (issues.Any(i => i.Severity == IssueSeverity.Error))
        {
            await tx.RollbackAsync(ct);
            return ImportOutcome.Rejected(bundle.Name, issues, started.Elapsed, bundle.Session.SessionId, bundle.Customer.AaHandle);
        }

        session.TransactionsAdded = sink.Added;
        session.TransactionsOverlapping = sink.Overlapping;
        session.TransactionsFilteredOut = read.TransactionsFilteredOut;
        session.FirstTransactionDate = sink.FirstDate;
        session.LastTransactionDate = sink.LastDate;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ImportOutcome(bundle.Name, ImportStatus.Imported, session.SessionId, customer.AaHandle,
            sink.Added, sink.Overlapping, read.TransactionsFilteredOut, issues, started.Elapsed);
    }

    private static ImportOutcome Reject(Bundle bundle, IReadOnlyList<IngestionIssue> openIssues, Stopwatch started, string path, string? value, string message) =>
        ImportOutcome.Rejected(bundle.Name,
            [.. openIssues, new IngestionIssue(IssueSeverity.Error, bundle.Name, null, path, value, message)],
            started.Elapsed, bundle.Session.SessionId, bundle.Customer.AaHandle);

    private static bool SameContent(FetchSession existing, Bundle bundle) =>
        existing.Payloads.Select(p => p.Sha256).Order().SequenceEqual(bundle.Files.Select(f => f.Sha256Hex).Order());

    private async Task<Customer> UpsertCustomerAsync(ApplicationDbContext db, CustomerInfo info, CancellationToken ct)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.AaHandle == info.AaHandle, ct);
        if (customer is null)
        {
            customer = new Customer { AaHandle = info.AaHandle, CreatedAt = clock.GetUtcNow() };
            db.Customers.Add(customer);
        }
        // A later delivery may know more about the business; it never erases what is known.
        customer.LegalName = info.LegalName ?? customer.LegalName;
        customer.Pan = info.Pan ?? customer.Pan;
        customer.Udyam = info.Udyam ?? customer.Udyam;
        customer.BusinessCategory = info.BusinessCategory ?? customer.BusinessCategory;
        customer.Scale = info.Scale ?? customer.Scale;
        await db.SaveChangesAsync(ct);
        return customer;
    }

    private ConsentRecord AddConsent(ApplicationDbContext db, Customer customer, ConsentDetail c, string? user)
    {
        var now = clock.GetUtcNow();
        var record = new ConsentRecord
        {
            ConsentId = c.ConsentId,
            CustomerId = customer.Id,
            Status = c.Status,
            ConsentStart = c.ConsentStart,
            ConsentExpiry = c.ConsentExpiry,
            ConsentMode = c.ConsentMode,
            FetchType = c.FetchType,
            ConsentTypes = string.Join(',', c.ConsentTypes),
            FiTypes = string.Join(',', c.FiTypes),
            DataConsumerId = c.DataConsumerId,
            DataProviderId = c.DataProviderId,
            PurposeCode = c.PurposeCode,
            PurposeText = c.PurposeText,
            PurposeCategory = c.PurposeCategory,
            FiDataFrom = c.FiDataFrom,
            FiDataTo = c.FiDataTo,
            DataLifeUnit = c.DataLifeUnit,
            DataLifeValue = c.DataLifeValue,
            FrequencyUnit = c.FrequencyUnit,
            FrequencyValue = c.FrequencyValue,
            DataFiltersJson = JsonSerializer.Serialize(c.DataFilters),
            CreateTimestamp = c.CreateTimestamp,
            ReceivedAt = now,
            LinkedAccounts = [.. c.Accounts.Select(a => new ConsentLinkedAccount
            {
                FiType = a.FiType, FipId = a.FipId, AccType = a.AccType, LinkRefNumber = a.LinkRefNumber, MaskedAccNumber = a.MaskedAccNumber,
            })],
            StatusHistory = [new ConsentStatusChange { FromStatus = null, ToStatus = c.Status, ChangedAt = now, Source = "import", ChangedBy = user }],
        };
        db.Consents.Add(record);
        return record;
    }

    /// <summary>Streams the file's exact bytes into a zero-filled blob, so a 200 MB payload never sits in memory.</summary>
    private static async Task StorePayloadAsync(SqliteConnection connection, SqliteTransaction tx, int sessionId, BundleFile file, CancellationToken ct)
    {
        long rowId;
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO RawPayloads (FetchSessionId, FileName, Role, ContentType, Size, Sha256, Content)
                VALUES ($session, $name, $role, $type, $size, $sha, zeroblob($size))
                RETURNING Id;
                """;
            insert.Parameters.AddWithValue("$session", sessionId);
            insert.Parameters.AddWithValue("$name", file.Name);
            insert.Parameters.AddWithValue("$role", file.Role);
            insert.Parameters.AddWithValue("$type", file.ContentType);
            insert.Parameters.AddWithValue("$size", file.Size);
            insert.Parameters.AddWithValue("$sha", file.Sha256Hex);
            rowId = (long)(await insert.ExecuteScalarAsync(ct))!;
        }
        await using var source = File.OpenRead(file.FullPath);
        await using var blob = new SqliteBlob(connection, "RawPayloads", "Content", rowId);
        await source.CopyToAsync(blob, ct);
    }

    private async Task RecordRunAsync(ImportOutcome outcome, string? user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ImportRuns.Add(new ImportRun
        {
            BundleName = outcome.BundleName,
            Outcome = outcome.Status.ToString().ToLowerInvariant(),
            SessionId = outcome.SessionId,
            CustomerHandle = outcome.CustomerHandle,
            TransactionsAdded = outcome.TransactionsAdded,
            Message = outcome.Status == ImportStatus.Rejected ? Truncate(string.Join("\n", outcome.Errors.Take(20)), 4000) : outcome.Summary,
            At = clock.GetUtcNow(),
            By = user,
            ElapsedMs = (long)outcome.Elapsed.TotalMilliseconds,
        });
        await db.SaveChangesAsync(ct);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
