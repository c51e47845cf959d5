using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data.EntityConfigurations;

internal sealed class DataStampEntityTypeConfiguration : IEntityTypeConfiguration<DataStamp>
{
    public void Configure(EntityTypeBuilder<DataStamp> b)
    {
        // The customer id itself is the key (no foreign key: row 0 is the global stamp, and a stamp outlives nothing).
        b.HasKey(s => s.CustomerId);
        b.Property(s => s.CustomerId).ValueGeneratedNever();
    }
}
