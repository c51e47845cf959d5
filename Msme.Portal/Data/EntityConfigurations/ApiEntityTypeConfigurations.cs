using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data.EntityConfigurations;

internal sealed class ApiClientEntityTypeConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> b)
    {
        b.Property(c => c.Name).HasMaxLength(64);
        b.HasIndex(c => c.Name).IsUnique();
        b.Property(c => c.Role).HasMaxLength(32);
        b.Property(c => c.TokenHash).HasMaxLength(64);
        // Every request looks its token up by hash.
        b.HasIndex(c => c.TokenHash).IsUnique();
        b.Property(c => c.TokenPrefix).HasMaxLength(16);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.AgentUserId).OnDelete(DeleteBehavior.Restrict);
        b.Property(c => c.AaId).HasMaxLength(128);
    }
}

internal sealed class AaNotificationReceiptEntityTypeConfiguration : IEntityTypeConfiguration<AaNotificationReceipt>
{
    public void Configure(EntityTypeBuilder<AaNotificationReceipt> b)
    {
        b.Property(r => r.Txnid).HasMaxLength(128);
        // A txnid is accepted once: the unique index is what refuses a replay, even from two requests at once.
        b.HasIndex(r => r.Txnid).IsUnique();
        b.HasIndex(r => new { r.ConsentRecordId, r.Timestamp });
        b.Property(r => r.NotifierId).HasMaxLength(128);
        b.Property(r => r.Status).HasMaxLength(16);
        b.HasOne<ConsentRecord>().WithMany().HasForeignKey(r => r.ConsentRecordId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ApiClient>().WithMany().HasForeignKey(r => r.ApiClientId).OnDelete(DeleteBehavior.Restrict);
    }
}
