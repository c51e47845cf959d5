using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Collections;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Analytics;
using BookLoan = Msme.Domain.Collections.Loan;

using Msme.Portal.Features.Risk;

namespace Msme.Portal.Features.Collections;

/// <summary>
/// Smart Collect for the screens: the agent queue, a customer's collections panel, what-if, the portfolio simulation
/// and contact logging. Figures are computed from the stored AA data and loan book by the domain calculators; nothing
/// derived is stored except the append-only bucket history. Every forecast reads its statements through the consent
/// gate under the monitoring use and is kept in the customer's analysis entry (<see cref="AnalysisCache"/>), so the
/// queue, its exports and API, the customer's tabs and the loan book figures all see the same data stamp: a customer
/// whose consents no longer allow monitoring has no row in the queue and no forecast anywhere.
/// </summary>
public sealed partial class CollectionsService(
    IDbContextFactory<ApplicationDbContext> dbFactory, ConsentGate gate, TimeProvider clock, Compliance.AuditLog? audit = null,
    Risk.RiskService? risk = null, ForecastStore? store = null)
{
    public const int MaxPtpDaysAhead = 30;

    public async Task<QueuePage> QueueAsync(CollectionsViewer viewer, QueueQuery query, CancellationToken ct = default)
    {
        var (asOf, reason) = await AsOfAsync(ct);
        var customerIds = await VisibleCustomersWithLoansAsync(viewer, ct);
        var today = IndianTime.Today(clock);
        // Follow-ups of every customer the viewer may see, with loans or not (an escalation still needs the agent).
        var flags = await FlagsAsync(viewer.SeesAll ? null : await PortfolioAsync(viewer, ct), today, ct);
        var items = Flag(await ItemsAsync(customerIds, asOf, ct), flags);
        items.AddRange(await FollowUpOnlyRowsAsync(items, flags, today, ct));

        IEnumerable<QueueItem> q = items;
        if (query.Status is { } status) q = q.Where(i => i.Status == status);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            q = q.Where(i => i.CustomerName.Contains(term, StringComparison.OrdinalIgnoreCase) || i.LoanId.Contains(term, StringComparison.OrdinalIgnoreCase));
        }
        var narrowed = q.ToList();
        var counts = new QueueCounts(narrowed.Count, Count(QueueFilter.DueToday), Count(QueueFilter.Next7Days), Count(QueueFilter.Overdue),
            Count(QueueFilter.CallbacksDue), Count(QueueFilter.PromisesDueToday), Count(QueueFilter.BrokenPromises), Count(QueueFilter.Escalated));
        var filtered = narrowed.Where(i => Matches(i, query.Filter, asOf)).ToList();
        int Count(QueueFilter f) => narrowed.Count(i => Matches(i, f, asOf));
        Func<QueueItem, object> key = query.SortBy switch
        {
            "customer" => i => i.CustomerName,
            "loan" => i => i.LoanId,
            "due" => i => i.DueDate,
            "emi" => i => i.Emi,
            "probability" => i => i.Probability ?? -1,
            "dpd" => i => i.Dpd,
            "status" => i => i.Status,
            _ => i => i.RiskAmount,
        };
        // Rows without a statement (no probability) are their own group after the scored rows, whatever the sort:
        // their risk is unknown, not certain, so they never rank as if it were known.
        var grouped = filtered.OrderBy(i => i.Probability is null ? 1 : 0);
        var sorted = (query.Descending ? grouped.ThenByDescending(key) : grouped.ThenBy(key))
            .ThenBy(i => i.DueDate).ThenBy(i => i.LoanId, StringComparer.Ordinal).ThenBy(i => i.InstalmentNumber);
        var page = sorted.Skip(query.Page * query.PageSize).Take(query.PageSize).ToList();
        return new QueuePage(page, filtered.Count, asOf, reason, filtered.Sum(i => i.Emi), filtered.Sum(i => i.RiskAmount))
        {
            WithoutStatement = filtered.Count(i => i.Probability is null && !i.FollowUpOnly),
            Counts = counts,
            Today = today,
        };
    }

    /// <summary>Whether a row belongs under a filter chip.</summary>
    public static bool Matches(QueueItem i, QueueFilter filter, DateOnly asOf) => filter switch
    {
        QueueFilter.DueToday => i.DueDate == asOf,
        QueueFilter.Next7Days => i.DueDate >= asOf && i.DueDate <= asOf.AddDays(7),
        QueueFilter.Overdue => i.Status == CollectionStatus.Overdue,
        QueueFilter.CallbacksDue => i.Has(QueueFlagKind.CallbackDue),
        QueueFilter.PromisesDueToday => i.Has(QueueFlagKind.PromiseDueToday),
        QueueFilter.BrokenPromises => i.Has(QueueFlagKind.BrokenPromise),
        QueueFilter.Escalated => i.Has(QueueFlagKind.Escalated),
        _ => true,
    };

    /// <summary>
    /// A row for each customer with a follow-up but no instalment in the queue (nothing overdue, nothing due in 30 days):
    /// an escalation or a callback still needs the agent. Such a row has no loan figures; it is listed with the rows
    /// whose risk is unknown.
    /// </summary>
    private async Task<List<QueueItem>> FollowUpOnlyRowsAsync(List<QueueItem> items, Dictionary<int, List<(string? LoanId, QueueFlag Flag)>> flags, DateOnly today, CancellationToken ct)
    {
        var missing = new List<int>();
        foreach (var id in flags.Keys.Except(items.Select(i => i.CustomerId)))
        {
            // The consent rule holds here too: a customer whose consents do not allow monitoring now has no row at all.
            if (await LoadAsync(id, ct) is { Withheld: false }) missing.Add(id);
        }
        if (missing.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Customers.AsNoTracking().Where(c => missing.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.LegalName ?? c.AaHandle, ct);
        return [.. missing.Where(names.ContainsKey).Select(id => new QueueItem(id, names[id], 0, "", "", Mandate.None, 0, today, 0m, null, null, null,
            CollectionStatus.Scheduled, null, 0, DpdBucket.Current, [],
            ["no instalment of this customer is overdue or due in the next 30 days: the row is here for its follow-up"], [])
        {
            Flags = [.. flags[id].Select(f => f.Flag)],
            FollowUpOnly = true,
        })];
    }

    /// <summary>
    /// Puts each customer's flags on one of its rows: a flag about a loan on that loan's earliest-due row, a flag about
    /// the customer (or a loan with no row in the queue) on the customer's earliest-due row. One row per follow-up, so
    /// a chip's count is the number of things to do, not the number of instalments.
    /// </summary>
    private static List<QueueItem> Flag(List<QueueItem> items, Dictionary<int, List<(string? LoanId, QueueFlag Flag)>> flags)
    {
        if (flags.Count == 0) return items;
        var byRow = new Dictionary<QueueItem, List<QueueFlag>>(ReferenceEqualityComparer.Instance);
        foreach (var customer in items.GroupBy(i => i.CustomerId))
        {
            if (!flags.TryGetValue(customer.Key, out var mine)) continue;
            var first = customer.OrderBy(i => i.DueDate).ThenByDescending(i => i.RiskAmount).ThenBy(i => i.LoanId, StringComparer.Ordinal).ToList();
            foreach (var (loanId, flag) in mine)
            {
                var row = (loanId is null ? null : first.FirstOrDefault(i => i.LoanId == loanId)) ?? first[0];
                if (!byRow.TryGetValue(row, out var list)) byRow[row] = list = [];
                list.Add(flag);
            }
        }
        return [.. items.Select(i => byRow.TryGetValue(i, out var f) ? i with { Flags = f } : i)];
    }

    /// <summary>
    /// Follow-ups from the contact log (callbacks due, promises due today, broken promises; see <see cref="FollowUps"/>)
    /// and open agent follow-ups escalated by risk, for the visible customers. Read on every call (contacts and
    /// escalations change between data stamps); promises are judged against the customer's data through the gate.
    /// </summary>
    /// <param name="visible">The customers the viewer may see; null for every customer.</param>
    private async Task<Dictionary<int, List<(string? LoanId, QueueFlag Flag)>>> FlagsAsync(HashSet<int>? visible, DateOnly today, CancellationToken ct)
    {
        var result = new Dictionary<int, List<(string?, QueueFlag)>>();
        List<ContactLog> contacts;
        List<EscalationWorkItem> escalations;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var from = today.AddDays(-FollowUps.BrokenLookbackDays);
            var candidates = (await db.ContactLogs.AsNoTracking()
                .Where(c => (c.NextFollowUp != null && c.NextFollowUp <= today) || (c.Disposition == Disposition.PromiseToPay && c.PtpDate >= from && c.PtpDate <= today))
                .Select(c => c.CustomerId).Distinct().ToListAsync(ct)).Where(id => visible is null || visible.Contains(id)).ToList();
            contacts = candidates.Count == 0 ? [] : await db.ContactLogs.AsNoTracking().Where(c => candidates.Contains(c.CustomerId)).ToListAsync(ct);
            escalations = (await db.EscalationWorkItems.AsNoTracking().Where(w => w.Target == EscalationTarget.AgentFollowUp && w.DoneAt == null).ToListAsync(ct))
                .Where(w => visible is null || visible.Contains(w.CustomerId)).ToList();
        }
        escalations = [.. await WorkItemDisclosure.DiscloseAsync(gate, escalations, ct)];
        foreach (var customer in contacts.GroupBy(c => c.CustomerId))
        {
            foreach (var f in await FollowUpsAsync(customer.Key, [.. customer], today, ct))
            {
                Add(customer.Key, f.LoanId, ToFlag(f));
            }
        }
        foreach (var w in escalations.OrderBy(w => w.CreatedAt).ThenBy(w => w.Id))
        {
            Add(w.CustomerId, null, EscalationFlag(w));
        }
        return result;

        void Add(int customerId, string? loanId, QueueFlag flag)
        {
            if (!result.TryGetValue(customerId, out var list)) result[customerId] = list = [];
            list.Add((loanId, flag));
        }
    }

    private async Task<IReadOnlyList<FollowUp>> FollowUpsAsync(int customerId, IReadOnlyList<ContactLog> contacts, DateOnly today, CancellationToken ct)
    {
        var data = await LoadAsync(customerId, ct);
        if (data is null) return [];
        var loanIds = data.Loans.ToDictionary(l => l.Key, l => l.Domain.LoanId);
        var records = contacts.Select(c => new ContactRecord(c.Id, IndianTime.DateOf(c.At), c.LoanKey is { } k ? loanIds.GetValueOrDefault(k) : null,
            c.Disposition == Disposition.PromiseToPay, c.PtpDate, c.PtpAmountPaise is { } p ? LoanMapping.Rupees(p) : null, c.NextFollowUp)).ToList();
        return FollowUps.Due(records, [.. data.Loans.Select(l => l.Domain)], [.. data.Accounts.Select(a => a.Account)], today);
    }

    private static QueueFlag ToFlag(FollowUp f) => new(f.Kind switch
    {
        FollowUpKind.CallbackDue => QueueFlagKind.CallbackDue,
        FollowUpKind.PromiseDueToday => QueueFlagKind.PromiseDueToday,
        _ => QueueFlagKind.BrokenPromise,
    }, f.Date, f.Reasons);

    private static QueueFlag EscalationFlag(EscalationWorkItem w) => new(QueueFlagKind.Escalated, IndianTime.DateOf(w.CreatedAt),
        [
            WorkItemDisclosure.IsWithheld(w)
                ? $"escalated by {w.CreatedByName} on {IndianTime.DateOf(w.CreatedAt):yyyy-MM-dd} for agent follow-up"
                : $"escalated by {w.CreatedByName} on {IndianTime.DateOf(w.CreatedAt):yyyy-MM-dd} for agent follow-up: {w.Kind} {w.Period}, {w.Severity}, ₹{w.AmountPaise / 100m:0.00} out of line",
            w.Summary,
        ], w.Id, w.Note, w.CreatedByName);

    /// <summary>
    /// The agent marks an escalation from risk done, with what they did. Only agent follow-ups of a customer the viewer
    /// may see; the work item and its audit entry commit together. Answers the errors (none when done).
    /// </summary>
    public async Task<IReadOnlyList<string>> CompleteEscalationAsync(CollectionsViewer viewer, string name, long workItemId, string? outcome, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(outcome)) return ["say what was done (the outcome)"];
        if (outcome.Length > 500) return ["the outcome is limited to 500 characters"];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var item = await db.EscalationWorkItems.SingleOrDefaultAsync(w => w.Id == workItemId && w.Target == EscalationTarget.AgentFollowUp, ct);
        if (item is null || !await CanSeeAsync(viewer, item.CustomerId, ct)) return ["this escalation is not in your queue"];
        if (item.DoneAt is not null) return [];
        item.DoneAt = clock.GetUtcNow();
        item.DoneById = viewer.UserId;
        item.DoneByName = await db.Users.Where(u => u.Id == viewer.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? name;
        item.Outcome = outcome.Trim();
        await db.SaveChangesAsync(ct);
        if (audit is not null)
        {
            await audit.AppendAsync(db, new Compliance.AuditEvent(viewer.UserId, item.DoneByName, viewer.SeesAll ? "" : Msme.Domain.Roles.Agent,
                "work-item-closed", "/collections", item.CustomerId, $"{item.AnomalyKey}: {item.Target} done ({item.Outcome})"), ct);
        }
        await tx.CommitAsync(ct);
        return [];
    }

    /// <summary>The customer's loans, forecasts, reconciliation, risk signals and history; null when not visible to the viewer.</summary>
    public async Task<CustomerCollections?> CustomerAsync(CollectionsViewer viewer, int customerId, CancellationToken ct = default)
    {
        if (!await CanSeeAsync(viewer, customerId, ct)) return null;
        var (asOf, reason) = await AsOfAsync(ct);
        var data = await LoadAsync(customerId, ct);
        if (data is null) return null;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = data.Loans.Select(l => l.Key).ToList();
        var moves = (await db.BucketMoves.AsNoTracking().Where(m => keys.Contains(m.LoanKey)).OrderBy(m => m.MonthEnd).ThenBy(m => m.Id).ToListAsync(ct))
            .ToLookup(m => m.LoanKey);
        var loans = new List<LoanView>();
        var items = Compute(data, asOf, await EffectsAsync(asOf, ct));
        foreach (var l in data.Loans)
        {
            var (account, analysis, note) = data.AccountOf(l.Domain);
            List<QueueItem> upcoming = [.. items.Where(i => i.LoanKey == l.Key)];
            loans.Add(new LoanView(l.Key, l.Domain, Delinquency.Compute(l.Domain, asOf), upcoming,
                account is null ? null : LoanReconciler.Reconcile(l.Domain, account.Account), note,
                [.. moves[l.Key].Select(m => new BucketMoveView(m.MonthEnd, m.FromBucket, m.ToBucket, m.Dpd, m.Reason, m.RecordedAt))],
                account is null ? null : BalanceHistory.Of(account.Account, asOf, upcoming.Select(i => i.DueDate)), analysis?.Metrics.TypicalCreditDay,
                account?.Account.Holders.Select(h => h.Mobile).FirstOrDefault(m => !string.IsNullOrWhiteSpace(m))));
        }
        var signals = new List<(string, RiskSignal)>();
        foreach (var a in data.Accounts)
        {
            var analysis = data.Analysis(a);
            var onAccount = data.Loans.Select(l => l.Domain).Where(l => data.AccountOf(l).Account == a).ToList();
            // Unresolved anomalies are the customer's, counted below from the reviews, not per account's flagged months.
            foreach (var s in RiskSignals.Detect(analysis, onAccount, asOf, unresolvedAnomalies: 0))
                signals.Add((a.Account.MaskedAccNumber, s));
        }
        // "Unresolved anomalies" counts the review state of every anomaly event (all detectors) the risk queue shows:
        // acknowledged, dismissed and escalations whose follow-up is done are not unresolved.
        if (risk is not null && data.Accounts.Count > 0 && RiskSignals.UnresolvedAnomalies(await risk.CustomerAnomaliesAsync(customerId, ct)) is { } unresolved)
        {
            signals.Add((data.Accounts.Count == 1 ? data.Accounts[0].Account.MaskedAccNumber : Risk.RiskService.CombinedScope, unresolved));
        }

        var today = IndianTime.Today(clock);
        var loanIds = data.Loans.ToDictionary(l => l.Key, l => l.Domain);
        var contacts = await db.ContactLogs.AsNoTracking().Where(c => c.CustomerId == customerId).OrderByDescending(c => c.At).ThenByDescending(c => c.Id).ToListAsync(ct);
        var domainAccounts = data.Accounts.Select(a => a.Account).ToList();
        var views = contacts.Select(c =>
        {
            var loan = c.LoanKey is { } k ? loanIds.GetValueOrDefault(k) : null;
            PtpVerdict? verdict = c.Disposition == Disposition.PromiseToPay && c.PtpDate is { } d && c.PtpAmountPaise is { } p
                ? PromiseToPay.Evaluate(IndianTime.DateOf(c.At), d, LoanMapping.Rupees(p), loan is null ? [.. loanIds.Values] : [loan], domainAccounts, today)
                : null;
            return new ContactView(c.Id, c.At, c.AgentName, c.Disposition, loan?.LoanId, c.PtpDate,
                c.PtpAmountPaise is { } amount ? LoanMapping.Rupees(amount) : null, c.Notes, c.NextFollowUp, verdict);
        }).ToList();
        var flags = new List<QueueFlag>();
        flags.AddRange((await FollowUpsAsync(customerId, contacts, today, ct)).Select(ToFlag));
        var escalations = await db.EscalationWorkItems.AsNoTracking().Where(w => w.CustomerId == customerId && w.Target == EscalationTarget.AgentFollowUp && w.DoneAt == null)
            .ToListAsync(ct);
        flags.AddRange((await WorkItemDisclosure.DiscloseAsync(gate, [.. escalations.OrderBy(w => w.CreatedAt)], ct)).Select(EscalationFlag));
        var messages = (await db.OutboxMessages.AsNoTracking().Where(m => m.CustomerId == customerId).OrderByDescending(m => m.Id).ToListAsync(ct))
            .Select(m => new OutboxEntry(m.Id, m.CreatedAt, m.CreatedByName, m.Kind, m.LoanId, LoanMapping.Rupees(m.AmountPaise), m.Status)).ToList();
        return new CustomerCollections(customerId, data.Name, asOf, reason, loans, signals, views)
        {
            Summary = CollectionSummaries.Build([.. loans.Select(l => (l.Loan, l.Reconciliation))], asOf),
            Flags = flags,
            Messages = messages,
        };
    }

    /// <summary>Presenting the loan's next instalment on a chosen day through a chosen channel; null when not visible or no AA account matches.</summary>
    public async Task<WhatIfResult?> WhatIfAsync(CollectionsViewer viewer, int customerId, int loanKey, int day, PresentmentChannel channel, CancellationToken ct = default)
    {
        if (!await CanSeeAsync(viewer, customerId, ct)) return null;
        var (asOf, _) = await AsOfAsync(ct);
        var data = await LoadAsync(customerId, ct);
        var loan = data?.Loans.Where(l => l.Key == loanKey).Select(l => l.Domain).FirstOrDefault();
        if (data is null || loan is null) return null;
        var (account, analysis, _) = data.AccountOf(loan);
        return account is null ? null : WhatIf.Simulate(loan, account.Account, analysis!, day, channel, asOf);
    }

    /// <summary>Expected collection efficiency by bucket, due date vs recommended windows, over every loan in the store.</summary>
    public async Task<PortfolioSummary> PortfolioAsync(CancellationToken ct = default)
    {
        var (asOf, reason) = await AsOfAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customerIds = await db.Loans.Select(l => l.CustomerId).Distinct().ToListAsync(ct);
        var portfolio = new List<(BookLoan, Msme.Domain.Ingestion.DepositAccount, AccountAnalysis)>();
        var loans = 0;
        foreach (var id in customerIds)
        {
            var data = await LoadAsync(id, ct);
            if (data is null) continue;
            foreach (var l in data.Loans)
            {
                loans++;
                var (account, analysis, _) = data.AccountOf(l.Domain);
                if (account is not null) portfolio.Add((l.Domain, account.Account, analysis!));
            }
        }
        return new PortfolioSummary(asOf, reason, customerIds.Count, loans, PortfolioSimulation.Run(portfolio, asOf));
    }

    /// <summary>
    /// The loan book's portfolio figures (DPD distribution, roll rates, collection efficiency from the statements) over
    /// every loan in the store. Kept in the cache while the as-of date and every customer's stamp stay the same.
    /// </summary>
    public async Task<LoanBookSummary> LoanBookFiguresAsync(CancellationToken ct = default)
    {
        var (asOf, reason) = await AsOfAsync(ct);
        List<int> customerIds;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            customerIds = await db.Loans.Select(l => l.CustomerId).Distinct().OrderBy(id => id).ToListAsync(ct);
        }
        var analyses = await gate.AnalysesAsync(customerIds, ct);
        // The figures hold while every customer's entry (its data stamp) and the as-of date stay the same.
        var key = $"{asOf:yyyy-MM-dd}|{string.Join(';', customerIds.Select(id => analyses[id].Generation))}";
        if (gate.Cache.Portfolio<LoanBookSummary>("loan-book", key) is { } hit) return hit;

        // One customer at a time per worker, a bounded number of workers: each loads its accounts once for all its loans.
        var perCustomer = new (BookLoan Loan, Msme.Domain.Ingestion.DepositAccount? Account)[customerIds.Count][];
        await Parallel.ForEachAsync(Enumerable.Range(0, customerIds.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, async (k, token) =>
        {
            var data = await LoadAsync(analyses[customerIds[k]], token);
            perCustomer[k] = data is null ? [] : [.. data.Loans.Select(l => (l.Domain, data.AccountOf(l.Domain).Account?.Account))];
        });
        var loans = perCustomer.SelectMany(c => c).ToList();
        var summary = new LoanBookSummary(asOf, reason, customerIds.Count, LoanBookFigures.Build(loans, asOf));
        gate.Cache.SetPortfolio("loan-book", key, summary);
        return summary;
    }

    public async Task<ContactResult> LogContactAsync(CollectionsViewer viewer, string agentName, ContactInput input, CancellationToken ct = default)
    {
        var errors = new List<string>();
        var today = IndianTime.Today(clock);
        if (!await CanSeeAsync(viewer, input.CustomerId, ct)) return new(null, ["this customer is not in your portfolio"]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Data.Entities.Loan? loan = null;
        if (input.LoanKey is { } key)
        {
            loan = await db.Loans.AsNoTracking().FirstOrDefaultAsync(l => l.Id == key && l.CustomerId == input.CustomerId, ct);
            if (loan is null) errors.Add("the loan is not this customer's");
        }
        if (input.Disposition is not { } disposition)
        {
            errors.Add("choose a disposition");
        }
        else if (disposition == Disposition.PromiseToPay)
        {
            if (input.PtpDate is not { } d) errors.Add("a promise to pay needs a PTP date");
            else if (d < today) errors.Add($"the PTP date cannot be before today ({today:dd MMM yyyy})");
            else if (d > today.AddDays(MaxPtpDaysAhead)) errors.Add($"the PTP date must be within {MaxPtpDaysAhead} days ({today.AddDays(MaxPtpDaysAhead):dd MMM yyyy})");
            if (input.PtpAmount is not { } a) errors.Add("a promise to pay needs an amount");
            else if (a <= 0) errors.Add("the PTP amount must be more than ₹0");
            else if (decimal.Round(a, 2) != a) errors.Add("the PTP amount has at most 2 decimal places");
        }
        else if (input.PtpDate is not null || input.PtpAmount is not null)
        {
            errors.Add("a PTP date and amount go only with the PromiseToPay disposition");
        }
        if (input.Disposition == Disposition.Callback && input.NextFollowUp is null) errors.Add("a callback needs a follow-up date");
        if (input.NextFollowUp is { } f && f < today) errors.Add("the follow-up date cannot be before today");
        if (input.Notes is { Length: > 2000 }) errors.Add("notes are limited to 2,000 characters");
        if (errors.Count > 0) return new(null, errors);

        var row = new ContactLog
        {
            CustomerId = input.CustomerId,
            LoanKey = loan?.Id,
            AgentUserId = viewer.UserId,
            AgentName = await db.Users.Where(u => u.Id == viewer.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? agentName,
            At = clock.GetUtcNow(),
            Disposition = input.Disposition!.Value,
            PtpDate = input.PtpDate,
            PtpAmountPaise = input.PtpAmount is { } amount ? LoanMapping.Paise(amount) : null,
            Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim(),
            NextFollowUp = input.NextFollowUp,
        };
        // The contact (or promise) and its audit entry commit together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ContactLogs.Add(row);
        await db.SaveChangesAsync(ct);
        if (audit is not null)
        {
            await audit.AppendAsync(db, new Compliance.AuditEvent(viewer.UserId, row.AgentName, viewer.SeesAll ? "" : Msme.Domain.Roles.Agent,
                row.Disposition == Disposition.PromiseToPay ? "ptp" : "contact", "/collections", input.CustomerId,
                $"contact #{row.Id}: {row.Disposition}{(row.PtpDate is { } d ? $", PTP {d:yyyy-MM-dd} for {row.PtpAmountPaise / 100m:0.00}" : "")}"), ct);
        }
        await tx.CommitAsync(ct);
        return new(row.Id, []);
    }

    public async Task<bool> CanSeeAsync(CollectionsViewer viewer, int customerId, CancellationToken ct = default)
    {
        if (viewer.SeesAll) return true;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Customers.CustomerAccess.Portfolio(db, viewer.UserId).ContainsAsync(customerId, ct);
    }

    private async Task<HashSet<int>> PortfolioAsync(CollectionsViewer viewer, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return [.. await Customers.CustomerAccess.Portfolio(db, viewer.UserId).ToListAsync(ct)];
    }

    private async Task<List<int>> VisibleCustomersWithLoansAsync(CollectionsViewer viewer, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var withLoans = db.Loans.Select(l => l.CustomerId).Distinct();
        return viewer.SeesAll
            ? await withLoans.ToListAsync(ct)
            : await Customers.CustomerAccess.Portfolio(db, viewer.UserId).Where(id => withLoans.Contains(id)).ToListAsync(ct);
    }

    private async Task<List<QueueItem>> ItemsAsync(List<int> customerIds, DateOnly asOf, CancellationToken ct)
    {
        var analyses = await gate.AnalysesAsync(customerIds, ct);
        // The measured effects name the rows' part; after a restart their fingerprint comes from the store under the
        // effects' inputs, and the effects themselves (every instalment of the book read) only if some customer is computed.
        var effectsInput = await EffectsKeyAsync(asOf, ct);
        var effectsStamp = gate.Cache.Portfolio<Msme.Domain.Collections.Actions.ActionEffects>("action-effects", effectsInput.Key)?.Stamp
            ?? (store is null ? null : await store.ReadEffectsAsync(effectsInput.Key, ct));
        Msme.Domain.Collections.Actions.ActionEffects? measured = null;
        if (effectsStamp is null)
        {
            measured = await EffectsAsync(asOf, effectsInput, ct);
            effectsStamp = measured.Stamp;
            if (store is not null) await store.WriteEffectsAsync(effectsInput.Key, effectsInput.Version, effectsStamp, ct);
        }
        var effectsOnce = new Lazy<Task<Msme.Domain.Collections.Actions.ActionEffects>>(() => measured is not null ? Task.FromResult(measured) : EffectsAsync(asOf, effectsInput, CancellationToken.None));
        var part = $"queue:{asOf:yyyy-MM-dd}:{effectsStamp}";
        var persistKey = PersistKey(asOf, effectsStamp);
        // After a restart (or when another instance computed them) the rows come from the store, each under the stamp it
        // was computed from; only customers whose entry holds no rows yet are looked up, and only the rest are computed.
        var persisted = store is null
            ? []
            : await store.ReadAsync([.. customerIds.Select(id => analyses[id]).Where(a => a.Peek<IReadOnlyList<QueueItem>>(part) is null)], persistKey, ct);
        var fresh = new System.Collections.Concurrent.ConcurrentBag<(CustomerAnalysis, IReadOnlyList<QueueItem>)>();
        var perCustomer = new IReadOnlyList<QueueItem>[customerIds.Count];
        // Each customer's forecasts are a part of its analysis entry: computed once per data stamp and as-of date, by
        // a bounded number of workers, each loading its own accounts once for all its loans.
        await Parallel.ForEachAsync(Enumerable.Range(0, customerIds.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, async (k, token) =>
        {
            var analysis = analyses[customerIds[k]];
            perCustomer[k] = await analysis.GetAsync(part, async () =>
            {
                if (persisted.TryGetValue(analysis.CustomerId, out var stored)) return stored;
                var data = await LoadAsync(analysis, CancellationToken.None);
                // No row for a customer whose AA data may not be used for monitoring now (paused, revoked, expired,
                // another purpose, purged): the queue ranks by the bank data, and that data is withheld.
                var items = data is null || data.Withheld ? [] : (IReadOnlyList<QueueItem>)Compute(data, asOf, await effectsOnce.Value);
                fresh.Add((analysis, items));
                return items;
            }, heavy: null, token);
        });
        if (store is not null && !fresh.IsEmpty)
        {
            await store.WriteAsync([.. fresh], persistKey, clock.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
        }
        return [.. perCustomer.SelectMany(items => items)];
    }

    /// <summary>What persisted rows were computed with besides the stamp: the as-of date, the model and the measured action effects.</summary>
    private static string PersistKey(DateOnly asOf, string effectsStamp) => string.Create(CultureInfo.InvariantCulture,
        $"{asOf:yyyy-MM-dd}|{FittedCoefficients.Version}|{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(effectsStamp)))[..32]}");

    /// <summary>Every overdue or upcoming (30 days) instalment of the customer's loans that is not collected.</summary>
    private static List<QueueItem> Compute(CustomerData data, DateOnly asOf, Msme.Domain.Collections.Actions.ActionEffects effects)
    {
        var items = new List<QueueItem>();
        foreach (var l in data.Loans)
        {
            var loan = l.Domain;
            var delinquency = Delinquency.Compute(loan, asOf);
            var (account, analysis, note) = data.AccountOf(loan);
            if (account is null)
            {
                // No bank data to forecast from: the book alone says what is due.
                foreach (var i in loan.Instalments.Where(i => i.Outcome != InstalmentOutcome.Paid && i.DueDate <= asOf.AddDays(ForecastOptions.Default.HorizonDays)))
                {
                    var overdue = i.DueDate < asOf;
                    items.Add(new QueueItem(data.CustomerId, data.Name, l.Key, loan.LoanId, loan.Product, loan.Mandate, i.Number, i.DueDate, i.Amount,
                        null, null, null, overdue ? CollectionStatus.Overdue : CollectionStatus.Scheduled, null, delinquency.Dpd, delinquency.Bucket, [],
                        [note!, "no probability without a statement: risk counted as 1.00"], delinquency.Reasons));
                }
                continue;
            }
            foreach (var u in CollectionForecaster.ForecastAll(loan, analysis!, account.Account, asOf))
            {
                if (u.Status == CollectionStatus.Collected) continue;
                items.Add(new QueueItem(data.CustomerId, data.Name, l.Key, loan.LoanId, loan.Product, loan.Mandate, u.InstalmentNumber, u.DueDate, u.Amount,
                    u.RankingProbability, u.Window, u.ExpectedBalanceOnDueDate, u.Status, u.Confidence, delinquency.Dpd, delinquency.Bucket,
                    Recommender.Recommend(u, loan, analysis!, delinquency, effects), u.Reasons, delinquency.Reasons));
            }
        }
        return items;
    }

    private async Task<CustomerData?> LoadAsync(int customerId, CancellationToken ct) => await LoadAsync(await gate.AnalysisAsync(customerId, ct), ct);

    /// <summary>The customer's loans and monitoring statements under this entry's stamp (the loan book is part of the stamp).</summary>
    private async Task<CustomerData?> LoadAsync(CustomerAnalysis analysis, CancellationToken ct)
    {
        var loaded = await analysis.GetAsync("collections", async () =>
        {
            var customerId = analysis.CustomerId;
            await using var db = await dbFactory.CreateDbContextAsync();
            var customer = await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => new { c.AaHandle, c.LegalName }).FirstOrDefaultAsync();
            if (customer is null) return new Loaded(null);
            var rows = await db.Loans.AsNoTracking().Include(l => l.Instalments).Where(l => l.CustomerId == customerId).OrderBy(l => l.LoanId).ToListAsync();
            var accounts = rows.Count == 0 ? [] : await gate.StatementsAsync(analysis, Msme.Domain.Consent.DataUse.Monitoring);
            var withheld = analysis.Stamp.HasData && analysis.Stamp.Usable(Msme.Domain.Consent.DataUse.Monitoring).Count == 0;
            return new Loaded(new CustomerData(customerId, customer.LegalName ?? customer.AaHandle,
                [.. rows.Select(r => (r.Id, LoanMapping.ToDomain(r, customer.AaHandle)))], accounts, withheld));
        }, heavy: static loaded => loaded.Data is { } data ? ConsentGate.TransactionsIn(data.Accounts) : 0, ct);
        return loaded.Data;
    }

    private sealed record Loaded(CustomerData? Data);

    /// <summary>
    /// The date forecasts are made for: today (IST), or the day after the latest bank data when that is earlier. The
    /// book and the statements describe the world up to their last day; forecasting from a later today would call
    /// every instalment due since then overdue when nobody knows yet.
    /// </summary>
    private async Task<(DateOnly AsOf, string Reason)> AsOfAsync(CancellationToken ct)
    {
        var today = IndianTime.Today(clock);
        // Statement ends only move when an import writes an account, which bumps the global data stamp. MAX over the
        // accounts' statement ends has no index and scans every account (~50 ms at 14,000 accounts); the stamp is one seek.
        var key = (await gate.GlobalVersionAsync(ct)).ToString(CultureInfo.InvariantCulture);
        var known = gate.Cache.Portfolio<LastData>("last-data", key);
        if (known is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            known = new LastData(await db.Accounts.MaxAsync(a => a.StatementEnd, ct));
            gate.Cache.SetPortfolio("last-data", key, known);
        }
        var lastData = known.Day;
        var asOf = lastData is { } last && last.AddDays(1) < today ? last.AddDays(1) : today;
        var reason = asOf == today
            ? $"as of today, {today.ToString("dd MMM yyyy", CultureInfo.InvariantCulture)}"
            : $"as of {asOf.ToString("dd MMM yyyy", CultureInfo.InvariantCulture)}, the day after the latest bank data ({lastData!.Value.ToString("dd MMM yyyy", CultureInfo.InvariantCulture)}); today is {today.ToString("dd MMM yyyy", CultureInfo.InvariantCulture)}";
        return (asOf, reason);
    }

    private sealed record LastData(DateOnly? Day);

    /// <summary>One customer's loans and accounts, with each account analysed once and shared by its loans.</summary>
    /// <param name="withheld">The customer has AA data but none that monitoring may use now.</param>
    private sealed class CustomerData(int customerId, string name, IReadOnlyList<(int Key, BookLoan Domain)> loans, IReadOnlyList<StoredAccount> accounts, bool withheld)
    {
        public bool Withheld => withheld;

        private readonly ConcurrentDictionary<int, AccountAnalysis> _analyses = new();

        public int CustomerId => customerId;
        public string Name => name;
        public IReadOnlyList<(int Key, BookLoan Domain)> Loans => loans;
        public IReadOnlyList<StoredAccount> Accounts => accounts;

        public AccountAnalysis Analysis(StoredAccount a) => _analyses.GetOrAdd(a.AccountId, _ => CashflowAnalyzer.Analyze(a.Account));

        /// <summary>The account the loan is collected from: same masked number, and the same link reference when the book gives one.</summary>
        public (StoredAccount? Account, AccountAnalysis? Analysis, string? Note) AccountOf(BookLoan loan)
        {
            var account = accounts.FirstOrDefault(a => loan.IsCollectedFrom(a.Account));
            return account is null
                ? (null, null, withheld
                    ? "the customer's consents do not allow monitoring now (paused, revoked, expired, another purpose or purged): no forecast from their bank data"
                    : $"no AA account {loan.MaskedAccNumber} has been received for this customer")
                : (account, Analysis(account), null);
        }
    }
}
