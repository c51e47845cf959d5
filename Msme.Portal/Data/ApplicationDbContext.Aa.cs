using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data;

public partial class ApplicationDbContext
{
    public DbSet<AaConsentRequest> AaConsentRequests => Set<AaConsentRequest>();
    public DbSet<AaFetch> AaFetches => Set<AaFetch>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
}
