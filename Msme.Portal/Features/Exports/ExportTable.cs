using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using Msme.Domain;

namespace Msme.Portal.Features.Exports;

/// <summary>What a column holds, which decides how CSV spells it and how Excel types and formats it.</summary>
public enum ColumnKind
{
    Text,
    Integer,
    /// <summary>Rupees, exact to the paisa: a decimal with 2 places (a number in Excel, never text).</summary>
    Money,
    /// <summary>A ratio or probability as a plain number (0.82, not "82%").</summary>
    Ratio,
    /// <summary>A calendar date (<see cref="DateOnly"/>).</summary>
    Date,
    /// <summary>An instant, written in India Standard Time (<see cref="DateTimeOffset"/>).</summary>
    DateTime,
}

public sealed record ExportColumn(string Header, ColumnKind Kind = ColumnKind.Text);

/// <summary>
/// One downloadable table: readable headers, typed columns and its rows. <see cref="RowCount"/> is known before the
/// rows are written, so the audit entry (what, filters, rows) is appended before the first byte goes out.
/// </summary>
public sealed record ExportTable(string Name, string Title, string Filters, IReadOnlyList<ExportColumn> Columns, int RowCount, IAsyncEnumerable<object?[]> Rows)
{
    public static ExportTable Of(string name, string title, string filters, IReadOnlyList<ExportColumn> columns, IReadOnlyCollection<object?[]> rows) =>
        new(name, title, filters, columns, rows.Count, ToAsync(rows));

    private static async IAsyncEnumerable<object?[]> ToAsync(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }
        await Task.CompletedTask;
    }
}

public enum ExportFormat { Csv, Xlsx }

/// <summary>Writes an <see cref="ExportTable"/> as CSV (CsvHelper) or Excel (MiniExcel), streaming either way.</summary>
public static class ExportWriter
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const int FlushEvery = 500;

    public static string Extension(ExportFormat format) => format == ExportFormat.Csv ? "csv" : "xlsx";

    public static string ContentType(ExportFormat format) => format == ExportFormat.Csv ? "text/csv; charset=utf-8" : XlsxContentType;

    /// <summary>
    /// CSV: CsvHelper writes synchronously and ASP.NET Core forbids synchronous writes to the response, so rows go through
    /// a small buffer that is flushed asynchronously every few hundred rows; memory stays flat however long the table.
    /// Money is written with 2 decimals and a dot, dates ISO (yyyy-MM-dd), instants ISO 8601 in IST with the offset.
    /// </summary>
    public static async Task<int> WriteCsvAsync(ExportTable table, Stream output, CancellationToken ct = default)
    {
        var buffer = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = CsvWriter.Create(buffer, new CsvWriterOptions(), leaveOpen: true);
        foreach (var column in table.Columns)
        {
            csv.WriteField(column.Header);
        }
        csv.EndRecord();
        var rows = 0;
        await foreach (var row in table.Rows.WithCancellation(ct))
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                csv.WriteField(CsvText(row[i], table.Columns[i].Kind));
            }
            csv.EndRecord();
            if (++rows % FlushEvery == 0)
            {
                await FlushAsync(csv, buffer, output, ct);
            }
        }
        await FlushAsync(csv, buffer, output, ct);
        return rows;
    }

    /// <summary>
    /// Excel: MiniExcel streams rows into the workbook as it enumerates them (it never holds the sheet), but it writes
    /// synchronously, so it writes to a temp file on a worker thread; the file is then copied to the output asynchronously
    /// and deleted. Money cells are numbers formatted #,##0.00, dates real dates, instants date-times in IST.
    /// </summary>
    public static async Task<int> WriteXlsxAsync(ExportTable table, Stream output, CancellationToken ct = default)
    {
        var path = Path.Combine(Path.GetTempPath(), $"msme-export-{Guid.NewGuid():N}.xlsx");
        try
        {
            var rows = 0;
            await Task.Run(() =>
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
                using var rowsIn = Dictionaries(table, ct).Select(r => { rows++; return r; }).GetEnumerator();
                if (rowsIn.MoveNext())
                {
                    file.SaveAs(Prepend(rowsIn.Current, rowsIn), sheetName: SheetName(table.Title), configuration: Configuration(table));
                }
                else
                {
                    // MiniExcel takes the headers from the first row; without one, a column-only DataTable still gives them.
                    using var empty = new System.Data.DataTable(SheetName(table.Title));
                    foreach (var c in table.Columns)
                    {
                        empty.Columns.Add(c.Header, typeof(string));
                    }
                    file.SaveAs(empty, sheetName: SheetName(table.Title), configuration: Configuration(table));
                }
            }, ct);
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous))
            {
                await file.CopyToAsync(output, ct);
            }
            return rows;
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static Task<int> WriteAsync(ExportTable table, ExportFormat format, Stream output, CancellationToken ct = default) =>
        format == ExportFormat.Csv ? WriteCsvAsync(table, output, ct) : WriteXlsxAsync(table, output, ct);

    /// <summary>
    /// The value as CSV text; null is an empty field. Text that a spreadsheet would run as a formula (=, +, -, @, tab or
    /// CR first: names and narrations come from outside, reasons from users) gets a leading apostrophe, as OWASP advises.
    /// </summary>
    public static string CsvText(object? value, ColumnKind kind) => value switch
    {
        null => "",
        string text when kind == ColumnKind.Text && text.Length > 0 && "=+-@\t\r".Contains(text[0]) => "'" + text,
        decimal d when kind == ColumnKind.Money => d.ToString("0.00", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToOffset(IndianTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        double x => x.ToString("0.######", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static async Task FlushAsync(CsvWriter csv, StringWriter buffer, Stream output, CancellationToken ct)
    {
        csv.Flush();
        var sb = buffer.GetStringBuilder();
        if (sb.Length == 0)
        {
            return;
        }
        await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(sb.ToString()), ct);
        sb.Clear();
    }

    /// <summary>Rows as MiniExcel takes them (header → value), with dates and instants as Excel dates.</summary>
    private static IEnumerable<IDictionary<string, object?>> Dictionaries(ExportTable table, CancellationToken ct)
    {
        foreach (var row in table.Rows.ToBlockingEnumerable(ct))
        {
            var cells = new Dictionary<string, object?>(table.Columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                cells[table.Columns[i].Header] = row[i] switch
                {
                    DateOnly d => d.ToDateTime(TimeOnly.MinValue),
                    DateTimeOffset t => t.ToOffset(IndianTime.Offset).DateTime,
                    decimal m when table.Columns[i].Kind == ColumnKind.Money => decimal.Round(m, 2),
                    var v => v,
                };
            }
            yield return cells;
        }
    }

    private static OpenXmlConfiguration Configuration(ExportTable table) => new()
    {
        DynamicColumns = [.. table.Columns.Select((c, i) => new DynamicExcelColumn(c.Header)
        {
            Index = i,
            Width = Math.Clamp(c.Header.Length + 4, c.Kind is ColumnKind.Date or ColumnKind.Money ? 14 : 10, 48),
            Format = c.Kind switch
            {
                ColumnKind.Money => "#,##0.00",
                ColumnKind.Date => "yyyy-mm-dd",
                ColumnKind.DateTime => "yyyy-mm-dd hh:mm:ss",
                ColumnKind.Ratio => "0.000000",
                _ => null,
            },
        })],
    };

    private static IEnumerable<T> Prepend<T>(T first, IEnumerator<T> rest)
    {
        yield return first;
        while (rest.MoveNext())
        {
            yield return rest.Current;
        }
    }

    /// <summary>Excel sheet names: at most 31 characters, none of []:*?/\.</summary>
    private static string SheetName(string title)
    {
        var clean = new string([.. title.Where(c => "[]:*?/\\".IndexOf(c) < 0)]);
        return clean.Length <= 31 ? clean : clean[..31];
    }
}
