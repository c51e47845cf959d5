using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Portfolio;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Analytics;

namespace Msme.Portal.Features.Risk;

/// <summary>The signed-in person who takes a review decision.</summary>
public sealed record Reviewer(string UserId, string Name);

/// <summary>One customer's portfolio figures, the scope they were computed on and what computing them cost.</summary>
/// <param name="Scope">The account's masked number for a one-account customer, otherwise "combined" (own transfers removed).</param>
public sealed record CustomerRisk(CustomerFigures Figures, string Scope, int LatestSessionId, double ComputeMs);

/// <summary>Every customer's figures and their aggregates, with what the computation cost this time.</summary>
public sealed record PortfolioRisk(IReadOnlyList<CustomerRisk> Customers, PortfolioFigures Figures, TimeSpan Elapsed, int Computed, int FromCache)
{
    /// <summary>Mean cost of one customer computed now (load from the store + CustomerInsights.Build); null when all came from the cache.</summary>
    public double? MeanComputeMs => Computed == 0 ? null : Customers.Where(c => c.ComputeMs > 0).Select(c => c.ComputeMs).DefaultIfEmpty().Average();
}

/// <summary>Which anomalies the queue shows. Empty sets mean "any".</summary>
/// <param name="Portfolios">Agent user ids whose portfolio the customer is in; <see cref="Unassigned"/> for customers no agent works.</param>
public sealed record AnomalyFilter(IReadOnlyCollection<string> Detectors, IReadOnlyCollection<Severity> Severities, IReadOnlyCollection<AnomalyReviewState> States,
    IReadOnlyCollection<string>? Portfolios = null)
{
    /// <summary>The portfolio value of customers not assigned to any agent.</summary>
    public const string Unassigned = "(unassigned)";

    /// <summary>The default queue: what still needs a decision.</summary>
    public static AnomalyFilter Open { get; } = new([], [], [AnomalyReviewState.New, AnomalyReviewState.Acknowledged]);
}

/// <summary>One anomaly event of the queue (every detector finding that describes it) with its review state.</summary>
/// <param name="NewSinceLastReview">Still New, and dated after the reviewer's latest decision (or the reviewer never decided anything).</param>
/// <param name="Agent">The agent whose portfolio the customer is in (their user id and name); null when unassigned.</param>
public sealed record AnomalyRow(string Key, int CustomerId, string? CustomerName, string Scope, string Period, DateOnly Day, AnomalyEvent Event,
    AnomalyReviewState State, string? Reason, EscalationTarget? Target, string? ReviewerName, DateTimeOffset? ReviewedAt, bool NewSinceLastReview,
    PortfolioAgent? Agent = null);

/// <summary>An agent who works a portfolio of customers.</summary>
public sealed record PortfolioAgent(string UserId, string Name);

/// <param name="Portfolios">Every agent with a portfolio, for the filter.</param>
public sealed record AnomalyPage(IReadOnlyList<AnomalyRow> Items, int TotalItems, int NewSinceLastReview, DateTimeOffset? LastReviewAt, IReadOnlyList<string> Detectors,
    IReadOnlyList<PortfolioAgent>? Portfolios = null);

/// <summary>The review state counts of every anomaly currently detected.</summary>
public sealed record RiskDashboard(PortfolioRisk Portfolio, IReadOnlyDictionary<AnomalyReviewState, int> States);

/// <summary>
/// Risk views over the portfolio: anomalies and contract figures are computed on the fly from the stored AA data
/// (nothing derived is stored, so nothing drifts from the data) through the consent gate under the underwriting use,
/// and kept as a part of each customer's analysis entry (<see cref="AnalysisCache"/>, keyed by the data stamp); only
/// review decisions are stored.
/// </summary>
public sealed class RiskService(
    IDbContextFactory<ApplicationDbContext> dbFactory, ConsentGate gate, RiskCache cache, TimeProvider time, Compliance.AuditLog? audit = null)
{
    public const string CombinedScope = "combined";

    public async Task<PortfolioRisk> GetPortfolioAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var customers = await CustomersAsync(ct);

        // One computation at a time per process: a page opened while the warm-up (or another page) computes waits for
        // that pass instead of doing it twice, and shows its progress meanwhile.
        await WaitForGateAsync(progress, ct);
        try
        {
            var analyses = await gate.AnalysesAsync([.. customers.Select(c => c.Id)], ct);
            var results = new CustomerRisk[customers.Count];
            var missing = new List<int>();
            for (var i = 0; i < customers.Count; i++)
            {
                if (analyses[customers[i].Id].Peek<CustomerRisk>(RiskPart) is { } hit)
                {
                    results[i] = hit with { ComputeMs = 0 };
                }
                else
                {
                    missing.Add(i);
                }
            }
            var done = customers.Count - missing.Count;
            progress?.Report((done, customers.Count));
            if (missing.Count > 0)
            {
                cache.Report(new RiskCacheState(done, customers.Count, Running: true, cache.State.WarmAt));
                // Customers are independent: a bounded number of workers, each loading one customer's accounts once.
                await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = cache.MaxDegreeOfParallelism, CancellationToken = ct },
                    async (i, token) =>
                    {
                        var (id, name, latest) = customers[i];
                        var analysis = analyses[id];
                        results[i] = await analysis.GetAsync(RiskPart, () => ComputeAsync(analysis, name, latest), heavy: null, token);
                        var now = Interlocked.Increment(ref done);
                        progress?.Report((now, customers.Count));
                        cache.Report(new RiskCacheState(now, customers.Count, Running: true, cache.State.WarmAt));
                    });
            }
            cache.Report(new RiskCacheState(customers.Count, customers.Count, Running: false, time.GetUtcNow()));
            var list = results.Where(r => r is not null).ToList();
            return new PortfolioRisk(list, PortfolioFigures.Build([.. list.Select(r => r.Figures)]),
                Stopwatch.GetElapsedTime(started), missing.Count, customers.Count - missing.Count);
        }
        catch
        {
            cache.Report(cache.State with { Running = false });
            throw;
        }
        finally
        {
            cache.Gate.Release();
        }
    }

    private async Task WaitForGateAsync(IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        if (progress is null || cache.Gate.Wait(0, ct))
        {
            if (progress is null) await cache.Gate.WaitAsync(ct);
            return;
        }
        void Relay(RiskCacheState s)
        {
            if (s.Running) progress.Report((s.Done, s.Total));
        }
        cache.Changed += Relay;
        try
        {
            Relay(cache.State);
            await cache.Gate.WaitAsync(ct);
        }
        finally
        {
            cache.Changed -= Relay;
        }
    }

    /// <summary>The analysis entry's part that holds a customer's risk figures.</summary>
    private const string RiskPart = "risk";

    /// <summary>Customers with AA data. Whether their figures still hold is the consent gate's data stamp, read per call.</summary>
    private async Task<List<(int Id, string? Name, int Latest)>> CustomersAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Customers.AsNoTracking()
            .Select(c => new { c.Id, c.LegalName, Latest = c.Accounts.Max(a => (int?)a.LastFetchSessionId) })
            .Where(c => c.Latest != null).OrderBy(c => c.Id).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, r.LegalName, r.Latest!.Value))];
    }

    public async Task<RiskDashboard> GetDashboardAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var portfolio = await GetPortfolioAsync(progress, ct);
        var reviews = await ReviewsAsync(ct);
        var states = Rows(portfolio, reviews, null).GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count());
        foreach (var s in Enum.GetValues<AnomalyReviewState>()) states.TryAdd(s, 0);
        return new RiskDashboard(portfolio, states);
    }

    /// <summary>One page of the anomaly queue, filtered and sorted on the server.</summary>
    public async Task<AnomalyPage> QueueAsync(AnomalyFilter filter, Reviewer reviewer, int page, int pageSize, string? sortLabel, bool descending, CancellationToken ct = default)
    {
        var portfolio = await GetPortfolioAsync(null, ct);
        var reviews = await ReviewsAsync(ct);
        DateTimeOffset? lastReview;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            lastReview = await db.AnomalyReviewEvents.AsNoTracking().Where(e => e.ReviewerId == reviewer.UserId)
                .OrderByDescending(e => e.At).Select(e => (DateTimeOffset?)e.At).FirstOrDefaultAsync(ct);
        }
        var agents = await AgentsByCustomerAsync(ct);
        var all = Rows(portfolio, reviews, lastReview).Select(r => agents.TryGetValue(r.CustomerId, out var a) ? r with { Agent = a } : r).ToList();
        var rows = all.Where(r =>
            (filter.Detectors.Count == 0 || r.Event.Detectors.Any(filter.Detectors.Contains)) &&
            (filter.Severities.Count == 0 || filter.Severities.Contains(r.Event.Severity)) &&
            (filter.States.Count == 0 || filter.States.Contains(r.State)) &&
            (filter.Portfolios is not { Count: > 0 } p || p.Contains(r.Agent?.UserId ?? AnomalyFilter.Unassigned))).ToList();
        IEnumerable<AnomalyRow> sorted = (sortLabel ?? "severity") switch
        {
            "customer" => Order(rows, r => r.CustomerName ?? "", descending),
            "detector" => Order(rows, r => string.Join(',', r.Event.Detectors), descending),
            "amount" => Order(rows, r => r.Event.Amount, descending),
            "date" => Order(rows, r => r.Day, descending),
            "deviation" => Order(rows, r => Math.Abs(r.Event.DeviationPct ?? 0m), descending),
            "state" => Order(rows, r => r.State, descending),
            "portfolio" => Order(rows, r => r.Agent?.Name ?? "", descending),
            // Severity first, newest first within a severity: what a reviewer should look at next.
            // Severity first, then the largest amount out of line: the ₹3 crore spike above a ₹3 lakh one.
            _ => (descending || sortLabel is null ? rows.OrderByDescending(r => r.Event.Severity) : rows.OrderBy(r => r.Event.Severity))
                .ThenByDescending(r => r.Event.Amount).ThenByDescending(r => r.Day).ThenBy(r => r.Key, StringComparer.Ordinal),
        };
        var items = sorted.Skip(page * pageSize).Take(pageSize).ToList();
        return new AnomalyPage(items, rows.Count, rows.Count(r => r.NewSinceLastReview), lastReview,
            [.. all.SelectMany(r => r.Event.Detectors).Distinct().Order(StringComparer.Ordinal)],
            [.. agents.Values.Distinct().OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>Which agent works each assigned customer (agent portfolios), with the agent's display name.</summary>
    private async Task<Dictionary<int, PortfolioAgent>> AgentsByCustomerAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AgentPortfolios.AsNoTracking()
            .Select(p => new { p.CustomerId, p.AgentUserId, Name = db.Users.Where(u => u.Id == p.AgentUserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefault() })
            .ToListAsync(ct);
        var agents = rows.GroupBy(r => r.AgentUserId).ToDictionary(g => g.Key, g => new PortfolioAgent(g.Key, g.First().Name ?? g.Key));
        return rows.ToDictionary(r => r.CustomerId, r => agents[r.AgentUserId]);
    }

    /// <summary>Records a decision on an anomaly: the current state is updated, the decision appended to its history.</summary>
    public async Task<AnomalyReview> ReviewAsync(AnomalyRow row, AnomalyReviewState to, string? reason, EscalationTarget? target, Reviewer reviewer, CancellationToken ct = default)
    {
        if (to == AnomalyReviewState.New)
        {
            throw new ArgumentException("a review decides: acknowledge, dismiss or escalate", nameof(to));
        }
        if (to == AnomalyReviewState.Dismissed && string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("dismissing an anomaly needs a reason", nameof(reason));
        }
        if (to == AnomalyReviewState.Escalated && target is null)
        {
            throw new ArgumentException("escalating an anomaly needs a target", nameof(target));
        }
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Write lock from the read of the current state: the review, its history and its audit entry commit together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var review = await db.AnomalyReviews.FirstOrDefaultAsync(r => r.AnomalyKey == row.Key, ct);
        var from = review?.State ?? AnomalyReviewState.New;
        if (review is null)
        {
            review = new AnomalyReview
            {
                AnomalyKey = row.Key, CustomerId = row.CustomerId, Scope = row.Scope, Detector = string.Join(',', row.Event.Detectors),
                Subject = row.Event.KindName, Period = row.Period, ReviewerId = reviewer.UserId, ReviewerName = reviewer.Name,
            };
            db.AnomalyReviews.Add(review);
        }
        review.State = to;
        review.Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        review.EscalationTarget = to == AnomalyReviewState.Escalated ? target : null;
        review.ReviewerId = reviewer.UserId;
        review.ReviewerName = reviewer.Name;
        review.ReviewedAt = now;
        review.History.Add(new AnomalyReviewEvent
        {
            AnomalyKey = row.Key, FromState = from, ToState = to, Reason = review.Reason, EscalationTarget = review.EscalationTarget,
            ReviewerId = reviewer.UserId, ReviewerName = reviewer.Name, At = now, Findings = FindingsText(row.Event),
        });
        if (to == AnomalyReviewState.Escalated && target is { } where && from != AnomalyReviewState.Escalated)
        {
            // The receiving queue's work item: credit review is listed at /risk/credit-review, agent follow-up for the collections side.
            db.EscalationWorkItems.Add(new EscalationWorkItem
            {
                AnomalyKey = row.Key, CustomerId = row.CustomerId, Target = where, Period = row.Period, Kind = row.Event.KindName,
                Severity = row.Event.Severity.ToString(), AmountPaise = (long)(Math.Round(row.Event.Amount, 2) * 100m), Summary = row.Event.Explanation.Narrative, Note = review.Reason,
                CreatedById = reviewer.UserId, CreatedByName = reviewer.Name, CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        if (audit is not null)
        {
            await audit.AppendAsync(db, new Compliance.AuditEvent(reviewer.UserId, reviewer.Name, "", "anomaly-review", "/risk/anomalies",
                row.CustomerId, $"{row.Key}: {from} -> {to}{(review.Reason is { } r ? $" ({r})" : "")}{(review.EscalationTarget is { } t ? $" to {t}" : "")}"), ct);
        }
        await tx.CommitAsync(ct);
        return review;
    }

    public async Task<IReadOnlyList<AnomalyReviewEvent>> HistoryAsync(string anomalyKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AnomalyReviewEvents.AsNoTracking().Where(e => e.AnomalyKey == anomalyKey).OrderBy(e => e.Id).ToListAsync(ct);
    }

    /// <summary>
    /// The stable key of an event: same customer, scope, kind and period, same event across recomputations (and
    /// whichever detectors found it this time: a decision is not lost when a second detector joins).
    /// </summary>
    public static string AnomalyKey(int customerId, string scope, AnomalyEvent e) =>
        string.Join('|', customerId.ToString(CultureInfo.InvariantCulture), scope, "event", e.KindName, e.Period);

    /// <summary>The detector findings of an event as the history keeps them: each detector with its own figures.</summary>
    public static string FindingsText(AnomalyEvent e) => string.Join("; ", e.Findings.Select(f => string.Create(CultureInfo.InvariantCulture,
        $"{f.Detector} {f.Subject} {(f.Date is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : f.Month?.ToString())}: {f.Value} vs {f.Expected?.ToString(CultureInfo.InvariantCulture) ?? "—"} expected, score {f.Score}, {(f.DeviationPct is { } p ? $"{p:0.#}%" : "—")}, {f.Severity}")));

    /// <summary>Acknowledges every New Low event the filter selects, in one transaction with one history entry each and one audit entry.</summary>
    public async Task<int> AcknowledgeLowAsync(AnomalyFilter filter, Reviewer reviewer, CancellationToken ct = default)
    {
        var low = filter with { Severities = [Severity.Low], States = [AnomalyReviewState.New] };
        var page = await QueueAsync(low, reviewer, 0, int.MaxValue, null, false, ct);
        if (page.Items.Count == 0) return 0;
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var keys = page.Items.Select(r => r.Key).ToList();
        var existing = await db.AnomalyReviews.Where(r => keys.Contains(r.AnomalyKey)).ToDictionaryAsync(r => r.AnomalyKey, StringComparer.Ordinal, ct);
        var done = 0;
        foreach (var row in page.Items)
        {
            existing.TryGetValue(row.Key, out var review);
            if (review is not null && review.State != AnomalyReviewState.New) continue;
            if (review is null)
            {
                review = new AnomalyReview
                {
                    AnomalyKey = row.Key, CustomerId = row.CustomerId, Scope = row.Scope, Detector = string.Join(',', row.Event.Detectors),
                    Subject = row.Event.KindName, Period = row.Period, ReviewerId = reviewer.UserId, ReviewerName = reviewer.Name,
                };
                db.AnomalyReviews.Add(review);
            }
            review.State = AnomalyReviewState.Acknowledged;
            review.ReviewerId = reviewer.UserId;
            review.ReviewerName = reviewer.Name;
            review.ReviewedAt = now;
            review.History.Add(new AnomalyReviewEvent
            {
                AnomalyKey = row.Key, FromState = AnomalyReviewState.New, ToState = AnomalyReviewState.Acknowledged, Reason = "bulk acknowledge (Low)",
                ReviewerId = reviewer.UserId, ReviewerName = reviewer.Name, At = now, Findings = FindingsText(row.Event),
            });
            done++;
        }
        await db.SaveChangesAsync(ct);
        if (audit is not null)
        {
            await audit.AppendAsync(db, new Compliance.AuditEvent(reviewer.UserId, reviewer.Name, "", "anomaly-review", "/risk/anomalies",
                null, $"bulk acknowledge: {done} Low event(s) New -> Acknowledged"), ct);
        }
        await tx.CommitAsync(ct);
        return done;
    }

    /// <summary>
    /// Where the reviews left one customer's anomaly events: every event the risk queue shows for the customer (the same
    /// cached figures, the same keys), counted by review state; an escalation is open until its work item is done.
    /// </summary>
    public async Task<Msme.Domain.Collections.AnomalyReviewTally> CustomerAnomaliesAsync(int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { c.LegalName, Latest = c.Accounts.Max(a => (int?)a.LastFetchSessionId) }).FirstOrDefaultAsync(ct);
        if (customer?.Latest is not { } latest) return Msme.Domain.Collections.AnomalyReviewTally.None;
        var analysis = await gate.AnalysisAsync(customerId, ct);
        var risk = await analysis.GetAsync(RiskPart, () => ComputeAsync(analysis, customer.LegalName, latest), heavy: null, ct);
        var reviews = await db.AnomalyReviews.AsNoTracking().Where(r => r.CustomerId == customerId).ToDictionaryAsync(r => r.AnomalyKey, StringComparer.Ordinal, ct);
        var open = (await db.EscalationWorkItems.AsNoTracking().Where(w => w.CustomerId == customerId && w.DoneAt == null).Select(w => w.AnomalyKey).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        int fresh = 0, acknowledged = 0, dismissed = 0, escalatedOpen = 0, escalatedDone = 0;
        foreach (var e in risk.Figures.Events)
        {
            var key = AnomalyKey(customerId, risk.Scope, e);
            switch (reviews.TryGetValue(key, out var r) ? r.State : AnomalyReviewState.New)
            {
                case AnomalyReviewState.Acknowledged: acknowledged++; break;
                case AnomalyReviewState.Dismissed: dismissed++; break;
                case AnomalyReviewState.Escalated when open.Contains(key): escalatedOpen++; break;
                case AnomalyReviewState.Escalated: escalatedDone++; break;
                default: fresh++; break;
            }
        }
        return new(fresh, acknowledged, dismissed, escalatedOpen, escalatedDone);
    }

    /// <summary>The credit-review work items (escalations to credit review), open first, newest first.</summary>
    public async Task<IReadOnlyList<EscalationWorkItem>> WorkItemsAsync(EscalationTarget target, bool includeDone, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = await db.EscalationWorkItems.AsNoTracking().Where(w => w.Target == target && (includeDone || w.DoneAt == null)).ToListAsync(ct);
        return await WorkItemDisclosure.DiscloseAsync(gate, [.. items.OrderBy(w => w.DoneAt is not null).ThenByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id)], ct);
    }

    /// <summary>Closes a work item with its outcome; audited.</summary>
    public async Task CloseWorkItemAsync(long id, string outcome, Reviewer reviewer, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(outcome)) throw new ArgumentException("closing a work item needs its outcome", nameof(outcome));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var item = await db.EscalationWorkItems.SingleAsync(w => w.Id == id, ct);
        if (item.DoneAt is not null) return;
        item.DoneAt = time.GetUtcNow();
        item.DoneById = reviewer.UserId;
        item.DoneByName = reviewer.Name;
        item.Outcome = outcome.Trim();
        await db.SaveChangesAsync(ct);
        if (audit is not null)
        {
            await audit.AppendAsync(db, new Compliance.AuditEvent(reviewer.UserId, reviewer.Name, "", "work-item-closed", "/risk/credit-review",
                item.CustomerId, $"{item.AnomalyKey}: {item.Target} done ({item.Outcome})"), ct);
        }
        await tx.CommitAsync(ct);
    }

    private async Task<CustomerRisk> ComputeAsync(CustomerAnalysis analysis, string? name, int latest)
    {
        var started = Stopwatch.GetTimestamp();
        var id = analysis.CustomerId;
        // Risk review reads the same data as the customer page's credit review (purposes 103, 104, 105).
        if (await InsightsService.ForAsync(gate, analysis, DataUse.Underwriting, name) is not { } view)
        {
            // No data usable now (consent paused, revoked, expired or for another purpose): nothing to flag, tier Unknown.
            return new CustomerRisk(new CustomerFigures(id, name, Msme.Domain.Analytics.Cashflow.AccountMetrics.None, [], [], []), CombinedScope, latest,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var insights = view.Insights;
        var combined = insights.Combined;
        // A one-account customer's combined figures are that account's: key them by the account so the key says what was analysed.
        var scope = insights.Accounts.Count == 1 ? insights.Accounts[0].MaskedAccNumber : CombinedScope;
        var figures = new CustomerFigures(id, name, combined.Contract.Metrics, combined.Contract.Monthly, combined.Anomalies.Findings, combined.Anomalies.Events);
        return new CustomerRisk(figures, scope, latest, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<Dictionary<string, AnomalyReview>> ReviewsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AnomalyReviews.AsNoTracking().ToDictionaryAsync(r => r.AnomalyKey, StringComparer.Ordinal, ct);
    }

    private static IEnumerable<AnomalyRow> Rows(PortfolioRisk portfolio, Dictionary<string, AnomalyReview> reviews, DateTimeOffset? lastReview)
    {
        DateOnly? lastDay = lastReview is { } at ? DateOnly.FromDateTime(at.ToOffset(IndianTime.Offset).DateTime) : null;
        foreach (var c in portfolio.Customers)
        {
            foreach (var e in c.Figures.Events)
            {
                var key = AnomalyKey(c.Figures.CustomerId, c.Scope, e);
                reviews.TryGetValue(key, out var review);
                var state = review?.State ?? AnomalyReviewState.New;
                // A monthly event is known once its month has ended.
                var day = e.Day;
                yield return new AnomalyRow(key, c.Figures.CustomerId, c.Figures.Name, c.Scope, e.Period, day, e, state, review?.Reason,
                    review?.EscalationTarget, review?.ReviewerName, review?.ReviewedAt,
                    state == AnomalyReviewState.New && (lastDay is null || day > lastDay));
            }
        }
    }

    private static IOrderedEnumerable<AnomalyRow> Order<TKey>(IEnumerable<AnomalyRow> rows, Func<AnomalyRow, TKey> key, bool descending) =>
        (descending ? rows.OrderByDescending(key) : rows.OrderBy(key)).ThenBy(r => r.Key, StringComparer.Ordinal);

}

/// <summary>Where the risk cache stands: customers computed of those with data, whether a pass is running, when it last finished.</summary>
public sealed record RiskCacheState(int Done, int Total, bool Running, DateTimeOffset? WarmAt)
{
    /// <summary>Every customer's figures were computed by a finished pass and none is running.</summary>
    public bool Warm => !Running && WarmAt is not null;
}

/// <summary>
/// The risk figures' warm-up state: progress of a computing pass, one pass at a time, and the signal that wakes
/// <see cref="RiskCacheWarmer"/>. The figures themselves are parts of each customer's entry in the one
/// <see cref="AnalysisCache"/>, keyed by the consent gate's data stamp; this holds no figures and no stamp.
/// </summary>
public sealed class RiskCache
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Workers computing customers at once on a cold pass; the default is one per core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>How often the warm-up compares the stamps with the store when nobody signals a change.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    public RiskCacheState State { get; private set; } = new(0, 0, false, null);

    /// <summary>Raised on every progress step of a computing pass (from a worker thread).</summary>
    public event Action<RiskCacheState>? Changed;

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Completes at the next <see cref="Invalidate"/>: take it before a warm pass so a signal during the pass is not lost.</summary>
    internal Task ChangeSignal => Volatile.Read(ref _changed).Task;

    internal void Report(RiskCacheState state)
    {
        State = state;
        Changed?.Invoke(state);
    }

    /// <summary>Data changed (an import, a purge, a consent change): the warm-up recomputes now instead of at its next interval. Requests never wait for it: each reads the data stamp itself.</summary>
    public void Invalidate() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Forget the warm state (benchmarks and tests; clear the <see cref="AnalysisCache"/> too for a cold start).</summary>
    public void Clear() => Report(new RiskCacheState(0, 0, false, null));
}

public static class RiskServiceCollectionExtensions
{
    public static IServiceCollection AddRisk(this IServiceCollection services)
    {
        services.AddConsentGate();
        services.AddSingleton<RiskCache>();
        services.AddScoped<RiskService>();
        services.AddHostedService<RiskCacheWarmer>();
        services.AddScoped<Compliance.ComplianceService>();
        return services;
    }
}
