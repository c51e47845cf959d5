using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data;

public partial class ApplicationDbContext
{
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<AaNotificationReceipt> AaNotificationReceipts => Set<AaNotificationReceipt>();
}
