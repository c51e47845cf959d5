using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data.EntityConfigurations;

internal sealed class CustomerEntityTypeConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.HasIndex(c => c.AaHandle).IsUnique();
        b.HasIndex(c => c.LegalName);
        b.HasIndex(c => c.Pan);
    }
}

internal sealed class ConsentRecordEntityTypeConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> b)
    {
        b.HasIndex(c => c.ConsentId).IsUnique();
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.AaId).HasMaxLength(128);
        b.HasOne(c => c.Customer).WithMany(c => c.Consents).HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.LinkedAccounts).WithOne().HasForeignKey(a => a.ConsentRecordId);
        b.HasMany(c => c.StatusHistory).WithOne().HasForeignKey(h => h.ConsentRecordId);
        b.HasMany(c => c.Sessions).WithOne(s => s.Consent).HasForeignKey(s => s.ConsentRecordId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ConsentLinkedAccountEntityTypeConfiguration : IEntityTypeConfiguration<ConsentLinkedAccount>
{
    public void Configure(EntityTypeBuilder<ConsentLinkedAccount> b) => b.ToTable("ConsentLinkedAccounts");
}

internal sealed class ConsentStatusChangeEntityTypeConfiguration : IEntityTypeConfiguration<ConsentStatusChange>
{
    public void Configure(EntityTypeBuilder<ConsentStatusChange> b)
    {
        b.Property(c => c.FromStatus).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.ToStatus).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class FetchSessionEntityTypeConfiguration : IEntityTypeConfiguration<FetchSession>
{
    public void Configure(EntityTypeBuilder<FetchSession> b)
    {
        b.HasIndex(s => s.SessionId).IsUnique();
        b.HasMany(s => s.Payloads).WithOne().HasForeignKey(p => p.FetchSessionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RawPayloadEntityTypeConfiguration : IEntityTypeConfiguration<RawPayload>
{
    public void Configure(EntityTypeBuilder<RawPayload> b) => b.HasIndex(p => p.Sha256);
}

internal sealed class AccountEntityTypeConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.HasIndex(a => new { a.FipId, a.LinkedAccRef, a.MaskedAccNumber }).IsUnique();
        b.HasIndex(a => a.CustomerId);
        b.HasIndex(a => a.MaskedAccNumber);
        b.HasOne(a => a.Customer).WithMany(c => c.Accounts).HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<FetchSession>().WithMany().HasForeignKey(a => a.LastFetchSessionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AccountTransactionEntityTypeConfiguration : IEntityTypeConfiguration<AccountTransaction>
{
    public void Configure(EntityTypeBuilder<AccountTransaction> b)
    {
        b.ToTable("Transactions");
        b.Ignore(t => t.Timestamp);
        // A plain integer rowid key on SQLite: AUTOINCREMENT wrote sqlite_sequence on every insert (and is only needed
        // to forbid reusing the id of a deleted last row, which nothing here relies on).
        b.Property(t => t.Id).Metadata.SetValueGenerationStrategy(SqliteValueGenerationStrategy.None);
        // The merge key: an overlapping later fetch finds the transaction it already has, by (account, 64-bit hash of the
        // txnId), two integers (TransactionKey; a hash collision is checked by comparing the stored TxnId). It is also the
        // only index: every read is per account (a few thousand rows, sorted in memory or by SQLite), and each extra index
        // costs the bulk import about a fifth of its speed (measured in Msme.Benchmarks import).
        b.HasIndex(t => new { t.AccountId, t.TxnKey }).IsUnique();
        b.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Restrict);
        // FetchSessionId is lineage written by the importer in the same transaction as the session; no foreign key,
        // so no index: purge and lineage queries reach a session's rows through its accounts.
    }
}

internal sealed class ImportRunEntityTypeConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> b) => b.HasIndex(r => r.At);
}
