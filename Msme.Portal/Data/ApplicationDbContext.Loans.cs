using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data;

/// <summary>Smart Collect's tables: the lender's loan book, bucket history, agent portfolios and contacts.</summary>
public partial class ApplicationDbContext
{
    public DbSet<Loan> Loans => Set<Loan>();
    public DbSet<LoanInstalment> LoanInstalments => Set<LoanInstalment>();
    public DbSet<BucketMove> BucketMoves => Set<BucketMove>();
    public DbSet<AgentPortfolio> AgentPortfolios => Set<AgentPortfolio>();
    public DbSet<ContactLog> ContactLogs => Set<ContactLog>();
}

/// <summary>Collection actions that leave the portal: presentment batches and the customer-message outbox.</summary>
public partial class ApplicationDbContext
{
    public DbSet<PresentmentBatch> PresentmentBatches => Set<PresentmentBatch>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
}
