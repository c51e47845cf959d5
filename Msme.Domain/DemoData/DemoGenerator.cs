using Msme.Domain.Consent;
using Msme.Domain.Ingestion;

namespace Msme.Domain.DemoData;

/// <summary>
/// Deterministic demo customers: the same options give the same customers, byte for byte once written. Nothing
/// reads the clock; <see cref="DemoOptions.AsOf"/> is "now".
/// </summary>
public static class DemoGenerator
{
    public const string DataConsumerId = "msme-fiu";

    /// <summary>Lazily generates <see cref="DemoOptions.Customers"/> customers, so large runs stream.</summary>
    public static IEnumerable<DemoCustomer> Generate(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Customers);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Months, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Months, 120);
        return Iterate(options);
    }

    private static IEnumerable<DemoCustomer> Iterate(DemoOptions options)
    {
        // One seed per customer drawn up front from the master Random: customer k does not depend on how many
        // draws customer k-1 happened to need, so a change to one archetype leaves the others' data alone.
        var master = new Random(options.Seed);
        for (var i = 0; i < options.Customers; i++)
            yield return Build(options, i, new DemoRandom(master.Next()));
    }

    private static readonly string[] Areas = ["Main Branch", "Industrial Area", "MG Road", "Station Road", "Market Yard", "Sector 18", "Gandhi Nagar", "Civil Lines"];
    private static readonly string[] EmailDomains = ["gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com"];

    internal static DemoCustomer Build(DemoOptions options, int index, DemoRandom rng)
    {
        var start = options.WindowStart;
        var end = options.WindowEnd;
        var days = end.DayNumber - start.DayNumber + 1;

        var archetype = (DemoArchetype)rng.Weighted(25, 20, 20, 20, 15);
        var trend = (IncomeTrend)rng.Weighted(55, 25, 20);
        // Smart Collect's timing draws come from their own stream, so the rest of the customer keeps its draws.
        var tr = new DemoRandom(unchecked(options.Seed * 7_919 + index * 104_729 + 17));
        var timing = CollectionTiming.Draw(tr, archetype);
        if (timing == TimingArchetype.Deteriorating) trend = IncomeTrend.Declining;
        var scale = archetype switch
        {
            DemoArchetype.Kirana => rng.Weighted(80, 20, 0),
            DemoArchetype.OndcSeller => rng.Weighted(70, 30, 0),
            _ => rng.Weighted(40, 45, 15),
        };
        var turnover = scale switch
        {
            0 => rng.Rupees(300_000, 1_200_000),
            1 => rng.Rupees(1_200_000, archetype == DemoArchetype.Kirana ? 2_500_000 : 6_000_000),
            _ => rng.Rupees(6_000_000, 25_000_000),
        };
        // 0 proprietor, 1 partnership, 2 private limited, 3 LLP
        var constitution = archetype is DemoArchetype.Kirana or DemoArchetype.OndcSeller ? rng.Weighted(80, 15, 5, 0) : rng.Weighted(45, 20, 28, 7);
        var state = rng.Pick(DemoNames.States);
        var city = rng.Pick(state.Cities);
        var ownerFirst = rng.Pick(DemoNames.FirstNames);
        var ownerLast = rng.Pick(DemoNames.Surnames);
        var owner = $"{ownerFirst} {ownerLast}";
        var core = rng.Pick(archetype switch
        {
            DemoArchetype.Kirana => DemoNames.KiranaCores,
            DemoArchetype.Manufacturer => DemoNames.ManufacturerCores,
            DemoArchetype.ServiceFirm => DemoNames.ServiceCores,
            DemoArchetype.Trader => DemoNames.TraderCores,
            _ => DemoNames.OndcCores,
        });
        var first = constitution == 0 && rng.Chance(0.3) ? ownerLast : rng.Pick(DemoNames.Prefixes);
        var legalName = constitution switch
        {
            2 => $"{first} {core} Private Limited",
            3 => $"{first} {core} LLP",
            _ => $"{first} {core}",
        };
        var company = constitution >= 2;
        var proprietor = constitution == 0;
        var pan = Pan(rng, proprietor ? 'P' : constitution == 2 ? 'C' : 'F', proprietor ? ownerLast[0] : legalName[0]);
        var customer = new CustomerInfo
        {
            AaHandle = $"{CashflowSimulator.Slug(legalName.Split(' ')[0])}{index + 101}@{rng.Pick(DemoNames.AaHandles)}",
            LegalName = legalName,
            Pan = pan,
            Udyam = $"UDYAM-{state.Code}-{rng.Next(1, 40):D2}-{rng.Digits(7)}",
            BusinessCategory = archetype switch
            {
                DemoArchetype.Manufacturer => "MANUFACTURING",
                DemoArchetype.ServiceFirm => "SERVICE",
                _ => "TRADING",
            },
            Scale = scale switch { 0 => "MICRO", 1 => "SMALL", _ => "MEDIUM" },
        };
        var thin = rng.Chance(0.25);
        var profile = new BusinessProfile
        {
            Archetype = archetype,
            Trend = trend,
            LegalName = legalName,
            OwnerName = owner,
            Proprietor = proprietor,
            Company = company,
            State = state,
            City = city,
            Turnover = turnover,
            TargetBalance = DemoRandom.RoundTo(turnover * (decimal)(thin ? rng.Between(0.04, 0.1) : rng.Between(0.2, 0.6)), 1000),
            GstRegistered = archetype != DemoArchetype.Kirana || rng.Chance(0.6),
            GstRate = archetype switch
            {
                DemoArchetype.Kirana => (decimal)rng.Between(0.01, 0.02),
                DemoArchetype.Manufacturer => (decimal)rng.Between(0.03, 0.06),
                DemoArchetype.ServiceFirm => (decimal)rng.Between(0.10, 0.14),
                DemoArchetype.Trader => (decimal)rng.Between(0.005, 0.015),
                _ => (decimal)rng.Between(0.02, 0.04),
            },
        };

        // Accounts: the business account, and for owners who bank here too, their own savings account.
        var bank = rng.Pick(DemoNames.Banks);
        var accountCount = !company && rng.Chance(0.5) ? 2 : 1;
        var states = new List<AccountState>(accountCount);
        var renderings = new FiRendering[accountCount];
        var usedLast4 = new HashSet<string>();
        for (var a = 0; a < accountCount; a++)
        {
            var rendering = (FiRendering)rng.Weighted(30, 20, 25, 25);
            renderings[a] = rendering;
            var savings = a == 1 || (archetype is DemoArchetype.Kirana or DemoArchetype.OndcSeller && proprietor && rng.Chance(0.35));
            var od = !savings && (rng.Chance(0.35) || (a == 0 && timing == TimingArchetype.OdFromLimit)) ? DemoRandom.RoundTo(turnover * (decimal)rng.Between(0.2, 0.6), 10_000) : 0m;
            string last4;
            do last4 = rng.Digits(4); while (!usedLast4.Add(last4));
            var opening = a == 0 ? DemoRandom.RoundTo(profile.TargetBalance * (decimal)rng.Between(0.6, 1.4), 0.01m) + rng.Next(0, 100) / 100m : rng.Rupees(5_000, 80_000);
            states.Add(new AccountState
            {
                Bank = bank,
                Masked = new string('X', bank.AccountDigits - 4) + last4,
                LinkRef = rng.GuidLike(),
                SubType = savings ? "SAVINGS" : "CURRENT",
                Ifsc = $"{bank.IfscPrefix}0{rng.Digits(6)}",
                Micr = rng.DigitsNoLeadingZero(9),
                Branch = $"{city} {rng.Pick(Areas)}",
                OpeningDate = start.AddDays(-rng.Next(200, 5_000)),
                OdLimit = od,
                Modes = rendering == FiRendering.V2Json
                    ? (rng.Chance(0.7) ? ModeStyle.V2Modes : ModeStyle.OthersOnly)
                    : (rng.Chance(0.35) ? ModeStyle.V1Modes : ModeStyle.OthersOnly),
                DashUpi = rng.Chance(0.35),
                NachDr = rng.Chance(0.4),
                BounceCharge = rng.Chance(0.5) ? 295m : 590m,
                Balance = opening,
                OpeningBalance = opening,
                Seq = rng.NextLong(100_000_000, 900_000_000),
            });
        }

        var loans = Loans(rng, profile, start, days, timing);
        var months = (end.Year - start.Year) * 12 + end.Month - start.Month + 1;
        var plan = AnomalyPlan.Draw(options.Seed, index, months, days);
        var cycles = CollectionTiming.Cycles(tr, timing, loans, turnover, start, end);
        var simulator = new CashflowSimulator(rng, profile, states, loans, start, end, plan) { Cycles = cycles, TimingRandom = tr, IncomeScale = CollectionTiming.IncomeScale(cycles, turnover, start, end) };
        simulator.Run();
        var outside = OutsideAccount(tr, bank, timing, loans, end);

        // Fetched in the small hours after the statement closes: never later than the morning after the as-of date, so a
        // store whose clock reads that morning takes the demo (the importer refuses fetches from the future).
        var fetchedAt = new DateTimeOffset(end.AddDays(1).ToDateTime(new TimeOnly(rng.Next(1, 6), 0)), IndianTime.Offset);
        var rangeFrom = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), IndianTime.Offset);
        var rangeTo = new DateTimeOffset(end.ToDateTime(new TimeOnly(23, 59, 59)), IndianTime.Offset);

        var ownerDob = new DateOnly(1960, 1, 1).AddDays(rng.Next(0, 35 * 365));
        var partnerFirst = rng.Pick(DemoNames.FirstNames);
        var mobile = $"{rng.Next(6, 10)}{rng.Digits(9)}";
        var email = $"{CashflowSimulator.Slug(ownerFirst)}.{CashflowSimulator.Slug(ownerLast)}@{rng.Pick(EmailDomains)}";
        var address = $"{rng.Next(1, 400)}, {rng.Pick(Areas)}, {city}, {state.Code} - {rng.Next(110, 860)}{rng.Digits(3)}";
        var incorporated = start.AddDays(-rng.Next(400, 7_000));

        var accounts = new DepositAccount[accountCount];
        for (var a = 0; a < accountCount; a++)
        {
            var s = states[a];
            var v2 = renderings[a] == FiRendering.V2Json;
            var ckyc = v2 ? "YES" : "true";
            List<Holder> holders;
            if (a == 1 || proprietor)
                holders = [new Holder { Name = owner, Dob = ownerDob, Mobile = mobile, Email = email, Pan = a == 0 ? pan : Pan(rng, 'P', ownerLast[0]), Address = address, Nominee = "REGISTERED", Ckyc = ckyc }];
            else if (company)
                holders = [new Holder { Name = legalName, Dob = incorporated, Mobile = mobile, Email = $"accounts@{CashflowSimulator.Slug(legalName)[..Math.Min(12, CashflowSimulator.Slug(legalName).Length)]}.in", Pan = pan, Address = address, Nominee = "NOT-REGISTERED", Ckyc = ckyc }];
            else
                holders =
                [
                    new Holder { Name = owner, Dob = ownerDob, Mobile = mobile, Email = email, Pan = Pan(rng, 'P', ownerLast[0]), Address = address, Nominee = "REGISTERED", Ckyc = ckyc },
                    new Holder { Name = $"{partnerFirst} {ownerLast}", Dob = ownerDob.AddDays(rng.Next(-3000, 3000)), Mobile = $"{rng.Next(6, 10)}{rng.Digits(9)}", Pan = Pan(rng, 'P', ownerLast[0]), Address = address, Nominee = "REGISTERED", Ckyc = ckyc },
                ];
            var facility = s.OdLimit > 0
                ? (archetype is DemoArchetype.Manufacturer or DemoArchetype.Trader ? (v2 ? "CASH_CREDIT" : "CC") : (v2 ? "OVERDRAFT" : "OD"))
                : (v2 ? "NO_FACILITY_GRANTED" : null);
            accounts[a] = new DepositAccount
            {
                LinkedAccRef = s.LinkRef,
                MaskedAccNumber = s.Masked,
                Version = v2 ? "2.0.0" : "1.1",
                Generation = v2 ? SchemaGeneration.V2 : SchemaGeneration.V1,
                FipId = renderings[a] == FiRendering.FiWrapperJson ? bank.FipId : null,
                HoldingType = holders.Count > 1 ? "JOINT" : "SINGLE",
                Holders = holders,
                Summary = new AccountSummary
                {
                    CurrentBalance = s.Balance,
                    Currency = "INR",
                    BalanceDateTime = fetchedAt,
                    Branch = s.Branch,
                    OpeningDate = s.OpeningDate,
                    Status = "ACTIVE",
                    MicrCode = s.Micr,
                    Ifsc = s.Ifsc,
                    AccountSubType = s.SubType,
                    AccountType = v2 ? "REGULAR" : null,
                    Facility = facility,
                    DrawingLimit = s.OdLimit,
                    CurrentOdLimit = s.OdLimit,
                    Pending = [new PendingTxn("DEBIT", 0m)],
                },
                StartDate = start,
                EndDate = end,
                Transactions = s.Txns,
            };
        }

        var session = new FetchSessionInfo
        {
            SessionId = rng.GuidLike(),
            FipId = bank.FipId,
            FetchedAt = fetchedAt,
            RangeFrom = rangeFrom,
            RangeTo = rangeTo,
            Status = "COMPLETED",
        };

        var periodic = rng.Chance(0.8);
        var consentStart = fetchedAt.AddDays(-(periodic ? rng.Next(1, 120) : rng.Next(0, 3))).AddMinutes(-rng.Next(10, 600)).ToUniversalTime();
        var consentExpiry = consentStart.AddYears(periodic ? rng.Next(1, 4) : 1);
        var consentAccounts = new ConsentAccount[accountCount];
        for (var a = 0; a < accountCount; a++)
            consentAccounts[a] = new ConsentAccount("DEPOSIT", bank.FipId, states[a].SubType, states[a].LinkRef, states[a].Masked);
        var consent = new ConsentDetail
        {
            ConsentId = rng.GuidLike(),
            Status = ConsentStatus.Active,
            ConsentStart = consentStart,
            ConsentExpiry = consentExpiry,
            ConsentMode = "STORE",
            FetchType = periodic ? "PERIODIC" : "ONETIME",
            ConsentTypes = ["PROFILE", "SUMMARY", "TRANSACTIONS"],
            FiTypes = ["DEPOSIT"],
            DataConsumerId = DataConsumerId,
            DataProviderId = bank.FipId,
            CustomerId = customer.AaHandle,
            Accounts = consentAccounts,
            PurposeCode = periodic ? "104" : "103",
            PurposeText = periodic ? "Explicit consent for monitoring of the accounts" : "Aggregated statement",
            PurposeRefUri = periodic ? "https://api.rebit.org.in/aa/purpose/104.xml" : "https://api.rebit.org.in/aa/purpose/103.xml",
            PurposeCategory = periodic ? "Account monitoring" : "Loan underwriting",
            // Monitoring consents reach into the future so later periodic fetches stay inside the range.
            FiDataFrom = rangeFrom.ToUniversalTime(),
            FiDataTo = periodic ? consentExpiry : rangeTo.ToUniversalTime(),
            DataLifeUnit = "YEAR",
            DataLifeValue = rng.Next(1, 4),
            FrequencyUnit = periodic ? "MONTH" : "DAY",
            FrequencyValue = periodic ? rng.Next(1, 5) : 1,
            CreateTimestamp = consentStart,
            TxnId = rng.GuidLike(),
            Version = "2.0.0",
        };

        var loanRecords = new DemoLoan[loans.Count];
        for (var l = 0; l < loans.Count; l++)
            loanRecords[l] = loans[l].Account < 0
                ? loans[l].ToRecord(start, end, outside!.Value.Masked, outside.Value.LinkRef)
                : loans[l].ToRecord(start, end, states[loans[l].Account].Masked, states[loans[l].Account].LinkRef);

        return new DemoCustomer
        {
            Index = index,
            Customer = customer,
            Consent = consent,
            // Alternate so every run exercises both consent spellings.
            ConsentShape = index % 2 == 0 ? ConsentShape.Artefact : ConsentShape.Detail,
            Session = session,
            Accounts = accounts,
            Renderings = renderings,
            Loans = loanRecords,
            Archetype = archetype,
            Trend = trend,
            Timing = timing,
            GstRegistered = profile.GstRegistered,
            Planted = plan.Labels(start, end, states[0].Txns, simulator.OneOff, simulator.Season, trend, simulator.DeclineMonths),
        };
    }

    /// <summary>PAN: three letters, the holder-type letter, the name's initial, four digits, a check letter.</summary>
    private static string Pan(DemoRandom rng, char holderType, char initial) =>
        string.Concat(rng.Letters(3), holderType.ToString(), char.ToUpperInvariant(initial).ToString(), rng.Digits(4), rng.Letters(1));

    private sealed record Product(string Name, double RateLo, double RateHi, int TenureLo, int TenureHi);

    private static readonly Product[] Products =
    [
        new("Business Loan", 16, 24, 12, 37),
        new("Working Capital Term Loan", 13, 17, 12, 37),
        new("Machinery Loan", 10.5, 13.5, 36, 61),
        new("Loan Against Property", 9.5, 12, 60, 85),
        new("Commercial Vehicle Loan", 11, 15, 36, 61),
    ];

    private static readonly int[] DueDays = [2, 5, 7, 10, 15];
    private static readonly string[] LenderPsps = ["icici", "hdfcbank", "axisbank", "ybl"];

    /// <summary>
    /// A few steady customers repay one loan from an account at another bank that their consent does not cover: the
    /// lender's book knows the loan was paid, the AA data cannot show it (README, "A realistic demo book").
    /// </summary>
    private static (string Masked, string LinkRef)? OutsideAccount(DemoRandom rng, DemoNames.Bank bank, TimingArchetype timing, List<LoanState> loans, DateOnly end)
    {
        if (timing != TimingArchetype.Steady || loans.Count == 0 || !rng.Chance(0.05)) return null;
        var other = rng.Pick(DemoNames.Banks);
        var loan = loans[^1];
        loan.Account = -1;
        for (var i = 0; i < loan.Due.Length; i++)
            if (loan.Action[i] <= end) loan.Paid[i] = loan.Emi;
        return (new string('X', other.AccountDigits - 4) + rng.Digits(4), rng.GuidLike());
    }

    private static List<LoanState> Loans(DemoRandom rng, BusinessProfile profile, DateOnly start, int days, TimingArchetype timing)
    {
        var count = rng.Weighted(30, 45, 25);
        // Every timing customer owes something; two loans on one account need two.
        if (timing == TimingArchetype.TwoLoansOneAccount) count = 2;
        else if (timing != TimingArchetype.Steady) count = Math.Max(1, count);
        var loans = new List<LoanState>(count);
        for (var k = 0; k < count; k++)
        {
            var product = profile.Archetype switch
            {
                DemoArchetype.Manufacturer => Products[rng.Pick(new[] { 0, 1, 2, 3 })],
                DemoArchetype.Trader => Products[rng.Pick(new[] { 0, 1, 3, 4 })],
                _ => Products[rng.Pick(new[] { 0, 0, 1, 3 })],
            };
            var rate = Math.Round((decimal)rng.Between(product.RateLo, product.RateHi), 2);
            var tenure = rng.Next(product.TenureLo, product.TenureHi) / 6 * 6;
            var emiTarget = profile.Turnover * (decimal)rng.Between(0.025, 0.09);
            var principal = Math.Max(50_000m, DemoRandom.RoundTo(LoanState.PrincipalFor(emiTarget, rate, tenure), 10_000));
            var emi = LoanState.Annuity(principal, rate, tenure);
            var loanStart = start.AddDays(rng.Next(-(tenure - 2) * 30, days - 40));
            var dueDay = rng.Pick(DueDays);
            if (CollectionTiming.DueDay(timing, k) is > 0 and var fixedDay) dueDay = fixedDay;
            var firstDue = new DateOnly(loanStart.Year, loanStart.Month, dueDay).AddMonths(1);
            if (firstDue.DayNumber - loanStart.DayNumber < 20) firstDue = firstDue.AddMonths(1);
            var mandate = (MandateType)rng.Weighted(70, 20, 10);
            if (timing == TimingArchetype.UpiAutoPay) mandate = MandateType.UpiAutoPay;
            else if (timing != TimingArchetype.Steady && mandate == MandateType.None) mandate = MandateType.ENach;
            if (mandate == MandateType.UpiAutoPay && emi > 100_000m) mandate = MandateType.ENach; // UPI AutoPay's per-debit cap
            var lender = rng.Pick(DemoNames.Lenders);
            var due = new DateOnly[tenure];
            var action = new DateOnly[tenure];
            var attempts = new List<DemoAttempt>[tenure];
            var awaiting = new int[tenure];
            for (var i = 0; i < tenure; i++)
            {
                due[i] = firstDue.AddMonths(i);
                // NACH and AutoPay do not run on Sundays; customers without a mandate pay around the due date.
                action[i] = mandate == MandateType.None ? due[i].AddDays(rng.Next(-2, 4)) : CashflowSimulator.SkipSunday(due[i]);
                if (due[i] >= start && action[i] < start) action[i] = start;
                attempts[i] = [];
                awaiting[i] = -1;
            }
            loans.Add(new LoanState
            {
                LoanId = "LN" + rng.DigitsNoLeadingZero(10),
                Lender = lender,
                LenderVpa = $"{CashflowSimulator.Slug(lender)}.emi@{rng.Pick(LenderPsps)}",
                Product = product.Name,
                Principal = principal,
                Rate = rate,
                Emi = emi,
                DueDay = dueDay,
                Tenure = tenure,
                Start = loanStart,
                Mandate = mandate,
                MandateRef = mandate switch
                {
                    MandateType.ENach => rng.Pick(DemoNames.IfscPrefixes) + rng.Digits(16),
                    MandateType.UpiAutoPay => "UMN" + rng.Digits(12),
                    _ => null,
                },
                Account = 0,
                Due = due,
                Action = action,
                Paid = new decimal[tenure],
                Attempts = attempts,
                AwaitingCharge = awaiting,
            });
        }
        return loans;
    }
}
