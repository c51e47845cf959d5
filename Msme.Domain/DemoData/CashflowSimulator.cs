using System.Globalization;
using System.Runtime.InteropServices;
using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Ingestion;

namespace Msme.Domain.DemoData;

/// <summary>The business facts that drive one customer's cashflow; fixed before the first day is simulated.</summary>
internal sealed class BusinessProfile
{
    public required DemoArchetype Archetype { get; init; }
    public required IncomeTrend Trend { get; init; }
    public required string LegalName { get; init; }
    public required string OwnerName { get; init; }
    public required bool Proprietor { get; init; }
    public required bool Company { get; init; }
    public required DemoNames.State State { get; init; }
    public required string City { get; init; }
    /// <summary>Typical monthly inflow in rupees before season and trend.</summary>
    public required decimal Turnover { get; init; }
    /// <summary>The balance the owner tries to keep; thin customers run close to the floor and bounce more.</summary>
    public required decimal TargetBalance { get; init; }
    public required bool GstRegistered { get; init; }
    public required decimal GstRate { get; init; }
}

/// <summary>
/// Simulates one customer day by day. Each day's lines are planned, sorted by time and then applied against the
/// running balance, so a short balance changes what happens (debits skipped or shrunk, EMIs returned) and every
/// posted line's balance is the previous balance plus or minus its amount.
/// </summary>
internal sealed partial class CashflowSimulator
{
    /// <summary>Owners keep this much headroom for discretionary spending; bank debits may use it.</summary>
    private const decimal Buffer = 1500m;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly DemoRandom rng;
    private readonly BusinessProfile p;
    private readonly List<AccountState> accounts;
    private readonly List<LoanState> loans;
    private readonly DateOnly start;
    private readonly DateOnly end;
    private readonly int days;
    private readonly double[] monthFactor;
    private readonly List<Planned> plan = new(64);
    private readonly List<Planned>?[] carry;
    private int seq;

    // Business-specific facts, drawn once.
    private readonly (string Name, string Vpa)[] payers;
    private readonly string[] suppliers;
    private readonly (string Name, string Ifsc, double Share, double PerMonth)[] buyers;
    private readonly (string Name, string Ifsc, decimal Retainer, int Day)[] clients;
    private readonly (string Name, decimal Amount, int Day)[] subscriptions;
    private readonly (string Name, string Ifsc, decimal Salary)[] employees;
    private readonly bool bulkPayroll;
    private readonly int payDay;
    private readonly DayOfWeek[] supplierDays;
    private readonly DayOfWeek[] cashDays;
    private readonly int upiPerDay;
    private readonly decimal upiTicket;
    private readonly double upiShare;
    private readonly double supplierShare;
    private readonly decimal rent;
    private readonly int rentDay;
    private readonly string landlord;
    private readonly decimal electricity;
    private readonly int electricityDay;
    private readonly string consumerNo;
    private readonly string cardMask;
    private readonly string np;
    private readonly int settlementEvery;
    private readonly int spikeDay;
    private readonly bool spikeCredit;
    private readonly decimal spikeAmount;
    private decimal cashAccumulated;
    private int nextSettlement;
    private readonly AnomalyPlan plant;
    private double[] seasons = [];

    /// <summary>The one-off credit as planned (day in the window, spent on an asset, amount), for the labels.</summary>
    public (int Day, bool SpentOnAsset, decimal Amount)? OneOff => spikeDay < 0 ? null : (spikeDay, !spikeCredit, spikeAmount);

    /// <summary>The season factor of each month of the window (before noise, trend and planted anomalies), for the labels.</summary>
    public double Season(int month) => seasons[month];

    public CashflowSimulator(DemoRandom rng, BusinessProfile profile, List<AccountState> accounts, List<LoanState> loans,
        DateOnly start, DateOnly end, AnomalyPlan? anomalies = null)
    {
        plant = anomalies ?? AnomalyPlan.None;
        this.rng = rng;
        p = profile;
        this.accounts = accounts;
        this.loans = loans;
        this.start = start;
        this.end = end;
        days = end.DayNumber - start.DayNumber + 1;
        carry = new List<Planned>?[days];
        monthFactor = MonthFactors();

        payers = new (string, string)[60];
        for (var i = 0; i < payers.Length; i++) payers[i] = Person();
        suppliers = new string[rng.Next(3, 7)];
        var supplierPool = p.Archetype == DemoArchetype.Manufacturer ? DemoNames.RawMaterialSuppliers : DemoNames.Suppliers;
        for (var i = 0; i < suppliers.Length; i++) suppliers[i] = rng.Pick(supplierPool);

        var buyerCount = p.Archetype == DemoArchetype.Trader ? rng.Next(6, 14) : rng.Next(3, 7);
        buyers = new (string, string, double, double)[buyerCount];
        double shareSum = 0;
        for (var i = 0; i < buyers.Length; i++)
        {
            var share = rng.Between(0.5, 2.0);
            shareSum += share;
            buyers[i] = (CompanyName(), Ifsc(), share, rng.Between(1, 3.5));
        }
        for (var i = 0; i < buyers.Length; i++) buyers[i].Share /= shareSum;

        clients = new (string, string, decimal, int)[rng.Next(3, 11)];
        var retainerTotal = p.Turnover * 0.85m;
        for (var i = 0; i < clients.Length; i++)
            clients[i] = (CompanyName(), Ifsc(), rng.Vary(retainerTotal / clients.Length, 0.5, 1000), rng.Next(1, 8));

        subscriptions = new (string, decimal, int)[rng.Next(2, 6)];
        for (var i = 0; i < subscriptions.Length; i++)
            subscriptions[i] = (rng.Pick(DemoNames.Saas), rng.Pick(new[] { 499m, 999m, 1180m, 1770m, 2360m, 4720m, 8850m }), rng.Next(1, 29));

        var employeeCount = p.Archetype switch
        {
            DemoArchetype.Manufacturer or DemoArchetype.ServiceFirm => p.Turnover switch
            {
                < 1_200_000m => rng.Next(3, 11),
                < 6_000_000m => rng.Next(10, 41),
                _ => rng.Next(40, 121),
            },
            _ => 0,
        };
        var payroll = p.Turnover * (decimal)(p.Archetype == DemoArchetype.ServiceFirm ? rng.Between(0.35, 0.45) : rng.Between(0.12, 0.18));
        employees = new (string, string, decimal)[employeeCount];
        for (var i = 0; i < employeeCount; i++)
            employees[i] = (Person().Name, Ifsc(), rng.Vary(payroll / Math.Max(1, employeeCount), 0.4, 100));
        bulkPayroll = employeeCount > 25 || rng.Chance(0.4);
        payDay = rng.Next(1, 8);

        supplierDays = rng.Chance(0.5) ? [DayOfWeek.Monday, DayOfWeek.Thursday] : [DayOfWeek.Tuesday, DayOfWeek.Friday, DayOfWeek.Saturday];
        cashDays = rng.Chance(0.5) ? [DayOfWeek.Monday] : [DayOfWeek.Tuesday, DayOfWeek.Friday];
        upiShare = p.Archetype == DemoArchetype.Kirana ? rng.Between(0.55, 0.75) : 0.15;
        upiPerDay = p.Archetype == DemoArchetype.Kirana ? rng.Next(6, 26) : rng.Next(1, 4);
        upiTicket = Math.Max(40m, Math.Round(p.Turnover * (decimal)upiShare / 30.4m / upiPerDay, 0));
        supplierShare = p.Archetype switch
        {
            DemoArchetype.Kirana => 0.80,
            DemoArchetype.Manufacturer => 0.55,
            DemoArchetype.ServiceFirm => 0.20,
            DemoArchetype.Trader => 0.10,
            _ => 0.60,
        };
        rent = rng.Chance(p.Archetype == DemoArchetype.Manufacturer ? 0.5 : 0.85)
            ? DemoRandom.RoundTo(p.Turnover * (decimal)rng.Between(0.02, 0.06), 500) : 0;
        rentDay = rng.Next(1, 6);
        landlord = Person().Name;
        electricity = DemoRandom.RoundTo(p.Turnover * (decimal)(p.Archetype == DemoArchetype.Manufacturer ? rng.Between(0.03, 0.07) : rng.Between(0.005, 0.015)), 10);
        electricityDay = rng.Next(8, 25);
        consumerNo = rng.Digits(12);
        cardMask = string.Concat(rng.Pick(new[] { "4", "5" }), rng.Digits(5), "XXXXXX", rng.Digits(4));
        np = rng.Pick(DemoNames.OndcNetworkParticipants);
        settlementEvery = rng.Next(2, 5);
        nextSettlement = rng.Next(0, settlementEvery);
        spikeDay = rng.Chance(0.4) ? rng.Next(20, Math.Max(21, days - 10)) : -1;
        spikeCredit = rng.Chance(0.6);
        spikeAmount = DemoRandom.RoundTo(Math.Max(309_000m, p.Turnover * (decimal)rng.Between(1.5, 4)), 1000);
        if (plant.OneOffAmount is { } planted)
        {
            spikeAmount = planted;
            if (spikeDay < 0) spikeDay = Math.Min(days - 11, Math.Max(20, days * 2 / 3));
        }
    }

    private AccountState Primary => accounts[0];

    /// <summary>How many of the last months decline, for a declining business.</summary>
    public int DeclineMonths { get; private set; }

    public void Run()
    {
        for (var d = 0; d < days; d++)
        {
            var date = start.AddDays(d);
            if (date.Day == 1 && d > 0)
            {
                foreach (var a in accounts)
                {
                    a.PrevMonthCredits = a.MonthCredits;
                    a.MonthCredits = 0;
                }
            }
            var month = (date.Year - start.Year) * 12 + date.Month - start.Month;
            var mf = monthFactor[month] * IncomeScale;

            plan.Clear();
            if (carry[d] is { } carried)
            {
                plan.AddRange(carried);
                carry[d] = null;
            }
            PlanBusiness(date, d, mf);
            PlanCommon(date, d, mf);
            PlanLoans(date, d);
            PlanTiming(date, d);
            plan.Sort(static (x, y) => x.Second != y.Second ? x.Second.CompareTo(y.Second) : x.Seq.CompareTo(y.Seq));

            var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), IndianTime.Offset);
            foreach (ref var item in CollectionsMarshal.AsSpan(plan)) Apply(date, d, dayStart, in item);

            var quarterEnd = date.Day == DateTime.DaysInMonth(date.Year, date.Month) && date.Month % 3 == 0;
            foreach (var a in accounts)
            {
                // Interest was credited today on the days before today; the next quarter starts tomorrow.
                a.QuarterBalanceSum = quarterEnd ? 0 : a.QuarterBalanceSum + a.Balance;
                a.QuarterDays = quarterEnd ? 0 : a.QuarterDays + 1;
            }
        }
    }

    // ---------- planning ----------

    private void Add(int day, int second, int account, Flow flow, Channel channel, decimal amount, string narration, string? reference,
        int loan = -1, int instalment = -1, int attempt = 0)
    {
        if (day >= days || amount <= 0) return; // beyond the window: the statement never shows it
        var item = new Planned
        {
            Second = Math.Clamp(second, 0, 86_399),
            Seq = seq++,
            Account = account,
            Flow = flow,
            Channel = channel,
            Amount = amount,
            Narration = narration,
            Reference = reference,
            Loan = loan,
            Instalment = instalment,
            Try = attempt,
        };
        if (day == currentDay) plan.Add(item);
        else (carry[day] ??= []).Add(item);
    }

    private int currentDay = -1;

    private static int Hours(double h) => (int)(h * 3600);

    private int Time(double fromHour, double toHour) => rng.Next(Hours(fromHour), Hours(toHour));

    private void PlanBusiness(DateOnly date, int d, double mf)
    {
        currentDay = d;
        var dow = date.DayOfWeek;
        var workday = dow != DayOfWeek.Sunday;
        switch (p.Archetype)
        {
            case DemoArchetype.Kirana:
            {
                var f = mf * (dow == DayOfWeek.Sunday ? 1.15 : dow == DayOfWeek.Saturday ? 1.08 : 1.0);
                var n = (int)Math.Round(upiPerDay * f * rng.Between(0.75, 1.25));
                for (var i = 0; i < n; i++) UpiReceipt(d, Time(7.5, 21.75), UpiTicket());
                cashAccumulated += p.Turnover * (decimal)((1 - upiShare) * f / 30.4);
                if (Array.IndexOf(cashDays, dow) >= 0)
                {
                    var cash = DemoRandom.RoundTo(cashAccumulated * (decimal)rng.Between(0.85, 1.0), 100);
                    cashAccumulated = 0;
                    CashDeposit(d, cash);
                }
                if (Array.IndexOf(supplierDays, dow) >= 0)
                    SupplierPayment(d, p.Turnover * (decimal)(supplierShare * mf) / (supplierDays.Length * 4.33m));
                if (rng.Chance(0.05))
                    Add(d, Time(8, 22), 0, Flow.Discretionary, Channel.Atm, rng.Next(4, 21) * 500m,
                        $"NFS/CASH WDL/{date:dd-MM-yy}/{rng.Digits(6)}/{p.City.ToUpperInvariant()}", rng.Digits(12));
                break;
            }
            case DemoArchetype.Manufacturer:
            {
                if (workday)
                {
                    foreach (var b in buyers)
                    {
                        if (!rng.Chance(b.PerMonth / 25)) continue;
                        var amount = Paise(p.Turnover * (decimal)(b.Share * mf / b.PerMonth * rng.Between(0.6, 1.4)));
                        B2bReceipt(d, b.Name, b.Ifsc, amount, $"INV{rng.Digits(5)}");
                    }
                    if (Array.IndexOf(supplierDays, dow) >= 0)
                        SupplierPayment(d, p.Turnover * (decimal)(supplierShare * mf) / (supplierDays.Length * 4.33m));
                    if (rng.Chance(0.03))
                        Add(d, Time(11, 16), 0, Flow.Credit, Channel.Cash, rng.Next(10, 80) * 500m,
                            $"CASH DEP/{Primary.Branch}/SCRAP SALE", "CSH" + rng.Digits(8));
                }
                Payroll(date, d);
                break;
            }
            case DemoArchetype.ServiceFirm:
            {
                foreach (var c in clients)
                {
                    if (ShiftedDay(date, c.Day) != date) continue;
                    if (p.Trend == IncomeTrend.Volatile && rng.Chance(0.15)) continue; // a client paid late or not at all
                    B2bReceipt(d, c.Name, c.Ifsc, Paise(c.Retainer * (decimal)(mf * rng.Between(0.9, 1.1))), $"RETAINER {Mon(date.AddMonths(-1))}");
                }
                if (workday && rng.Chance(0.04))
                    B2bReceipt(d, rng.Pick(clients).Name, Ifsc(), Paise(p.Turnover * (decimal)rng.Between(0.1, 0.4)), $"PROJECT {rng.Digits(4)}");
                foreach (var s in subscriptions)
                    if (date.Day == s.Day)
                        Add(d, Time(0, 23.9), 0, Flow.Discretionary, Channel.Card, s.Amount, $"POS {cardMask} {s.Name}", rng.Digits(12));
                if (dow == DayOfWeek.Friday)
                    SupplierPayment(d, p.Turnover * (decimal)(supplierShare * mf) / 4.33m, vendorsAreFreelancers: true);
                Payroll(date, d);
                break;
            }
            case DemoArchetype.Trader:
            {
                if (!workday) break;
                var n = rng.Next(1, 5);
                for (var i = 0; i < n; i++)
                {
                    var b = rng.Pick(buyers);
                    var amount = Paise(p.Turnover * (decimal)(mf / (25 * 2.5) * rng.Between(0.5, 1.5)));
                    var t = Time(9.5, 17.5);
                    TraderTransfer(d, t, b.Name, b.Ifsc, amount, credit: true);
                    if (rng.Chance(0.85)) // the same goods move on: a payment of similar size the same or next day
                    {
                        var later = rng.Chance(0.6) ? (d, t + rng.Next(600, 14_400)) : (d + 1, Time(9.5, 17.5));
                        TraderTransfer(later.Item1, later.Item2, rng.Pick(suppliers), Ifsc(),
                            Paise(amount * (decimal)rng.Between(0.93, 0.995)), credit: false);
                    }
                }
                break;
            }
            case DemoArchetype.OndcSeller:
            {
                if (d == nextSettlement)
                {
                    nextSettlement += settlementEvery + rng.Next(0, 2);
                    var amount = Paise(p.Turnover * (decimal)(0.85 * mf * settlementEvery / 30.4 * rng.Between(0.75, 1.25)));
                    if (rng.Chance(0.75))
                        Add(d, Time(10, 18), 0, Flow.Credit, Channel.Neft, amount,
                            $"NEFT-{Utr('N', date)}-ONDC SETTLEMENT-{np}", null);
                    else
                    {
                        var rrn = Rrn();
                        Add(d, Time(10, 18), 0, Flow.Credit, Channel.Upi, amount,
                            $"UPI/{rrn}/ondc settlement/{np.ToLowerInvariant()}@{rng.Pick(DemoNames.Psps)}/{rng.Pick(DemoNames.PayeeBankNames)}", rrn);
                    }
                    if (rng.Chance(0.15))
                        Add(d, Time(18, 22), 0, Flow.Discretionary, Channel.Bank, rng.Rupees(150, 3500),
                            $"ONDC REFUND ADJ/{np}/ORD{rng.Digits(10)}", rng.Digits(10));
                }
                var direct = rng.Next(0, 4);
                for (var i = 0; i < direct; i++) UpiReceipt(d, Time(9, 21.5), UpiTicket());
                if (dow == DayOfWeek.Wednesday)
                {
                    SupplierPayment(d, p.Turnover * (decimal)(supplierShare * mf) / 4.33m);
                    Add(d, Time(10, 20), 0, Flow.Discretionary, Channel.BillPay, Paise(p.Turnover * (decimal)(0.05 * mf / 4.33)),
                        $"BIL/ONL/{rng.Digits(12)}/{rng.Pick(DemoNames.Couriers)}/{rng.Digits(8)}", rng.Digits(12));
                }
                break;
            }
        }
    }

    private void PlanCommon(DateOnly date, int d, double mf)
    {
        var mon = Mon(date);
        if (rent > 0 && ShiftedDay(date, rentDay) == date)
        {
            var rrn = Rrn();
            Add(d, Time(9, 20), 0, Flow.Discretionary, Channel.Imps, rent, $"MMT/IMPS/{rrn}/RENT {mon}/{landlord.ToUpperInvariant()}/{Ifsc()}", rrn);
        }
        if (date.Day == electricityDay)
            Add(d, Time(9, 22), 0, Flow.Discretionary, Channel.BillPay, rng.Vary(electricity * (decimal)Math.Sqrt(mf), 0.15, 1),
                $"BIL/BPAY/{rng.Digits(12)}/{p.State.Board}/{consumerNo}", rng.Digits(12));
        if (p.GstRegistered && date.Day == 19 && d >= 28)
        {
            var gst = DemoRandom.RoundTo(Primary.PrevMonthCredits * p.GstRate, 1);
            var narration = rng.Chance(0.6) ? $"GST/CPIN/{rng.Digits(14)}" : $"GSTN PAYMENT/CPIN {rng.Digits(14)}";
            Add(d, Time(10, 19), 0, Flow.Discretionary, Channel.Bank, gst, narration, rng.Digits(14));
        }
        // Owners sweep what the business does not need: to their own savings account when they have one here.
        if (date.Day == 27)
        {
            var surplus = Primary.Balance - p.TargetBalance * 1.5m;
            var drawing = DemoRandom.RoundTo(Math.Max(0, surplus * 0.7m) + p.Turnover * 0.02m, 1000);
            if (accounts.Count > 1 && !p.Company)
            {
                var t = Time(12, 20);
                Add(d, t, 0, Flow.Discretionary, Channel.Bank, drawing, $"TRF TO {accounts[1].Masked}/SELF", null);
            }
            else if (p.Company)
            {
                var rrn = Rrn();
                Add(d, Time(12, 20), 0, Flow.Discretionary, Channel.Imps, drawing,
                    $"MMT/IMPS/{rrn}/DIRECTOR REMUNERATION/{p.OwnerName.ToUpperInvariant()}/{Ifsc()}", rrn);
            }
            else
            {
                var rrn = Rrn();
                Add(d, Time(12, 20), 0, Flow.Discretionary, Channel.Imps, drawing, $"MMT/IMPS/{rrn}/SELF/{p.OwnerName.ToUpperInvariant()}/{Ifsc()}", rrn);
            }
        }
        if (d == spikeDay)
        {
            // A one-off: money comes in (property sale, capital, claim, advance) and is sometimes spent on an asset days later.
            var why = rng.Pick(SpikeReasons);
            Add(d, Time(11, 16), 0, Flow.Credit, Channel.Rtgs, spikeAmount,
                $"RTGS/{Utr('R', date)}/{(why == "CAPITAL INTRODUCED" ? p.OwnerName.ToUpperInvariant() : CompanyName())}/{why}", null);
            if (!spikeCredit) AssetPurchase(d + rng.Next(2, 12), spikeAmount * (decimal)rng.Between(0.6, 0.95));
        }
        if (d == plant.RoundTripDay) RoundTrip(date, d);
        if (p.Archetype == DemoArchetype.Kirana && date.Day == 3 && Primary.PrevMonthCredits > 400_000m)
            Add(d, Time(20, 23), 0, Flow.BankDebit, Channel.Bank, DemoRandom.RoundTo(Primary.PrevMonthCredits * 0.0004m * 1.18m, 0.01m),
                $"CHRG/CASH HANDLING CHGS {Mon(date.AddMonths(-1))}{date.AddMonths(-1):yy}", null);

        for (var ai = 0; ai < accounts.Count; ai++)
        {
            var a = accounts[ai];
            var quarterEnd = date.Day == DateTime.DaysInMonth(date.Year, date.Month) && date.Month % 3 == 0;
            if (quarterEnd && a.SubType == "SAVINGS" && a.QuarterDays > 0)
            {
                // Savings interest on the average daily balance, as banks credit it at the quarter's end.
                var average = a.QuarterBalanceSum / a.QuarterDays;
                var interest = Math.Round(Math.Max(0, average) * 0.027m * a.QuarterDays / 365m, 2, MidpointRounding.AwayFromZero);
                var from = date.AddDays(-(a.QuarterDays));
                Add(d, Time(21, 23.5), ai, Flow.Credit, Channel.Bank, interest,
                    $"Int.Pd:{a.Masked}:{from:dd-MM-yyyy} to {date:dd-MM-yyyy}", null);
            }
            if (date.Day == 5 && date.Month % 3 == 1)
                Add(d, Time(20, 23), ai, Flow.BankDebit, Channel.Bank, rng.Pick(SmsCharges),
                    $"CHRG/SMS ALERT CHGS {Mon(date.AddMonths(-3))}-{Mon(date.AddMonths(-1))}{date.AddMonths(-1):yy}", null);
            if (date.Month == a.OpeningDate.Month && date.Day == Math.Min(a.OpeningDate.Day, 28))
                Add(d, Time(20, 23), ai, Flow.BankDebit, Channel.Bank, 236m, $"CHRG/DEBIT CARD ANNUAL FEE {date:yyyy}", null);
            if (ai > 0) PlanPersonal(date, d, ai);
        }
    }

    /// <summary>The owner's own savings account: family spending, some cash, an occasional credit.</summary>
    private void PlanPersonal(DateOnly date, int d, int ai)
    {
        var a = accounts[ai];
        if (rng.Chance(0.45))
        {
            var shop = rng.Pick(Shops);
            var rrn = Rrn();
            Add(d, Time(8, 23), ai, Flow.Discretionary, Channel.Upi, rng.Rupees(80, 4500), UpiLine(a, rrn, shop, $"{Slug(shop)}@{rng.Pick(DemoNames.Psps)}", "PAYMENT"), rrn);
        }
        if (date.Day == 10 && rng.Chance(0.7))
            Add(d, Time(9, 21), ai, Flow.Discretionary, Channel.Atm, rng.Next(4, 21) * 500m,
                $"NFS/CASH WDL/{date:dd-MM-yy}/{rng.Digits(6)}/{p.City.ToUpperInvariant()}", rng.Digits(12));
        if (rng.Chance(0.02))
        {
            var who = rng.Pick(payers);
            var rrn = Rrn();
            Add(d, Time(8, 22), ai, Flow.Credit, Channel.Upi, rng.Rupees(500, 15000), UpiLine(a, rrn, who.Name.ToUpperInvariant(), who.Vpa, "FAMILY"), rrn);
        }
    }

    private void PlanLoans(DateOnly date, int d)
    {
        for (var li = 0; li < loans.Count; li++)
        {
            var loan = loans[li];
            if (loan.Account < 0) continue; // collected from an account the AA data does not cover
            if (loan.Start == date && date >= start)
            {
                var fee = DemoRandom.RoundTo(loan.Principal * 0.0177m, 1); // 1.5% processing fee plus GST
                Add(d, Time(11, 17), loan.Account, Flow.Credit, Channel.Neft, loan.Principal - fee,
                    $"NEFT-{Utr('N', date)}-{loan.Lender}-LOAN DISB {loan.LoanId}-{Ifsc()}", null);
                if (loan.Product is "Machinery Loan" or "Commercial Vehicle Loan")
                    AssetPurchase(d + rng.Next(1, 6), loan.Principal * (decimal)rng.Between(0.9, 1.0));
            }
            for (var i = 0; i < loan.Action.Length; i++)
            {
                if (loan.Action[i] != date || loan.Due[i] < start) continue;
                switch (loan.Mandate)
                {
                    case MandateType.ENach:
                        PlanPresentment(d, li, i, 0);
                        break;
                    case MandateType.UpiAutoPay:
                        Add(d, Time(9, 12), loan.Account, Flow.Presentment, Channel.Upi, loan.Emi, "", null, li, i);
                        break;
                    default:
                        Add(d, Time(10, 20), loan.Account, Flow.ManualEmi, Channel.Imps, loan.Emi, "", null, li, i);
                        break;
                }
            }
        }
    }

    private void PlanPresentment(int d, int li, int i, int attempt, DemoRandom? r = null)
    {
        r ??= rng;
        var loan = loans[li];
        Add(d, r.Next(Hours(4.5), Hours(8.5)), loan.Account, Flow.Presentment, Channel.Nach, loan.Emi, "", loan.MandateRef, li, i, attempt);
        // Returns are charged the same evening or the next day, as the feeds show.
        // On the window's last day the charge stays on that day, so every return inside the window shows its charge.
        if (r.Chance(0.5) || d + 1 >= days) Add(d, r.Next(Hours(18), Hours(23.5)), loan.Account, Flow.ChargeSlot, Channel.Bank, accounts[loan.Account].BounceCharge, "", null, li, i);
        else Add(d + 1, r.Next(Hours(9), Hours(20)), loan.Account, Flow.ChargeSlot, Channel.Bank, accounts[loan.Account].BounceCharge, "", null, li, i);
    }

    private static readonly string[] SpikeReasons = ["CAPITAL INTRODUCED", "SALE OF PROPERTY", "INSURANCE CLAIM SETTLEMENT", "ADVANCE AGAINST ORDER"];
    private static readonly string[] Assets = ["MACHINERY PURCHASE", "VEHICLE PURCHASE", "SHOP RENOVATION", "SOLAR PLANT"];
    private static readonly string[] Shops = ["BIGBASKET", "SWIGGY", "ZOMATO", "DMART", "RELIANCE SMART", "APOLLO PHARMACY", "INDIAN OIL", "AMAZON PAY", "FLIPKART"];
    private static readonly string[] CompanySuffixes = ["PVT LTD", "LLP", "LTD", "AND CO"];
    private static readonly decimal[] SmsCharges = [17.70m, 23.60m, 29.50m];

    /// <summary>A planted round trip: an advance in from a company and the same amount back to it days later (see <see cref="AnomalyPlan"/>).</summary>
    private void RoundTrip(DateOnly date, int d)
    {
        var name = CompanyName();
        var ifsc = Ifsc();
        var amount = DemoRandom.RoundTo(Math.Max(50_000m, p.Turnover * (decimal)plant.RoundTripShare), 1000);
        var back = d + plant.RoundTripGap;
        Add(d, Time(10, 15), 0, Flow.Credit, Channel.Neft, amount, $"NEFT-{Utr('N', date)}-{name}-GOODS-{ifsc}", AnomalyPlan.RoundTripMark + rng.Digits(10));
        Add(back, Time(10, 15), 0, Flow.Discretionary, Channel.Neft, amount,
            $"NEFT DR-{ifsc}-{name}-NETBANK, MUM-{Utr('N', start.AddDays(Math.Min(back, days - 1)))}-GOODS", AnomalyPlan.RoundTripMark + rng.Digits(10));
    }

    private void AssetPurchase(int day, decimal amount)
    {
        var date = start.AddDays(Math.Min(day, days - 1));
        Add(day, Time(11, 16), 0, Flow.Discretionary, Channel.Rtgs, DemoRandom.RoundTo(amount, 1000),
            $"RTGS DR-{Ifsc()}-{CompanyName()}-{Utr('R', date)}-{rng.Pick(Assets)}", null);
    }

    // ---------- applying ----------

    private void Apply(DateOnly date, int d, DateTimeOffset dayStart, in Planned item)
    {
        var a = accounts[item.Account];
        switch (item.Flow)
        {
            case Flow.Credit:
                Post(a, dayStart, date, item, TxnType.Credit, item.Amount, item.Narration);
                a.MonthCredits += item.Amount;
                RecoverCharges(a, dayStart, date, item);
                break;
            case Flow.Discretionary:
                if (a.Balance - item.Amount >= a.Floor + Buffer)
                {
                    Post(a, dayStart, date, item, TxnType.Debit, item.Amount, item.Narration);
                    if (item.Narration.StartsWith("TRF TO ", StringComparison.Ordinal))
                        Post(accounts[1], dayStart, date, item, TxnType.Credit, item.Amount, $"TRF FROM {a.Masked}/SELF");
                }
                break;
            case Flow.Shrinkable:
            {
                var available = DemoRandom.RoundTo(Math.Min(item.Amount, a.Balance - a.Floor - Buffer), 100);
                if (available >= item.Amount * 0.3m && available > 0)
                    Post(a, dayStart, date, item, TxnType.Debit, Math.Min(available, item.Amount), item.Narration);
                break;
            }
            case Flow.BankDebit:
                if (a.Balance - item.Amount >= a.Floor) Post(a, dayStart, date, item, TxnType.Debit, item.Amount, item.Narration);
                else a.PendingCharges.Add(new PendingCharge(item.Amount, item.Narration, -1, -1, -1));
                break;
            case Flow.Presentment:
                Present(a, date, d, dayStart, item);
                break;
            case Flow.ChargeSlot:
            {
                var loan = loans[item.Loan];
                var attempt = loan.AwaitingCharge[item.Instalment];
                if (attempt < 0) break;
                loan.AwaitingCharge[item.Instalment] = -1;
                var narration = a.NachDr ? $"NACH RETURN CHARGES/{loan.MandateRef} INCL GST" : $"ACH RTN CHRG/{loan.Lender}/{loan.MandateRef}";
                if (a.Balance - item.Amount >= a.Floor)
                {
                    var id = Post(a, dayStart, date, item, TxnType.Debit, item.Amount, narration);
                    loan.Attempts[item.Instalment][attempt] = loan.Attempts[item.Instalment][attempt] with { ChargeTxnId = id };
                }
                else a.PendingCharges.Add(new PendingCharge(item.Amount, narration, item.Loan, item.Instalment, attempt));
                break;
            }
            case Flow.ManualEmi:
                PayByHand(a, date, d, dayStart, item);
                break;
            case Flow.Sweep:
                Sweep(a, date, dayStart, item);
                break;
            case Flow.TopUp:
                TopUp(a, date, dayStart, item);
                break;
        }
    }

    private void Present(AccountState a, DateOnly date, int d, DateTimeOffset dayStart, in Planned item)
    {
        var loan = loans[item.Loan];
        var i = item.Instalment;
        var due = loan.Emi - loan.Paid[i];
        if (due <= 0) return;
        var attempts = loan.Attempts[i];
        if (a.Balance - due >= a.Floor + Buffer)
        {
            string narration;
            if (loan.Mandate == MandateType.UpiAutoPay)
            {
                var rrn = Rrn();
                narration = $"UPI/{rrn}/{loan.Lender} EMI/{loan.LenderVpa}/AUTOPAY {loan.MandateRef}";
            }
            else narration = a.NachDr ? $"NACH-DR-{loan.Lender}-{loan.MandateRef}" : $"ACH/{loan.Lender}/{loan.MandateRef}";
            var id = Post(a, dayStart, date, item, TxnType.Debit, due, narration);
            loan.Paid[i] += due;
            attempts.Add(new DemoAttempt(date, AttemptKind.Presentment, false, due, id, null));
            return;
        }
        attempts.Add(new DemoAttempt(date, AttemptKind.Presentment, true, due, null, null));
        if (loan.Mandate == MandateType.ENach) loan.AwaitingCharge[i] = attempts.Count - 1;
        // NPCI (NACH circulars 2023-24/007, /012, /014): one presentation plus at most two re-presentations, each at
        // least 3 days after the return and only once the customer confirms the balance. Customers who confirm often
        // bring money in first (cash at the branch, or UPI from a personal account); others pay part by hand.
        // Drawn from the timing stream (tr), so the rest of the customer's lines keep their draws.
        if (item.Try < 2 && tr.Chance(0.55))
        {
            var again = SkipSunday(date.AddDays(tr.Next(3, 8)));
            var day = again.DayNumber - start.DayNumber;
            if (tr.Chance(0.6))
                Add(day - tr.Next(1, 3), tr.Next(Hours(10), Hours(16)), loan.Account, Flow.TopUp, Channel.Cash, DemoRandom.RoundTo(due * (decimal)tr.Between(0.5, 1.3), 100), "", null, item.Loan, i);
            if (loan.Mandate == MandateType.ENach) PlanPresentment(day, item.Loan, i, item.Try + 1, tr);
            else Add(day, tr.Next(Hours(9), Hours(12)), loan.Account, Flow.Presentment, Channel.Upi, due, "", null, item.Loan, i, item.Try + 1);
        }
        else if (tr.Chance(0.5))
            Add(d + tr.Next(2, 11), tr.Next(Hours(10), Hours(20)), loan.Account, Flow.ManualEmi, Channel.Imps, due, "", null, item.Loan, i, 1);
    }

    private void PayByHand(AccountState a, DateOnly date, int d, DateTimeOffset dayStart, in Planned item)
    {
        var loan = loans[item.Loan];
        var i = item.Instalment;
        var due = loan.Emi - loan.Paid[i];
        if (due <= 0) return;
        var available = a.Balance - a.Floor - Buffer;
        var pay = available >= due ? due : available >= due * 0.4m ? DemoRandom.RoundTo(available * 0.9m, 100) : 0;
        if (pay > 0)
        {
            string narration;
            string? reference;
            var rrn = Rrn();
            if (rng.Chance(0.5))
            {
                narration = $"MMT/IMPS/{rrn}/EMI {loan.LoanId}/{loan.Lender}/{Ifsc()}";
                reference = rrn;
            }
            else
            {
                narration = UpiLine(a, rrn, loan.Lender, loan.LenderVpa, $"EMI {loan.LoanId}");
                reference = rrn;
            }
            var channel = narration.StartsWith("MMT", StringComparison.Ordinal) ? Channel.Imps : Channel.Upi;
            var id = Post(a, dayStart, date, item with { Channel = channel, Reference = reference }, TxnType.Debit, pay, narration);
            loan.Paid[i] += pay;
            loan.Attempts[i].Add(new DemoAttempt(date, AttemptKind.ManualPayment, false, pay, id, null));
        }
        if (loan.Paid[i] < loan.Emi && item.Try < 2)
            Add(d + rng.Next(3, 9), Time(10, 20), item.Account, Flow.ManualEmi, Channel.Imps, loan.Emi - loan.Paid[i], "", null, item.Loan, i, item.Try + 1);
    }

    private void RecoverCharges(AccountState a, DateTimeOffset dayStart, DateOnly date, in Planned after)
    {
        while (a.PendingCharges.Count > 0 && a.Balance - a.PendingCharges[0].Amount >= a.Floor)
        {
            var c = a.PendingCharges[0];
            a.PendingCharges.RemoveAt(0);
            var id = Post(a, dayStart, date, after with { Channel = Channel.Bank, Reference = null }, TxnType.Debit, c.Amount, c.Narration);
            if (c.Loan >= 0)
            {
                var list = loans[c.Loan].Attempts[c.Instalment];
                list[c.Attempt] = list[c.Attempt] with { ChargeTxnId = id };
            }
        }
    }

    private string Post(AccountState a, DateTimeOffset dayStart, DateOnly date, in Planned item, TxnType type, decimal amount, string narration)
    {
        a.Balance += type == TxnType.Credit ? amount : -amount;
        a.Seq += rng.Next(1, 40);
        var id = a.Bank.TxnPrefix + a.Seq.ToString(Inv);
        a.Txns.Add(new Transaction
        {
            TxnId = id,
            Type = type,
            Mode = a.Mode(item.Channel),
            Amount = amount,
            Balance = a.Balance,
            Timestamp = dayStart.AddSeconds(item.Second),
            ValueDate = date,
            Narration = narration,
            Reference = item.Reference ?? "RFN" + rng.Digits(8),
            Position = a.Txns.Count,
        });
        return id;
    }

    // ---------- lines ----------

    private decimal UpiTicket()
    {
        var u = rng.Unit();
        return Math.Max(10m, Math.Round(upiTicket * (decimal)(0.15 + 3.4 * u * u * u), 0));
    }

    private void UpiReceipt(int d, int second, decimal amount)
    {
        var who = rng.Chance(0.7) ? rng.Pick(payers) : Person();
        var rrn = Rrn();
        Add(d, second, 0, Flow.Credit, Channel.Upi, amount, UpiLine(Primary, rrn, who.Name.ToUpperInvariant(), who.Vpa, "PAYMENT FROM PHONE"), rrn);
    }

    private string UpiLine(AccountState a, string rrn, string name, string vpa, string remark) =>
        a.DashUpi ? $"UPI-{name}-{vpa}-{Ifsc()}-{rrn}-{remark}" : $"UPI/{rrn}/{name}/{vpa}/{rng.Pick(DemoNames.PayeeBankNames)}";

    private void CashDeposit(int d, decimal amount)
    {
        var narration = rng.Chance(0.5) ? $"CASH DEP/{Primary.Branch.ToUpperInvariant()}/{rng.Digits(6)}" : $"BY CASH DEPOSIT-{Primary.Branch.ToUpperInvariant()}";
        Add(d, Time(10.5, 15.5), 0, Flow.Credit, Channel.Cash, amount, narration, "CSH" + rng.Digits(8));
    }

    private void SupplierPayment(int d, decimal baseAmount, bool vendorsAreFreelancers = false)
    {
        // More is paid out when the balance runs above what the owner likes to keep, less when it runs below.
        var factor = Math.Clamp((double)(Primary.Balance / Math.Max(1m, p.TargetBalance)), 0.5, 1.8);
        var amount = DemoRandom.RoundTo(baseAmount * (decimal)(factor * rng.Between(0.7, 1.3)), 10);
        var name = vendorsAreFreelancers ? Person().Name.ToUpperInvariant() : rng.Pick(suppliers);
        var date = start.AddDays(d);
        var kind = amount >= 200_000m ? 2 : rng.Next(0, 3);
        switch (kind)
        {
            case 0:
            {
                var rrn = Rrn();
                Add(d, Time(10, 19), 0, Flow.Shrinkable, Channel.Imps, Math.Min(amount, 500_000m), $"MMT/IMPS/{rrn}/PAYMENT/{name}/{Ifsc()}", rrn);
                break;
            }
            case 1:
            {
                var rrn = Rrn();
                Add(d, Time(10, 19), 0, Flow.Shrinkable, Channel.Upi, Math.Min(amount, 100_000m), UpiLine(Primary, rrn, name, $"{Slug(name)}@{rng.Pick(DemoNames.Psps)}", "SUPPLIER"), rrn);
                break;
            }
            default:
            {
                var utr = Utr('N', date);
                Add(d, Time(10, 19), 0, Flow.Shrinkable, Channel.Neft, amount, $"NEFT DR-{Ifsc()}-{name}-NETBANK, MUM-{utr}-PAYMENT", utr);
                break;
            }
        }
    }

    private void B2bReceipt(int d, string name, string ifsc, decimal amount, string remark)
    {
        var date = start.AddDays(d);
        var t = Time(9.5, 18.5);
        if (amount >= 200_000m && rng.Chance(0.6))
        {
            var utr = Utr('R', date);
            Add(d, t, 0, Flow.Credit, Channel.Rtgs, amount, $"RTGS/{utr}/{name}/{ifsc}", utr);
        }
        else if (rng.Chance(0.1))
            Add(d, t, 0, Flow.Credit, Channel.Cheque, amount, $"CLG/{rng.Digits(6)}/{name}/{rng.Pick(DemoNames.PayeeBankNames).ToUpperInvariant()}", rng.Digits(6));
        else
        {
            var utr = Utr('N', date);
            Add(d, t, 0, Flow.Credit, Channel.Neft, amount, $"NEFT-{utr}-{name}-{remark}-{ifsc}", utr);
        }
    }

    private void TraderTransfer(int d, int second, string name, string ifsc, decimal amount, bool credit)
    {
        var flow = credit ? Flow.Credit : Flow.Shrinkable;
        var date = start.AddDays(Math.Min(d, days - 1));
        if (amount <= 500_000m && rng.Chance(0.7))
        {
            var rrn = Rrn();
            Add(d, second, 0, flow, Channel.Imps, amount, $"MMT/IMPS/{rrn}/{(credit ? "SALE" : "PURCHASE")}/{name}/{ifsc}", rrn);
        }
        else if (amount >= 200_000m)
        {
            var utr = Utr('R', date);
            Add(d, second, 0, flow, Channel.Rtgs, amount, credit ? $"RTGS/{utr}/{name}/{ifsc}" : $"RTGS DR-{ifsc}-{name}-{utr}", utr);
        }
        else
        {
            var utr = Utr('N', date);
            Add(d, second, 0, flow, Channel.Neft, amount, credit ? $"NEFT-{utr}-{name}-GOODS-{ifsc}" : $"NEFT DR-{ifsc}-{name}-NETBANK, MUM-{utr}-GOODS", utr);
        }
    }

    private void Payroll(DateOnly date, int d)
    {
        if (employees.Length == 0 || ShiftedDay(date, payDay) != date) return;
        var period = $"{Mon(date.AddMonths(-1))} {date.AddMonths(-1):yyyy}";
        if (bulkPayroll)
        {
            decimal total = 0;
            foreach (var e in employees) total += e.Salary;
            Add(d, Time(10, 13), 0, Flow.Discretionary, Channel.Bank, total, $"CMS/SALARY/{rng.Digits(9)}/{period}", null);
            return;
        }
        foreach (var e in employees)
        {
            var rrn = Rrn();
            Add(d, Time(10, 18), 0, Flow.Discretionary, Channel.Imps, e.Salary, $"SAL/{period}/{e.Name.ToUpperInvariant()}/{e.Ifsc}", rrn);
        }
    }

    // ---------- small pieces ----------

    private double[] MonthFactors()
    {
        var months = (end.Year - start.Year) * 12 + end.Month - start.Month + 1;
        var f = new double[months];
        seasons = new double[months];
        var growth = rng.Between(-0.003, 0.01);
        var declineMonths = Math.Min(months / 2, rng.Next(4, 7));
        DeclineMonths = declineMonths;
        var declineStep = rng.Between(0.08, 0.14);
        var festive = p.Archetype is DemoArchetype.Kirana or DemoArchetype.OndcSeller;
        for (var m = 0; m < months; m++)
        {
            var calendarMonth = (start.Month - 1 + m) % 12 + 1;
            var first = new DateOnly(start.Year, start.Month, 1).AddMonths(m);
            // The festive season follows Diwali (Msme.Domain.Analytics.Anomalies.IndianCalendar), not a fixed month:
            // 2025's trade fell in October, 2026's in November. Outside the calendar's years, October and November.
            var diwali = IndianCalendar.FestiveMonth(first.Year);
            var offset = diwali is { } fm ? first.Year * 12 + first.Month - (fm.Year * 12 + fm.Month) : calendarMonth - 11;
            var season = offset switch
            {
                0 => festive ? 1.45 : 1.10,
                -1 => festive ? 1.2 : 1.06,
                _ => calendarMonth switch
                {
                3 => festive ? 1.12 : 1.15,
                4 => festive ? 1.10 : 0.95,
                6 or 7 => festive ? 0.92 : 0.97,
                _ => 1.0,
                },
            };
            seasons[m] = season;
            var noise = p.Trend == IncomeTrend.Volatile ? rng.Between(0.7, 1.3) : rng.Between(0.95, 1.05);
            var value = season * noise * (1 + growth * m);
            if (p.Trend == IncomeTrend.Declining && m >= months - declineMonths)
                value *= Math.Max(0.3, 1 - declineStep * (m - (months - declineMonths) + 1));
            if (m == plant.Month) value *= plant.MonthMultiplier;
            f[m] = value;
        }
        return f;
    }

    private DateOnly ShiftedDay(DateOnly date, int day)
    {
        var target = new DateOnly(date.Year, date.Month, Math.Min(day, DateTime.DaysInMonth(date.Year, date.Month)));
        return SkipSunday(target);
    }

    internal static DateOnly SkipSunday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? date.AddDays(1) : date;

    private static string Mon(DateOnly date) => DemoNames.MonthAbbrev[date.Month - 1];

    private static decimal Paise(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private string Rrn() => rng.DigitsNoLeadingZero(12);

    /// <summary>NEFT (16 chars) or RTGS (22 chars) UTR: sender bank code, N/R, then digits.</summary>
    private string Utr(char kind, DateOnly date) => kind == 'N'
        ? string.Concat(rng.Pick(DemoNames.IfscPrefixes), "N", (date.Year % 100).ToString("D2", Inv), date.DayOfYear.ToString("D3", Inv), rng.Digits(6))
        : string.Concat(rng.Pick(DemoNames.IfscPrefixes), "R", date.ToString("yyyyMMdd", Inv), rng.Digits(9));

    private string Ifsc() => string.Concat(rng.Pick(DemoNames.IfscPrefixes), "0", rng.Digits(6));

    private (string Name, string Vpa) Person()
    {
        var first = rng.Pick(DemoNames.FirstNames);
        var last = rng.Pick(DemoNames.Surnames);
        var vpa = rng.Next(3) switch
        {
            0 => $"{rng.Next(6, 10)}{rng.Digits(9)}@{rng.Pick(DemoNames.Psps)}",
            1 => $"{Slug(first)}.{Slug(last)}@{rng.Pick(DemoNames.Psps)}",
            _ => $"{Slug(first)}{rng.Next(1, 999)}@{rng.Pick(DemoNames.Psps)}",
        };
        return ($"{first} {last}", vpa);
    }

    private string CompanyName() =>
        $"{rng.Pick(DemoNames.Prefixes)} {rng.Pick(DemoNames.CompanyWords)} {rng.Pick(CompanySuffixes)}".ToUpperInvariant();

    internal static string Slug(string s)
    {
        Span<char> buffer = stackalloc char[s.Length];
        var n = 0;
        foreach (var ch in s)
            if (char.IsAsciiLetterOrDigit(ch)) buffer[n++] = char.ToLowerInvariant(ch);
        return new string(buffer[..n]);
    }
}
