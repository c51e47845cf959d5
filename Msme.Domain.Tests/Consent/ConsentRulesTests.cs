using Msme.Domain.Consent;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Consent;

public class ConsentRulesTests
{
    private static readonly TimeSpan Ist = TimeSpan.FromMinutes(330);

    private static ConsentDetail Consent(params DataFilterRule[] filters) => new()
    {
        ConsentId = "c-1",
        CustomerId = "acme@onemoney",
        FiDataFrom = new DateTimeOffset(2025, 4, 1, 0, 0, 0, Ist),
        FiDataTo = new DateTimeOffset(2025, 9, 30, 23, 59, 59, Ist),
        DataLifeUnit = "MONTH",
        DataLifeValue = 6,
        DataFilters = filters,
    };

    private static Transaction Txn(TxnType type, decimal amount, DateTimeOffset? at = null) => new()
    {
        TxnId = "T1", Type = type, Amount = amount, Balance = 0m, Timestamp = at ?? new DateTimeOffset(2025, 5, 1, 10, 0, 0, Ist), Position = 0,
    };

    [Theory]
    [InlineData(">=", 20000, true)]
    [InlineData(">=", 19999.99, false)]
    [InlineData(">", 20000, false)]
    [InlineData("<", 20000, false)]
    [InlineData("<=", 20000, true)]
    [InlineData("=", 20000, true)]
    [InlineData("!=", 20000, false)]
    public void Transaction_amount_filter_compares_against_the_rule_value(string op, double amount, bool passes)
    {
        var rules = new ConsentRules(Consent(new DataFilterRule("TRANSACTIONAMOUNT", op, "20000")));

        Assert.Equal(passes, rules.PassesDataFilters(Txn(TxnType.Credit, (decimal)amount)));
    }

    [Fact]
    public void Transaction_type_filter_keeps_or_drops_a_direction_and_rules_combine_with_and()
    {
        var creditsOnly = new ConsentRules(Consent(new DataFilterRule("TRANSACTIONTYPE", "=", "CREDIT")));
        var notDebits = new ConsentRules(Consent(new DataFilterRule("TRANSACTIONTYPE", "!=", "debit")));
        var bigCredits = new ConsentRules(Consent(new DataFilterRule("TRANSACTIONTYPE", "=", "CREDIT"), new DataFilterRule("TRANSACTIONAMOUNT", ">", "1000")));

        Assert.True(creditsOnly.PassesDataFilters(Txn(TxnType.Credit, 5)));
        Assert.False(creditsOnly.PassesDataFilters(Txn(TxnType.Debit, 5)));
        Assert.True(notDebits.PassesDataFilters(Txn(TxnType.Reversal, 5)));
        Assert.False(bigCredits.PassesDataFilters(Txn(TxnType.Credit, 500)));
        Assert.True(bigCredits.PassesDataFilters(Txn(TxnType.Credit, 1500)));
    }

    [Fact]
    public void Data_range_includes_both_ends_and_compares_instants()
    {
        var rules = new ConsentRules(Consent());

        Assert.True(rules.IsInsideDataRange(Txn(TxnType.Credit, 1, new DateTimeOffset(2025, 4, 1, 0, 0, 0, Ist))));
        // 31 March 18:29:59 UTC is still 31 March in India: outside.
        Assert.False(rules.IsInsideDataRange(Txn(TxnType.Credit, 1, new DateTimeOffset(2025, 3, 31, 18, 29, 59, TimeSpan.Zero))));
        Assert.True(rules.IsInsideDataRange(Txn(TxnType.Credit, 1, new DateTimeOffset(2025, 3, 31, 18, 30, 0, TimeSpan.Zero))));
        Assert.False(rules.IsInsideDataRange(Txn(TxnType.Credit, 1, new DateTimeOffset(2025, 10, 1, 0, 0, 0, Ist))));
    }

    [Fact]
    public void Data_life_ends_after_its_unit_and_never_for_inf()
    {
        var fetched = new DateTimeOffset(2025, 10, 31, 10, 0, 0, Ist);

        Assert.Equal(new DateTimeOffset(2026, 4, 30, 10, 0, 0, Ist), new ConsentRules(Consent()).DataLifeEnds(fetched));
        Assert.Equal(fetched.AddDays(30), new ConsentRules(Consent() with { DataLifeUnit = "DAY", DataLifeValue = 30 }).DataLifeEnds(fetched));
        Assert.Equal(fetched.AddYears(1), new ConsentRules(Consent() with { DataLifeUnit = "YEAR", DataLifeValue = 1 }).DataLifeEnds(fetched));
        Assert.Null(new ConsentRules(Consent() with { DataLifeUnit = "INF", DataLifeValue = null }).DataLifeEnds(fetched));
    }

    [Fact]
    public void An_unreadable_filter_rule_is_refused()
    {
        Assert.False(ConsentRules.TryCompile(new DataFilterRule("TRANSACTIONTYPE", ">", "CREDIT"), out _, out var reason));
        Assert.Equal("TRANSACTIONTYPE takes only = or !=", reason);
        Assert.Throws<ArgumentException>(() => new ConsentRules(Consent(new DataFilterRule("NARRATION", "=", "x"))));
    }

    [Fact]
    public void DataLife_runs_from_the_earlier_of_fetch_and_import()
    {
        var fetched = new DateTimeOffset(2026, 3, 30, 10, 0, 0, Ist);
        var imported = fetched.AddMinutes(-4);

        Assert.Equal(imported.AddDays(30), ConsentRules.DataLifeEnds("DAY", 30, fetched, imported));
        Assert.Equal(fetched.AddDays(30), ConsentRules.DataLifeEnds("DAY", 30, fetched, fetched.AddDays(3)));
    }
}
