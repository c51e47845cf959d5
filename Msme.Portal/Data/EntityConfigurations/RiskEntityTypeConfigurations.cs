using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data.EntityConfigurations;

internal sealed class AnomalyReviewEntityTypeConfiguration : IEntityTypeConfiguration<AnomalyReview>
{
    public void Configure(EntityTypeBuilder<AnomalyReview> b)
    {
        b.HasIndex(r => r.AnomalyKey).IsUnique();
        b.HasIndex(r => r.CustomerId);
        b.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.EscalationTarget).HasConversion<string>().HasMaxLength(16);
        b.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.History).WithOne().HasForeignKey(e => e.AnomalyReviewId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AnomalyReviewEventEntityTypeConfiguration : IEntityTypeConfiguration<AnomalyReviewEvent>
{
    public void Configure(EntityTypeBuilder<AnomalyReviewEvent> b)
    {
        b.Property(e => e.FromState).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.ToState).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.EscalationTarget).HasConversion<string>().HasMaxLength(16);
        // "New since my last review" asks for the reviewer's latest decision.
        b.HasIndex(e => new { e.ReviewerId, e.At });
    }
}

internal sealed class EscalationWorkItemEntityTypeConfiguration : IEntityTypeConfiguration<EscalationWorkItem>
{
    public void Configure(EntityTypeBuilder<EscalationWorkItem> b)
    {
        b.Property(w => w.Target).HasConversion<string>().HasMaxLength(16);
        b.Property(w => w.Severity).HasMaxLength(8);
        b.HasOne<Customer>().WithMany().HasForeignKey(w => w.CustomerId).OnDelete(DeleteBehavior.Restrict);
        // Each receiving queue lists its open items.
        b.HasIndex(w => new { w.Target, w.DoneAt });
    }
}
