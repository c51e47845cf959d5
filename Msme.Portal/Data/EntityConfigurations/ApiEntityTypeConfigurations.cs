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
    }
}
