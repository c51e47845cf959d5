using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Msme.Domain.DemoData;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Admin;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Collections;

/// <summary>Demo customers imported into a test store through the real importers, and helpers over the loan book file.</summary>
internal static class CollectionsData
{
    /// <summary>The store's clock says 2026-11-01 IST, so the demo data (as the loader makes it) ends 2026-10-31.</summary>
    public static readonly DateOnly DemoAsOf = new(2026, 10, 31);

    /// <summary>Writes and imports the bundles; returns the loan book's path (not imported).</summary>
    public static async Task<string> ImportDemoBundlesAsync(TestStore store, int customers = 6, int months = 8, int seed = 42)
    {
        var directory = Path.Combine(store.Directory, "demo");
        var outcomes = await store.Importer.ImportManyAsync(DemoDataset.Write(new DemoOptions(DemoAsOf, customers, months, seed), directory), null, "test");
        Assert.All(outcomes, o => Assert.NotEqual(Msme.Portal.Features.Ingestion.ImportStatus.Rejected, o.Status));
        return Path.Combine(directory, DemoDataset.LoanBookFile);
    }

    /// <summary>
    /// The demo bundles and their loan book imported, the even customer ids in <paramref name="agentUserId"/>'s
    /// portfolio and the odd ones in "agent-2"'s (as the demo loader splits them).
    /// </summary>
    public static async Task ImportDemoWithPortfoliosAsync(TestStore store, string agentUserId)
    {
        var book = await ImportDemoBundlesAsync(store);
        await new Msme.Portal.Features.Collections.LoanBookImporter(store.DbFactory, store.Clock).ImportFileAsync(book, "test");
        await using var db = await store.DbAsync();
        var ids = await db.Customers.Select(c => c.Id).ToListAsync();
        await AssignAsync(store, agentUserId, [.. ids.Where(id => id % 2 == 0)]);
        await AssignAsync(store, "agent-2", [.. ids.Where(id => id % 2 == 1)]);
    }

    /// <summary>A copy of the loan book with an edit applied to its JSON.</summary>
    public static async Task<string> EditAsync(string loanBook, string name, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(await File.ReadAllTextAsync(loanBook))!.AsObject();
        edit(root);
        var path = Path.Combine(Path.GetDirectoryName(loanBook)!, name);
        await File.WriteAllTextAsync(path, root.ToJsonString());
        return path;
    }

    /// <summary>Assigns each customer to the given agent user id (creating the user row the foreign key needs).</summary>
    public static async Task AssignAsync(TestStore store, string agentUserId, params int[] customerIds)
    {
        await using var db = await store.DbAsync();
        if (!await db.Users.AnyAsync(u => u.Id == agentUserId))
        {
            db.Users.Add(new Msme.Portal.Data.ApplicationUser { Id = agentUserId, UserName = agentUserId, Email = agentUserId });
        }
        foreach (var id in customerIds)
        {
            db.AgentPortfolios.Add(new AgentPortfolio { AgentUserId = agentUserId, CustomerId = id, AssignedBy = "test", AssignedAt = store.Clock.GetUtcNow() });
        }
        await db.SaveChangesAsync();
    }

    public static async Task<LoanSnapshot> SnapshotAsync(TestStore store)
    {
        await using var db = await store.DbAsync();
        return new LoanSnapshot(
            await db.Loans.CountAsync(),
            await db.LoanInstalments.CountAsync(),
            await db.LoanInstalments.SumAsync(i => (long?)i.PaidPaise) ?? 0,
            string.Join(",", await db.LoanInstalments.OrderBy(i => i.Id).Select(i => i.Outcome.ToString()).ToListAsync()),
            await db.BucketMoves.CountAsync());
    }
}

internal sealed record LoanSnapshot(int Loans, int Instalments, long PaidPaise, string Outcomes, int BucketMoves);
