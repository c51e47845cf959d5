using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data;

public partial class ApplicationDbContext
{
    /// <summary>Written only by triggers (see the ConsentGate migration); read by the consent gate on every request.</summary>
    public DbSet<DataStamp> DataStamps => Set<DataStamp>();

    /// <summary>Each customer's queue rows under the stamp they were computed from (see <see cref="ForecastSnapshot"/>).</summary>
    public DbSet<ForecastSnapshot> ForecastSnapshots => Set<ForecastSnapshot>();
}
