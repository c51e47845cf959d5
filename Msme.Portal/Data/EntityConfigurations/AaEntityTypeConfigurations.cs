using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data.EntityConfigurations;

internal sealed class AaConsentRequestEntityTypeConfiguration : IEntityTypeConfiguration<AaConsentRequest>
{
    public void Configure(EntityTypeBuilder<AaConsentRequest> b)
    {
        b.Property(r => r.CustomerHandle).HasMaxLength(128);
        b.Property(r => r.AaId).HasMaxLength(128);
        b.Property(r => r.ConsentHandle).HasMaxLength(128);
        b.HasIndex(r => r.ConsentHandle).IsUnique();
        b.Property(r => r.Status).HasMaxLength(16);
        b.Property(r => r.ConsentId).HasMaxLength(128);
        b.HasIndex(r => r.ConsentId);
        b.HasIndex(r => r.CustomerId);
        b.Property(r => r.PurposeCode).HasMaxLength(8);
        b.Property(r => r.FetchType).HasMaxLength(16);
        b.Property(r => r.FrequencyUnit).HasMaxLength(8);
        b.Property(r => r.RequestedBy).HasMaxLength(256);
        b.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ConsentRecord>().WithMany().HasForeignKey(r => r.ConsentRecordId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AaFetchEntityTypeConfiguration : IEntityTypeConfiguration<AaFetch>
{
    public void Configure(EntityTypeBuilder<AaFetch> b)
    {
        b.Property(f => f.ConsentId).HasMaxLength(128);
        b.Property(f => f.SessionId).HasMaxLength(128);
        b.HasIndex(f => f.SessionId);
        b.HasIndex(f => new { f.ConsentRecordId, f.RequestedAt });
        b.Property(f => f.Status).HasMaxLength(16);
        b.Property(f => f.ErrorCode).HasMaxLength(64);
        b.Property(f => f.ErrorMessage).HasMaxLength(2000);
        b.Property(f => f.Trigger).HasMaxLength(16);
        b.Property(f => f.RequestedBy).HasMaxLength(256);
        b.HasOne<ConsentRecord>().WithMany().HasForeignKey(f => f.ConsentRecordId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Customer>().WithMany().HasForeignKey(f => f.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class JobLeaseEntityTypeConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> b)
    {
        b.HasKey(l => l.Name);
        b.Property(l => l.Name).HasMaxLength(64);
        b.Property(l => l.Holder).HasMaxLength(128);
    }
}
