using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Cashflow;

/// <summary>
/// The contract figures for the real Setu mock statement (Fixtures/aa/setu_mock_deposit_XXXXXXX123_extract.json).
/// </summary>
/// <remarks>
/// Expected numbers were derived independently of this C# code by contract_oracle.py (next to this file): python3
/// json with parse_float=Decimal, decimal at 50 digits, datetime for IST; amounts and balances rounded half-up to
/// 2 places, transactions sorted by (timestamp, position), then the contract's definitions applied literally.
/// Run: python3 contract_oracle.py ../../Fixtures/aa/setu_mock_deposit_XXXXXXX123_extract.json
/// The hand arithmetic is repeated in the comments. The document is read by <see cref="FixtureAccounts"/>, not by the
/// ingestion parser (written in parallel).
/// </remarks>
public class SetuMockStatementTests
{
    private static readonly AccountAnalysis Analysis = CashflowAnalyzer.Analyze(FixtureAccounts.Load("setu_mock_deposit_XXXXXXX123_extract.json").Single());

    [Fact]
    public void Coverage_is_the_transactions_inside_a_wider_declared_period()
    {
        // Declared startDate 2019-04-11T11:39:57.153Z (IST 2019-04-11), endDate 2021-09-17T14:25:33.440Z (IST 2021-09-17);
        // transactions 2021-04-01 .. 2021-06-16 -> coverage 2021-04-01 .. 2021-06-16; April and May complete, June not.
        Assert.Equal(new Coverage(new(2021, 4, 1), new(2021, 6, 16)), Analysis.Coverage);
        Assert.Equal("XXXXXXX123", Analysis.MaskedAccNumber);
        Assert.Equal("8b63022b-5696-4d74-a46d-3868bd00e7f5", Analysis.LinkedAccRef);
        Assert.True(Analysis.InsufficientHistory); // 2 complete months < 3
        Assert.Empty(Analysis.Anomalies);          // robust-z needs 4
    }

    [Fact]
    public void Monthly_series_matches_the_hand_computed_figures()
    {
        // April: credit 100000 (salary, 04-09); debits 1239 + 5000 + 5000 + 3062 + 974 + 15408 + 15000 + 12000 + 30000
        //        = 87683; net 12317; last transaction 04-25, balance 69343.47.
        // May:   credit 150000 (05-07); debits 3294 + 2138 + 2024.55 + 5000 + 3062 + 12000 + 4742 + 15000 + 30000 + 12
        //        + 4058 = 81330.55; net 68669.45; last transaction 05-25, balance 64357.42.
        // June (to 06-16): credits 100000 + 16037.22 + 15691.88 = 131729.10; debits 2138 + 2024.55 + 3000 + 3062 + 30000
        //        = 40224.55; net 91504.55; last transaction 06-16, balance 132518.97.
        Assert.Equal(
            [
                new MonthlyFigures(new(2021, 4), true, 100_000.00m, 87_683.00m, 12_317.00m, 1, 9, 69_343.47m, 100_000.00m, 9),
                new MonthlyFigures(new(2021, 5), true, 150_000.00m, 81_330.55m, 68_669.45m, 1, 11, 64_357.42m, 150_000.00m, 7),
                new MonthlyFigures(new(2021, 6), false, 131_729.10m, 40_224.55m, 91_504.55m, 3, 5, 132_518.97m, 100_000.00m, 8),
            ],
            Analysis.Monthly);
    }

    [Fact]
    public void Metrics_match_the_hand_computed_figures()
    {
        // Complete months April and May: inflows 100000 and 150000.
        // avg = median = 250000 / 2 = 125000.
        // incomeCv: sd = |150000 - 100000| / √2 = 35355.339059; cv = 35355.339059 / 125000 = 0.282843 -> Medium.
        // surplusRatio = (250000 - (87683 + 81330.55)) / 250000 = 80986.45 / 250000 = 0.3239458 -> 0.323946.
        // averageBalance: 61 days (30 + 31); Σ daily closes April 2735386.22 + May 2708151.27 = 5443537.49;
        //   / 61 = 89238.3195... -> 89238.32.
        // balanceVolatility: sample sd of the 61 closes 28411.507874 / 89238.319508 = 0.318378.
        // typicalCreditDay: largest credits on April 9 and May 7: cost(7) = cost(9) = 2, the smaller day: 7.
        Assert.Equal(
            new AccountMetrics(125_000.00m, 125_000.00m, 0.282843m, 0.323946m, 89_238.32m, 0.318378m, 7, StabilityTier.Medium),
            Analysis.Metrics);
    }

    [Fact]
    public void Daily_balances_carry_the_float_noisy_balance_rounded_to_paise()
    {
        // 05-07 credit 150000 with currentBalance 159243.42000000001 -> 159243.42; no transaction on 05-08, so it carries.
        Assert.Equal(159_243.42m, Analysis.DailyBalances[new DateOnly(2021, 5, 8)]);
        // Opening balance: first transaction is a DEBIT of 1239 leaving 62289.25 -> 62289.25 + 1239 = 63528.25.
        Assert.Equal(63_528.25m, Analysis.DailyBalances.OpeningBalance);
        Assert.Equal(77, Analysis.DailyBalances.Count); // 2021-04-01 .. 2021-06-16: 30 + 31 + 16
    }
}
