using MiniExcelLibs;
using Msme.Portal.Features.Exports;

namespace Msme.Portal.Tests.Exports;

/// <summary>The CSV and Excel writers: readable headers, money as exact numbers, dates as dates, nulls as empty cells.</summary>
public sealed class ExportWriterTests
{
    private static readonly ExportColumn[] Columns =
    [
        new("Customer"), new("EMI (₹)", ColumnKind.Money), new("Due date", ColumnKind.Date), new("Logged at", ColumnKind.DateTime),
        new("Probability", ColumnKind.Ratio), new("DPD", ColumnKind.Integer),
    ];

    private static ExportTable Table(params object?[][] rows) => ExportTable.Of("t", "Test table", "none", Columns, rows);

    private static readonly object?[] Row1 = ["Sharma, \"Traders\"", 12_345.6m, new DateOnly(2026, 10, 5), new DateTimeOffset(2026, 10, 1, 4, 30, 0, TimeSpan.Zero), 0.8125, 3];
    private static readonly object?[] Row2 = ["Kumar Stores", 1_00_00_000.01m, new DateOnly(2026, 2, 28), null, null, 0];

    [Fact]
    public async Task Csv_has_the_headers_then_one_line_per_row_with_money_to_the_paisa_and_iso_dates()
    {
        using var output = new MemoryStream();

        var rows = await ExportWriter.WriteCsvAsync(Table(Row1, Row2), output);

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, rows);
        Assert.Equal("Customer,EMI (₹),Due date,Logged at,Probability,DPD", lines[0]);
        Assert.Equal("\"Sharma, \"\"Traders\"\"\",12345.60,2026-10-05,2026-10-01T10:00:00+05:30,0.8125,3", lines[1]);
        Assert.Equal("Kumar Stores,10000000.01,2026-02-28,,,0", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task Csv_of_many_rows_is_flushed_in_parts_and_loses_none()
    {
        using var output = new MemoryStream();
        var many = Enumerable.Range(0, 1_234).Select(i => new object?[] { $"c{i}", i / 100m, new DateOnly(2026, 1, 1).AddDays(i % 300), null, null, i }).ToArray();

        var rows = await ExportWriter.WriteCsvAsync(Table(many), output);

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1_234, rows);
        Assert.Equal(1_235, lines.Length);
        Assert.Equal("c1233,12.33,2026-02-03,,,1233", lines[^1]);
    }

    [Fact]
    public async Task Excel_reads_back_with_the_same_headers_numbers_for_money_and_dates_for_dates()
    {
        using var output = new MemoryStream();

        var rows = await ExportWriter.WriteXlsxAsync(Table(Row1, Row2), output);

        output.Position = 0;
        Assert.Equal(2, rows);
        Assert.Equal(Columns.Select(c => c.Header), output.GetColumns(useHeaderRow: true)!.Cast<string>());
        output.Position = 0;
        var back = output.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(2, back.Count);
        Assert.Equal("Sharma, \"Traders\"", back[0]["Customer"]);
        // A number cell (Excel keeps doubles), equal to the rupees to the paisa: not the text "12,345.60".
        Assert.Equal(12_345.60m, Math.Round(Convert.ToDecimal(Assert.IsType<double>(back[0]["EMI (₹)"])), 2));
        Assert.Equal(1_00_00_000.01m, Math.Round(Convert.ToDecimal(Assert.IsType<double>(back[1]["EMI (₹)"])), 2));
        Assert.Equal(new DateTime(2026, 10, 5), Assert.IsType<DateTime>(back[0]["Due date"]));
        // Instants in India Standard Time (the header says so on the screens that export them).
        Assert.Equal(new DateTime(2026, 10, 1, 10, 0, 0), Assert.IsType<DateTime>(back[0]["Logged at"]));
        Assert.Null(back[1]["Logged at"]);
        Assert.Equal(0.8125, Assert.IsType<double>(back[0]["Probability"]));
        Assert.Equal(3d, Convert.ToDouble(back[0]["DPD"]));
    }

    [Fact]
    public async Task Excel_money_cells_carry_a_number_format_with_two_decimals()
    {
        using var output = new MemoryStream();
        await ExportWriter.WriteXlsxAsync(Table(Row1), output);

        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(output.ToArray()));
        var styles = new StreamReader(zip.GetEntry("xl/styles.xml")!.Open()).ReadToEnd();
        var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()).ReadToEnd();

        Assert.Contains("formatCode=\"#,##0.00\"", styles);
        Assert.Contains("formatCode=\"yyyy-mm-dd\"", styles);
        Assert.Matches("<x:c r=\"B2\"[^>]*><x:v>12345.6</x:v>", sheet);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+91 98", "'+91 98")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Sharma Traders", "Sharma Traders")]
    public void Csv_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(string text, string expected)
    {
        Assert.Equal(expected, ExportWriter.CsvText(text, ColumnKind.Text));
        Assert.Equal("-12.50", ExportWriter.CsvText(-12.5m, ColumnKind.Money));
    }

    [Fact]
    public async Task An_empty_table_still_has_its_headers()
    {
        using var csv = new MemoryStream();
        using var xlsx = new MemoryStream();

        await ExportWriter.WriteCsvAsync(Table(), csv);
        await ExportWriter.WriteXlsxAsync(Table(), xlsx);

        Assert.Equal("Customer,EMI (₹),Due date,Logged at,Probability,DPD\r\n", System.Text.Encoding.UTF8.GetString(csv.ToArray()));
        xlsx.Position = 0;
        var sheet = xlsx.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(Columns.Select(c => c.Header), Assert.Single(sheet).Values.Cast<string>());
    }
}
