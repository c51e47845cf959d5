using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data;

public partial class ApplicationDbContext
{
    public DbSet<AnomalyReview> AnomalyReviews => Set<AnomalyReview>();
    public DbSet<AnomalyReviewEvent> AnomalyReviewEvents => Set<AnomalyReviewEvent>();
    public DbSet<EscalationWorkItem> EscalationWorkItems => Set<EscalationWorkItem>();
}
