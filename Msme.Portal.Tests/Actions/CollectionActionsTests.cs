using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Aa;
using Msme.Portal.Features.Actions;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Collections;
using Msme.Portal.Tests.Infrastructure;
using Disposition = Msme.Portal.Data.Entities.Disposition;

namespace Msme.Portal.Tests.Actions;

/// <summary>
/// Presentment batches (maker-checker), the outbox and measured effects over six demo customers and their loan book
/// (store clock 2026-11-01 IST); agent-1 works the even customer ids, agent-2 the odd ones.
/// </summary>
public sealed class CollectionActionsTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private int[] _customers = [];

    private static ClaimsPrincipal User(string id, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, id + "@msme.local"), new Claim(ClaimTypes.Role, role)], "test"));

    private static readonly ClaimsPrincipal Risk1 = User("risk-1", Roles.RiskManager), Risk2 = User("risk-2", Roles.RiskManager),
        Admin = User("admin-1", Roles.Admin), Agent1 = User("agent-1", Roles.Agent);

    private IOptions<MsmeOptions> Options => _store.Services.GetRequiredService<IOptions<MsmeOptions>>();
    private AuditLog Audit => _store.Services.GetRequiredService<AuditLog>();
    private CollectionsService Collections => new(_store.DbFactory, new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock), _store.Clock, Audit);
    private PresentmentService Presentments => new(_store.DbFactory, Collections, Audit, _store.Clock, Options);
    private OutboxService Outbox => new(_store.DbFactory, Collections, Audit, _store.Clock, Options);

    private OutboxDispatcher Dispatcher(IMessageSender sender) =>
        new(_store.DbFactory, [sender], new JobLeases(_store.DbFactory, _store.Clock), Audit, _store.Clock, Options, NullLogger<OutboxDispatcher>.Instance);

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await CollectionsData.ImportDemoWithPortfoliosAsync(_store, "agent-1");
        await using var db = await _store.DbAsync();
        _customers = await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).ToArrayAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var db = await _store.DbAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Id).ToListAsync();
    }

    private static readonly DateOnly AsOf = new(2026, 11, 1);

    [Fact]
    public async Task Presentment_batch_is_previewed_prepared_by_one_and_approved_by_another_with_every_step_audited()
    {
        var code = Options.Value.Collections.DefaultUtilityCode;
        var (preview, error) = await Presentments.PreviewAsync(Risk1, code, AsOf, AsOf.AddDays(29));
        Assert.Null(error);
        var lines = preview!.Schedule.Lines;
        Assert.NotEmpty(lines);
        Assert.All(lines, l =>
        {
            Assert.InRange(l.Date, AsOf, AsOf.AddDays(29));
            Assert.NotEqual(DayOfWeek.Sunday, l.Date.DayOfWeek);
            Assert.InRange(l.Sequence, 1, 3);
            Assert.Equal(code, l.UtilityCode);
        });
        var rows = preview.File.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Count + 2, rows.Length);
        Assert.StartsWith($"H,MSME-BULKDEBIT-1,preview,{code},DEMO SPONSOR BANK,", rows[0]);
        Assert.Equal($"T,{lines.Count},{BulkDebitFile.Amount(lines.Sum(l => l.Amount))}", rows[^1]);
        Assert.Single(await AuditAsync("view"), e => e.Target == PresentmentService.Target);

        // Agents neither see nor prepare the schedule; a period past the forecasts is refused.
        Assert.NotNull((await Presentments.PreviewAsync(Agent1, code, AsOf, AsOf.AddDays(6))).Error);
        Assert.False((await Presentments.PrepareAsync(Agent1, code, AsOf, AsOf.AddDays(6))).Ok);
        Assert.Contains("30 days ahead at most", (await Presentments.PreviewAsync(Risk1, code, AsOf, AsOf.AddDays(31))).Error);

        var prepared = await Presentments.PrepareAsync(Risk1, code, AsOf, AsOf.AddDays(29));
        var batch = prepared.Batch!;
        Assert.Equal(PresentmentBatchStatus.Prepared, batch.Status);
        Assert.Equal(lines.Count, batch.LineCount);
        Assert.Equal("risk-1", batch.PreparedByUserId);

        // Maker-checker: the preparer cannot approve, nor can an agent; another risk manager can.
        Assert.Contains("preparer cannot approve", (await Presentments.ApproveAsync(Risk1, batch.Id, acknowledgeLine: true)).Error);
        Assert.Contains("only a risk manager or an admin", (await Presentments.ApproveAsync(Agent1, batch.Id, acknowledgeLine: true)).Error);
        Assert.Null(await Presentments.DownloadAsync(Risk2, batch.Id));
        if (batch.CrossesLine)
            Assert.Contains("acknowledge", (await Presentments.ApproveAsync(Risk2, batch.Id, acknowledgeLine: false)).Error);
        var approved = await Presentments.ApproveAsync(Risk2, batch.Id, acknowledgeLine: true);
        Assert.True(approved.Ok, approved.Error);
        Assert.Equal("risk-2", approved.Batch!.ApprovedByUserId);
        Assert.Equal(batch.CrossesLine, approved.Batch.LineAcknowledged);
        Assert.False((await Presentments.ApproveAsync(Admin, batch.Id, acknowledgeLine: true)).Ok); // already approved

        var file = Path.Combine(Options.Value.ResolvePresentmentFolder(), batch.FileName);
        Assert.Equal(batch.FileContent, await File.ReadAllTextAsync(file));
        Assert.StartsWith($"H,MSME-BULKDEBIT-1,PB-{batch.Id:D6},{code},", batch.FileContent);
        var downloaded = await Presentments.DownloadAsync(Admin, batch.Id);
        Assert.Equal(batch.FileSha256, downloaded!.FileSha256);

        Assert.Single(await AuditAsync("presentment-prepare"));
        var approval = Assert.Single(await AuditAsync("presentment-approve"));
        Assert.Equal("risk-2", approval.UserId);
        Assert.Contains($"prepared by {Risk1.Identity!.Name}", approval.Details);
        Assert.True((await AuditAsync("presentment-approve-refused")).Count >= 3);
        Assert.Equal(["presentment-download-refused", "presentment-download"], [.. (await AuditAsync("presentment-download-refused")).Concat(await AuditAsync("presentment-download")).Select(e => e.Action)]);
    }

    [Fact]
    public async Task A_batch_that_would_cross_the_npci_line_needs_an_acknowledgement()
    {
        await using (var db = await _store.DbAsync())
        {
            db.PresentmentBatches.Add(new PresentmentBatch
            {
                UtilityCode = "NACH00000000000001", SponsorBank = "X", PeriodFrom = AsOf, PeriodTo = AsOf, AsOf = AsOf, LineCount = 1, TotalPaise = 100,
                ExpectedReturnRate = "0.9000", Projection = "2026-11: 60 %", CrossesLine = true, FileName = "f.csv", FileContent = "H\r\nT,0,0.00\r\n", FileSha256 = "x",
                PreparedByUserId = "risk-1", PreparedByName = "risk1", PreparedAt = _store.Clock.GetUtcNow(), Status = PresentmentBatchStatus.Prepared,
            });
            await db.SaveChangesAsync();
        }
        var refused = await Presentments.ApproveAsync(Risk2, 1, acknowledgeLine: false);
        Assert.Equal("this batch would take a month's return rate over NPCI's 50 % line: acknowledge it to approve", refused.Error);
        var ok = await Presentments.ApproveAsync(Risk2, 1, acknowledgeLine: true);
        Assert.True(ok.Batch!.LineAcknowledged);
        Assert.Contains("crossing NPCI's 50 % line acknowledged", Assert.Single(await AuditAsync("presentment-approve")).Details);
    }

    [Fact]
    public async Task Agent_queues_a_upi_link_for_a_portfolio_customer_and_the_dispatcher_moves_it_to_sent_then_delivered()
    {
        var mine = _customers.First(id => id % 2 == 0);
        var other = _customers.First(id => id % 2 == 1);
        var plan = await Collections.CustomerAsync(new CollectionsViewer("agent-1", false), mine);
        var loan = plan!.Loans.First(l => l.Balances is not null);

        var (draft, draftError) = await Outbox.DraftAsync(Agent1, mine, loan.LoanKey, MessageKind.UpiPaymentLink);
        Assert.Null(draftError);
        Assert.StartsWith("upi://pay?pa=collections.demofinance@okdemo&pn=Demo%20Finance&am=", draft!.Message.UpiUri);
        Assert.EndsWith($"&tn={Uri.EscapeDataString(loan.Loan.LoanId)}&cu=INR", draft.Message.UpiUri);
        Assert.StartsWith("data:image/png;base64,iVBOR", draft.QrDataUri);
        Assert.Equal(draft.Recipient, draft.MaskedRecipient); // agents may see mobiles (they call customers)
        var (asRisk, _) = await Outbox.DraftAsync(Risk1, mine, loan.LoanKey, MessageKind.UpiPaymentLink);
        Assert.Equal(Msme.Domain.Privacy.Masking.Mobile(draft.Recipient), asRisk!.MaskedRecipient);

        var (queued, error) = await Outbox.QueueAsync(Agent1, mine, loan.LoanKey, MessageKind.UpiPaymentLink);
        Assert.Null(error);
        Assert.Equal(OutboxStatus.Queued, queued!.Status);
        var audit = Assert.Single(await AuditAsync("message-queue"));
        Assert.Equal(mine, audit.CustomerId);
        Assert.DoesNotContain(queued.Recipient, audit.Details); // the trail keeps the number masked

        // Not this agent's customer: refused and audited, nothing queued.
        var otherLoan = (await Collections.CustomerAsync(new CollectionsViewer("admin", true), other))!.Loans[0];
        var (none, refusal) = await Outbox.QueueAsync(Agent1, other, otherLoan.LoanKey, MessageKind.Reminder);
        Assert.Null(none);
        Assert.Equal("this customer is not in your portfolio", refusal);
        Assert.Single(await AuditAsync("message-refused"));

        var sender = new FileMessageSender(Options, _store.Clock);
        Assert.Equal(1, await Dispatcher(sender).RunOnceAsync("test"));
        Assert.Equal(0, await Dispatcher(sender).RunOnceAsync("test")); // nothing left queued
        await using (var db = await _store.DbAsync())
        {
            var sent = await db.OutboxMessages.SingleAsync();
            Assert.Equal(OutboxStatus.Sent, sent.Status);
            Assert.Equal(1, sent.Attempts);
            var written = Path.Combine(Options.Value.ResolveOutboxFolder(), sent.SenderReference!);
            Assert.Contains(draft.Message.UpiUri!.Replace("&", "\\u0026", StringComparison.Ordinal), await File.ReadAllTextAsync(written));
        }
        Assert.Single(await AuditAsync("message-sent"));

        var dispatcher = Dispatcher(sender);
        Assert.True((await dispatcher.ReceiptAsync(queued.Id, OutboxStatus.Delivered, null, Admin)).Ok);
        Assert.False((await dispatcher.ReceiptAsync(queued.Id, OutboxStatus.Failed, "late", Admin)).Ok); // delivered is final

        // On the customer's timeline data and history.
        var after = await Collections.CustomerAsync(new CollectionsViewer("agent-1", false), mine);
        var entry = Assert.Single(after!.Messages);
        Assert.Equal((MessageKind.UpiPaymentLink, OutboxStatus.Delivered, loan.Loan.LoanId), (entry.Kind, entry.Status, entry.LoanId));
        Assert.Null(await Outbox.MessagesAsync(Agent1, other));
    }

    [Fact]
    public async Task A_refusing_sender_is_retried_then_the_message_fails()
    {
        var mine = _customers.First(id => id % 2 == 0);
        var loan = (await Collections.CustomerAsync(new CollectionsViewer("agent-1", false), mine))!.Loans.First(l => l.Balances is not null);
        var (queued, _) = await Outbox.QueueAsync(Agent1, mine, loan.LoanKey, MessageKind.Reminder);
        var refusing = new RefusingSender();
        for (var k = 0; k < Options.Value.Collections.Outbox.MaxAttempts; k++) await Dispatcher(refusing).RunOnceAsync("test");
        await using var db = await _store.DbAsync();
        var failed = await db.OutboxMessages.SingleAsync(m => m.Id == queued!.Id);
        Assert.Equal((OutboxStatus.Failed, 3, "gateway down"), (failed.Status, failed.Attempts, failed.Error));
        Assert.Equal(2, (await AuditAsync("message-retry")).Count);
        Assert.Single(await AuditAsync("message-failed"));
    }

    private sealed class RefusingSender : IMessageSender
    {
        public string Name => "file";
        public Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct) => Task.FromResult(SendResult.Failed("gateway down"));
    }

    [Fact]
    public async Task Effects_stay_assumed_until_thirty_outcomes_are_logged_then_the_queue_reads_the_measured_effect()
    {
        var service = Collections;
        var before = await service.EffectsAsync(AsOf);
        Assert.All(before.All, e => Assert.False(e.Measured));
        var admin = new CollectionsViewer("admin", true);
        var recommended = (await service.QueueAsync(admin, new QueueQuery(PageSize: 1000))).Items.SelectMany(i => i.Recommendations).ToList();
        var contact = recommended.Where(r => r.Outcomes is not null).ToList();
        Assert.NotEmpty(contact);
        Assert.All(contact, r => Assert.False(r.Measured));
        Assert.Contains(contact.SelectMany(r => r.Reasons), reason => reason.Contains("assumed until 30 outcomes are logged (0 so far)", StringComparison.Ordinal));

        // Thirty logged actions of the kind the queue recommends, each on a past instalment's due date (outcome window closed by the as-of date).
        var (action, kind) = recommended.Any(r => r.Action == RecommendedAction.Call) ? (RecommendedAction.Call, ActionKind.Call)
            : recommended.Any(r => r.Action == RecommendedAction.Reminder) ? (RecommendedAction.Reminder, ActionKind.Reminder)
            : (RecommendedAction.UpiLinkBeforeCreditDay, ActionKind.UpiLink);
        await using (var db = await _store.DbAsync())
        {
            var past = await db.LoanInstalments.AsNoTracking().Join(db.Loans, i => i.LoanKey, l => l.Id, (i, l) => new { l.CustomerId, i.LoanKey, i.DueDate })
                .Where(x => x.DueDate <= AsOf.AddDays(-10)).OrderBy(x => x.DueDate).ThenBy(x => x.LoanKey).Take(30).ToListAsync();
            Assert.Equal(30, past.Count);
            foreach (var p in past)
            {
                var at = new DateTimeOffset(p.DueDate.ToDateTime(new TimeOnly(12, 0)), IndianTime.Offset);
                if (kind == ActionKind.Call)
                    db.ContactLogs.Add(new ContactLog { CustomerId = p.CustomerId, LoanKey = p.LoanKey, AgentUserId = "agent-1", AgentName = "Agent One", Disposition = Disposition.Reached, At = at });
                else
                    db.OutboxMessages.Add(new OutboxMessage
                    {
                        CustomerId = p.CustomerId, LoanKey = p.LoanKey, LoanId = "L", Kind = kind == ActionKind.Reminder ? MessageKind.Reminder : MessageKind.UpiPaymentLink, Channel = "SMS",
                        Recipient = "9000000000", Body = "b", CreatedByUserId = "agent-1", CreatedByName = "Agent One", CreatedAt = at, Status = OutboxStatus.Sent,
                    });
            }
            await db.SaveChangesAsync();
        }
        var after = await service.EffectsAsync(AsOf);
        var measured = after.For(kind);
        Assert.True(measured.Measured, measured.Basis);
        Assert.Equal(30, measured.Outcomes);
        Assert.StartsWith("measured over 30 outcomes:", measured.Basis);
        Assert.False(after.For(ActionKind.FieldVisit).Measured);

        var queue = await service.QueueAsync(admin, new QueueQuery(PageSize: 1000));
        var reads = queue.Items.SelectMany(i => i.Recommendations).Where(r => r.Action == action).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, r => Assert.Equal((true, 30, measured.Effect), (r.Measured, r.Outcomes!.Value, r.ExpectedEffect)));
    }
}
