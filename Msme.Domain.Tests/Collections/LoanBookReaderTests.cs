using System.Text;
using Msme.Domain.Collections;
using Msme.Domain.DemoData;
using InstalmentOutcome = Msme.Domain.Collections.InstalmentOutcome;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Collections;

public sealed class LoanBookReaderTests
{
    private const string Header =
        "loan_id,customer,lender,product,sanctioned_amount,emi,due_day,tenure_months,start_date,mandate,mandate_ref,masked_acc_number,link_ref_number,instalment_number,due_date,presented_date,amount,outcome,paid_amount";

    private const string LoanCols = "LN1,shah@onemoney,BAJAJ FINANCE LTD,Business Loan,500000,18140,5,36,2025-01-12,E_NACH,UMRN1,XXXX1234,ref-1";

    private static LoanBookParseResult Csv(string text) => LoanBookReader.ReadCsv(new MemoryStream(Encoding.UTF8.GetBytes(text)), "book.csv");

    private static LoanBookParseResult Json(string text) => LoanBookReader.ReadJson(new MemoryStream(Encoding.UTF8.GetBytes(text)), "book.json");

    private static string JsonLoan(string loanId = "LN1", string emi = "18140", string dueDay = "5", string instalments = """
        [{"number":1,"dueDate":"2025-02-05","presentedDate":"2025-02-05","amount":18140,"paidAmount":18140,"outcome":"PAID","attempts":[]}]
        """, string startDate = "\"2025-01-12\"", string mandate = "\"E_NACH\"") => $$"""
        {"loanId":"{{loanId}}","customer":"shah@onemoney","lender":"BAJAJ FINANCE LTD","product":"Business Loan","sanctionedAmount":500000,
         "emi":{{emi}},"dueDay":{{dueDay}},"tenureMonths":36,"startDate":{{startDate}},"mandate":{{mandate}},"mandateRef":"UMRN1",
         "account":{"linkRefNumber":"ref-1","maskedAccNumber":"XXXX1234"},"instalments":{{instalments}}}
        """;

    private static string Book(params string[] loans) => $$"""{"loanBookVersion":1,"loans":[{{string.Join(',', loans)}}]}""";

    private static IngestionIssue SingleError(LoanBookParseResult r)
    {
        var errors = r.Issues.Where(i => i.Severity == IssueSeverity.Error).ToList();
        Assert.True(errors.Count == 1, string.Join(Environment.NewLine, r.Issues));
        return errors[0];
    }

    [Fact]
    public void Demo_loan_book_round_trips_through_the_json_reader()
    {
        var customers = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 5, Months: 12, Seed: 3)).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"loan-book-{Guid.NewGuid():N}.json");
        try
        {
            DemoBundleWriter.WriteLoanBook(customers, path);
            using var stream = File.OpenRead(path);
            var result = LoanBookReader.ReadJson(stream, "loan-book.json");
            Assert.Empty(result.Issues);
            var expected = customers.SelectMany(c => c.Loans.Select(l => DemoLoanBook.ToLoan(c, l))).ToList();
            Assert.Equal(expected.Count, result.Loans.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i] with { Instalments = [] }, result.Loans[i] with { Instalments = [] });
                Assert.Equal(expected[i].Instalments.Count, result.Loans[i].Instalments.Count);
                for (var k = 0; k < expected[i].Instalments.Count; k++)
                {
                    Assert.Equal(expected[i].Instalments[k] with { Attempts = [] }, result.Loans[i].Instalments[k] with { Attempts = [] });
                    Assert.Equal(expected[i].Instalments[k].Attempts, result.Loans[i].Instalments[k].Attempts);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Good_csv_gives_one_loan_per_contiguous_loan_id_with_its_instalments()
    {
        var result = Csv($"""
            {Header}
            {LoanCols},1,2025-02-05,2025-02-05,18140,PAID,18140
            {LoanCols},2,2025-03-05,2025-03-05,18140,BOUNCED,0
            "LN2","x@aa","","Machinery Loan",200000,"9000.50",31,12,2025-06-30,NONE,,XXXX9,,1,2025-07-31,,9000.50,PENDING,
            """);
        Assert.Empty(result.Issues);
        Assert.Equal(2, result.Loans.Count);
        var ln1 = result.Loans[0];
        Assert.Equal(18140m, ln1.Emi);
        Assert.Equal(Mandate.ENach, ln1.Mandate);
        Assert.Equal([InstalmentOutcome.Paid, InstalmentOutcome.Bounced], ln1.Instalments.Select(i => i.Outcome));
        var ln2 = result.Loans[1];
        Assert.Null(ln2.Lender);
        Assert.Equal(31, ln2.DueDay);
        Assert.Equal(9000.50m, ln2.Instalments[0].Amount);
        Assert.Null(ln2.Instalments[0].PresentedDate);
        Assert.Equal(0m, ln2.Instalments[0].PaidAmount);
    }

    [Fact]
    public void Zero_emi_is_an_error_naming_loan_path_and_value()
    {
        var r = Json(Book(JsonLoan(emi: "0")));
        var e = SingleError(r);
        Assert.Equal(("book.json", "LN1", "$.loans[0].emi", "0"), (e.File, e.Account, e.Path, e.Value));
        Assert.Contains("greater than 0", e.Message);
        Assert.Empty(r.Loans);
    }

    [Fact]
    public void Due_day_32_is_an_error()
    {
        var e = SingleError(Json(Book(JsonLoan(dueDay: "32"))));
        Assert.Equal(("$.loans[0].dueDay", "32"), (e.Path, e.Value));
    }

    [Fact]
    public void February_30_is_not_a_real_date()
    {
        var e = SingleError(Json(Book(JsonLoan(startDate: "\"2025-02-30\""))));
        Assert.Equal(("$.loans[0].startDate", "2025-02-30"), (e.Path, e.Value));
        Assert.Contains("real date", e.Message);
    }

    [Fact]
    public void Unknown_outcome_names_the_instalment_path()
    {
        var e = SingleError(Json(Book(JsonLoan(instalments: """
            [{"number":1,"dueDate":"2025-02-05","presentedDate":null,"amount":18140,"paidAmount":0,"outcome":"LATE"}]
            """))));
        Assert.Equal(("$.loans[0].instalments[0].outcome", "LATE"), (e.Path, e.Value));
    }

    [Fact]
    public void Unknown_mandate_is_an_error()
    {
        var e = SingleError(Json(Book(JsonLoan(mandate: "\"NACH\""))));
        Assert.Equal(("$.loans[0].mandate", "NACH"), (e.Path, e.Value));
    }

    [Fact]
    public void Duplicate_loan_ids_in_json_drop_both_and_name_the_first()
    {
        var r = Json(Book(JsonLoan(), JsonLoan(), JsonLoan(loanId: "LN2")));
        var e = SingleError(r);
        Assert.Equal(("LN1", "$.loans[1].loanId"), (e.Account, e.Path));
        Assert.Contains("already at $.loans[0]", e.Message);
        Assert.Equal(["LN2"], r.Loans.Select(l => l.LoanId));
    }

    [Fact]
    public void Duplicate_instalment_numbers_are_an_error()
    {
        var e = SingleError(Json(Book(JsonLoan(instalments: """
            [{"number":1,"dueDate":"2025-02-05","amount":18140,"paidAmount":18140,"outcome":"PAID"},
             {"number":1,"dueDate":"2025-03-05","amount":18140,"paidAmount":0,"outcome":"PENDING"}]
            """))));
        Assert.Equal("1", e.Value);
        Assert.Contains("duplicate instalment number", e.Message);
    }

    [Fact]
    public void Broken_json_reports_line_and_byte()
    {
        var e = SingleError(Json("{\"loans\": [\n {\"loanId\": }\n]}"));
        Assert.StartsWith("line 2", e.Path);
    }

    [Fact]
    public void Emi_as_text_that_is_not_a_number_is_reported_with_row_and_column()
    {
        var e = SingleError(Csv($"""
            {Header}
            LN1,shah@onemoney,L,Business Loan,500000,eighteen,5,36,2025-01-12,E_NACH,U,XXXX1234,r,1,2025-02-05,,18140,PENDING,0
            """));
        Assert.Equal(("LN1", "row 2, column emi", "eighteen"), (e.Account, e.Path, e.Value));
    }

    [Fact]
    public void Csv_loan_id_that_returns_after_another_loan_is_a_duplicate()
    {
        var other = LoanCols.Replace("LN1", "LN2", StringComparison.Ordinal);
        var r = Csv($"""
            {Header}
            {LoanCols},1,2025-02-05,,18140,PAID,18140
            {other},1,2025-02-05,,18140,PAID,18140
            {LoanCols},2,2025-03-05,,18140,PENDING,0
            """);
        var e = SingleError(r);
        Assert.Equal(("LN1", "row 4, column loan_id"), (e.Account, e.Path));
        Assert.Contains("row 2", e.Message);
        Assert.Equal(["LN2"], r.Loans.Select(l => l.LoanId));
    }

    [Fact]
    public void Csv_loan_columns_that_disagree_between_rows_are_an_error()
    {
        var changed = LoanCols.Replace("18140", "18150", StringComparison.Ordinal);
        var e = SingleError(Csv($"""
            {Header}
            {LoanCols},1,2025-02-05,,18140,PAID,18140
            {changed},2,2025-03-05,,18140,PENDING,0
            """));
        Assert.Equal(("row 3, column emi", "18150"), (e.Path, e.Value));
    }

    [Fact]
    public void Csv_missing_columns_are_listed()
    {
        var e = SingleError(Csv("loan_id,customer\nLN1,x@aa\n"));
        Assert.Contains("product", e.Message);
        Assert.Contains("paid_amount", e.Message);
    }

    [Fact]
    public void Csv_with_an_unterminated_quote_is_malformed()
    {
        var e = SingleError(Csv($"{Header}\n\"LN1,shah@onemoney,L,Business Loan,500000,18140,5,36,2025-01-12,E_NACH,U,XXXX1234,r,1,2025-02-05,,18140,PAID,18140\n"));
        Assert.Contains("malformed CSV", e.Message);
    }

    [Fact]
    public void Csv_row_with_too_few_fields_is_malformed()
    {
        var e = SingleError(Csv($"{Header}\nLN1,shah@onemoney,L\n"));
        Assert.Contains("malformed CSV", e.Message);
    }
}
