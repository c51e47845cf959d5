using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Msme.Portal.Data;

public partial class ApplicationDbContext : IDataProtectionKeyContext
{
    /// <summary>
    /// The data-protection key ring on PostgreSQL (see Hosting/DataProtectionKeys.cs): every instance behind the load
    /// balancer reads and writes the same keys, so a cookie issued by one is valid on all. Unused on SQLite, whose one
    /// instance keeps the ring in DATA/keys.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}
