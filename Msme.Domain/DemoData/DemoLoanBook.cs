using Msme.Domain.Collections;

namespace Msme.Domain.DemoData;

/// <summary>The lender's book view of a generated loan, the same values <see cref="DemoBundleWriter.WriteLoanBook"/> writes.</summary>
public static class DemoLoanBook
{
    public static Loan ToLoan(DemoCustomer customer, DemoLoan loan)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(loan);
        return new Loan
        {
            LoanId = loan.LoanId,
            Customer = customer.Customer.AaHandle,
            Lender = loan.Lender,
            Product = loan.Product,
            SanctionedAmount = loan.SanctionedAmount,
            Emi = loan.Emi,
            DueDay = loan.DueDay,
            TenureMonths = loan.TenureMonths,
            StartDate = loan.StartDate,
            Mandate = loan.Mandate switch
            {
                MandateType.ENach => Mandate.ENach,
                MandateType.UpiAutoPay => Mandate.UpiAutoPay,
                _ => Mandate.None,
            },
            MandateRef = loan.MandateRef,
            MaskedAccNumber = loan.MaskedAccNumber,
            LinkRefNumber = loan.LinkRefNumber,
            Instalments = [.. loan.Instalments.Select(i => new LoanInstalment(
                i.Number, i.DueDate, i.PresentedDate, i.Amount,
                i.Outcome switch
                {
                    DemoData.InstalmentOutcome.Paid => Collections.InstalmentOutcome.Paid,
                    DemoData.InstalmentOutcome.Bounced => Collections.InstalmentOutcome.Bounced,
                    DemoData.InstalmentOutcome.Partial => Collections.InstalmentOutcome.Partial,
                    DemoData.InstalmentOutcome.Missed => Collections.InstalmentOutcome.Missed,
                    _ => Collections.InstalmentOutcome.Pending,
                },
                i.PaidAmount)
            {
                Attempts = [.. i.Attempts.Select(a => new LoanAttempt(a.Date, a.Kind == AttemptKind.Presentment, a.Bounced, a.Amount, a.TxnId, a.ChargeTxnId))],
            })],
        };
    }

    /// <summary>Every loan of the customers with the account it is collected from.</summary>
    public static IEnumerable<(Loan Loan, Ingestion.DepositAccount Account)> Portfolio(IEnumerable<DemoCustomer> customers)
    {
        foreach (var c in customers)
        foreach (var l in c.Loans)
        {
            var account = c.Accounts.FirstOrDefault(a => a.MaskedAccNumber == l.MaskedAccNumber);
            if (account is not null) yield return (ToLoan(c, l), account);
        }
    }
}
