using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Compliance;

public sealed class AuditLogTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private AuditLog _audit = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        _audit = _store.Services.GetRequiredService<AuditLog>();
        for (var i = 1; i <= 5; i++)
        {
            await _audit.AppendAsync(new AuditEvent("u1", "risk@msme.local", "RiskManager", "view", $"/customers/{i}", i, "sections: header,accounts"));
            _store.Clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task An_untouched_trail_verifies()
    {
        var result = await _audit.VerifyAsync();

        Assert.True(result.Intact, result.ToString());
        Assert.Equal(5, result.Entries);
        Assert.Equal("audit chain intact: 5 entries", result.ToString());
    }

    [Fact]
    public async Task Concurrent_appends_from_this_and_another_writer_form_one_intact_chain_with_every_entry()
    {
        // A second instance stands for another process (the CLI): it shares only the database and its write lock.
        var other = new AuditLog(_store.DbFactory, _store.Clock);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            (i % 4 == 0 ? other : _audit).AppendAsync(new AuditEvent("u2", "agent1@msme.local", "Agent", "view", $"/customers/{i}/smart-collect", i)))));

        var result = await _audit.VerifyAsync();
        Assert.True(result.Intact, result.ToString());
        Assert.Equal(205, result.Entries);
        await using var db = await _store.DbFactory.CreateDbContextAsync();
        Assert.Equal(200, await db.AuditEntries.CountAsync(e => e.UserName == "agent1@msme.local" && e.Target.EndsWith("/smart-collect")));
        Assert.Equal(200, await db.AuditEntries.Where(e => e.UserName == "agent1@msme.local").Select(e => e.Target).Distinct().CountAsync());
    }

    [Theory]
    [InlineData("UPDATE AuditEntries SET Details = 'sections: header' WHERE Id = 3;", 3L, "the row was edited")]
    [InlineData("UPDATE AuditEntries SET UserName = 'someone@else' WHERE Id = 1;", 1L, "the row was edited")]
    [InlineData("UPDATE AuditEntries SET At = At + 1 WHERE Id = 5;", 5L, "the row was edited")]
    [InlineData("DELETE FROM AuditEntries WHERE Id = 2;", 3L, "entry #2 is missing")]
    public async Task Any_edit_in_the_database_breaks_the_chain_at_that_row(string tamper, long brokenAt, string reason)
    {
        await using (var db = await _store.DbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(tamper);
        }

        var result = await _audit.VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(brokenAt, result.FirstBrokenId);
        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public async Task Recomputing_a_tampered_rows_hash_still_breaks_the_next_link()
    {
        await using (var db = await _store.DbAsync())
        {
            var row = await db.AuditEntries.SingleAsync(e => e.Id == 2);
            row.Details = "forged";
            row.Hash = AuditLog.HashOf(row);
            await db.SaveChangesAsync();
        }

        var result = await _audit.VerifyAsync();

        Assert.Equal(3, result.FirstBrokenId);
        Assert.Contains("does not point to the hash of the entry before it", result.Reason);
    }
}
