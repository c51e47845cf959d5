using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data.EntityConfigurations;

internal sealed class LoanEntityTypeConfiguration : IEntityTypeConfiguration<Loan>
{
    public void Configure(EntityTypeBuilder<Loan> b)
    {
        b.HasIndex(l => l.LoanId).IsUnique();
        b.HasIndex(l => l.CustomerId);
        b.Property(l => l.Mandate).HasConversion<string>().HasMaxLength(16);
        b.HasOne(l => l.Customer).WithMany().HasForeignKey(l => l.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(l => l.Instalments).WithOne().HasForeignKey(i => i.LoanKey).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LoanInstalmentEntityTypeConfiguration : IEntityTypeConfiguration<LoanInstalment>
{
    public void Configure(EntityTypeBuilder<LoanInstalment> b)
    {
        b.HasIndex(i => new { i.LoanKey, i.Number }).IsUnique();
        b.Property(i => i.Outcome).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class BucketMoveEntityTypeConfiguration : IEntityTypeConfiguration<BucketMove>
{
    public void Configure(EntityTypeBuilder<BucketMove> b)
    {
        b.HasIndex(m => new { m.LoanKey, m.MonthEnd });
        b.Property(m => m.FromBucket).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.ToBucket).HasConversion<string>().HasMaxLength(16);
        b.HasOne<Loan>().WithMany().HasForeignKey(m => m.LoanKey).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AgentPortfolioEntityTypeConfiguration : IEntityTypeConfiguration<AgentPortfolio>
{
    public void Configure(EntityTypeBuilder<AgentPortfolio> b)
    {
        b.ToTable("AgentPortfolios");
        b.HasIndex(p => p.CustomerId).IsUnique();
        b.HasIndex(p => p.AgentUserId);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.AgentUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Customer>().WithMany().HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ContactLogEntityTypeConfiguration : IEntityTypeConfiguration<ContactLog>
{
    public void Configure(EntityTypeBuilder<ContactLog> b)
    {
        b.ToTable("ContactLogs");
        b.HasIndex(c => new { c.CustomerId, c.At });
        b.Property(c => c.Disposition).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Notes).HasMaxLength(2000);
        b.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Loan>().WithMany().HasForeignKey(c => c.LoanKey).OnDelete(DeleteBehavior.Restrict);
    }
}
