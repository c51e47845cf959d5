using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data.EntityConfigurations;

internal sealed class PresentmentBatchEntityTypeConfiguration : IEntityTypeConfiguration<PresentmentBatch>
{
    public void Configure(EntityTypeBuilder<PresentmentBatch> b)
    {
        b.ToTable("PresentmentBatches");
        b.HasIndex(x => x.PreparedAt);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.UtilityCode).HasMaxLength(32);
        b.Property(x => x.SponsorBank).HasMaxLength(128);
        b.Property(x => x.ExpectedReturnRate).HasMaxLength(16);
        b.Property(x => x.FileName).HasMaxLength(128);
        b.Property(x => x.FileSha256).HasMaxLength(64);
        b.Property(x => x.PreparedByUserId).HasMaxLength(128);
        b.Property(x => x.ApprovedByUserId).HasMaxLength(128);
    }
}

internal sealed class OutboxMessageEntityTypeConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.HasIndex(m => new { m.CustomerId, m.CreatedAt });
        b.HasIndex(m => new { m.Status, m.Id });
        b.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.Channel).HasMaxLength(16);
        b.Property(m => m.Recipient).HasMaxLength(32);
        b.Property(m => m.Body).HasMaxLength(1000);
        b.Property(m => m.UpiUri).HasMaxLength(512);
        b.Property(m => m.LoanId).HasMaxLength(64);
        b.Property(m => m.Error).HasMaxLength(1000);
        b.HasOne<Customer>().WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Loan>().WithMany().HasForeignKey(m => m.LoanKey).OnDelete(DeleteBehavior.Restrict);
    }
}
