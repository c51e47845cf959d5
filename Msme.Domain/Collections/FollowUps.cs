using System.Globalization;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>What an agent has to do about a customer today, from the contacts logged so far.</summary>
public enum FollowUpKind
{
    /// <summary>The customer's latest contact asked for a follow-up on or before today.</summary>
    CallbackDue,
    /// <summary>A standing promise to pay falls due today and is not kept yet.</summary>
    PromiseDueToday,
    /// <summary>A promise's date has passed without a sufficient payment in the book or the statement.</summary>
    BrokenPromise,
}

/// <summary>One logged contact as the follow-up rules read it (the portal's contact log, without who logged it).</summary>
/// <param name="Day">The day (IST) the contact was logged.</param>
/// <param name="LoanId">The loan it was about; null for the customer as a whole.</param>
/// <param name="Promise">A promise to pay (then <paramref name="PtpDate"/> and <paramref name="PtpAmount"/> are set).</param>
public sealed record ContactRecord(long Id, DateOnly Day, string? LoanId, bool Promise, DateOnly? PtpDate, decimal? PtpAmount, DateOnly? NextFollowUp);

/// <summary>A follow-up due, with the contact that set it and the evidence.</summary>
/// <param name="Date">The follow-up or promise date.</param>
public sealed record FollowUp(FollowUpKind Kind, long ContactId, string? LoanId, DateOnly Date, IReadOnlyList<string> Reasons);

/// <summary>
/// Callbacks and promises due, and promises broken, for one customer on a day (docs/smart-collect-model.md, "The
/// agent's work"). Pure: the contacts, the customer's loans and its statements in; the follow-ups with reasons out.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Callback due: the customer's latest contact set a next follow-up on or before today. Any later contact answers
/// an earlier follow-up, so only the latest one counts; a missed callback stays due (with how many days late) until
/// someone contacts the customer again.</item>
/// <item>Promises: the latest promise per loan (per customer for promises about no loan) stands; a newer promise
/// replaces it. It is judged by <see cref="PromiseToPay.Evaluate"/> against the book and the statement: due today when
/// its date is today and it is not kept; broken when its date has passed (within <see cref="BrokenLookbackDays"/>) and
/// it was not kept.</item>
/// </list>
/// </remarks>
public static class FollowUps
{
    /// <summary>A promise broken longer ago than this is past the follow-up stage: the DPD bucket drives the work then.</summary>
    public const int BrokenLookbackDays = 30;

    public static IReadOnlyList<FollowUp> Due(IReadOnlyList<ContactRecord> contacts, IReadOnlyList<Loan> loans, IReadOnlyList<DepositAccount> accounts, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        ArgumentNullException.ThrowIfNull(loans);
        ArgumentNullException.ThrowIfNull(accounts);
        var inv = CultureInfo.InvariantCulture;
        var result = new List<FollowUp>();
        var ordered = contacts.OrderBy(c => c.Day).ThenBy(c => c.Id).ToList();

        if (ordered.Count > 0 && ordered[^1] is { NextFollowUp: { } next } latest && next <= today)
        {
            var late = today.DayNumber - next.DayNumber;
            result.Add(new(FollowUpKind.CallbackDue, latest.Id, latest.LoanId, next,
            [
                late == 0
                    ? string.Create(inv, $"contact of {latest.Day:yyyy-MM-dd} asked for a follow-up today ({next:yyyy-MM-dd})")
                    : string.Create(inv, $"contact of {latest.Day:yyyy-MM-dd} asked for a follow-up on {next:yyyy-MM-dd}: {late} day(s) late"),
                "no contact logged since",
            ]));
        }

        foreach (var promise in ordered.Where(c => c.Promise && c.PtpDate is not null && c.PtpAmount is not null)
                     .GroupBy(c => c.LoanId ?? "")
                     .Select(g => g.Last()))
        {
            var date = promise.PtpDate!.Value;
            if (date > today || date < today.AddDays(-BrokenLookbackDays)) continue;
            var onLoans = promise.LoanId is null ? loans : [.. loans.Where(l => l.LoanId == promise.LoanId)];
            var verdict = PromiseToPay.Evaluate(promise.Day, date, promise.PtpAmount!.Value, onLoans, accounts, today);
            if (verdict.State == PtpState.Kept) continue;
            var what = string.Create(inv, $"promise of {promise.Day:yyyy-MM-dd}: ₹{promise.PtpAmount:0.00} by {date:yyyy-MM-dd}{(promise.LoanId is { } id ? $" on {id}" : "")}");
            if (date == today)
            {
                result.Add(new(FollowUpKind.PromiseDueToday, promise.Id, promise.LoanId, date, [what, .. verdict.Reasons]));
            }
            else if (verdict.State == PtpState.Broken)
            {
                result.Add(new(FollowUpKind.BrokenPromise, promise.Id, promise.LoanId, date, [what, .. verdict.Reasons]));
            }
        }
        return result;
    }
}
