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

internal sealed class ForecastSnapshotEntityTypeConfiguration : IEntityTypeConfiguration<ForecastSnapshot>
{
    public void Configure(EntityTypeBuilder<ForecastSnapshot> b)
    {
        // One row per customer, keyed like its stamp (no foreign key: the stamp's trigger removes it, and so may a purge).
        b.HasKey(s => s.CustomerId);
        b.Property(s => s.CustomerId).ValueGeneratedNever();
        b.Property(s => s.Key).HasMaxLength(200);
    }
}
