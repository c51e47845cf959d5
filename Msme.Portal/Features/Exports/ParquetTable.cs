using Parquet;
using Parquet.Schema;

namespace Msme.Portal.Features.Exports;

/// <summary>
/// A Parquet table written row group by row group: rows are buffered up to <see cref="RowGroupSize"/>, then each
/// column is projected and written, and the buffer is reused. Memory is bounded by one row group, whatever the table size.
/// </summary>
internal sealed class ParquetTable<TRow>
{
    public const int RowGroupSize = 50_000;

    private readonly List<(DataField Field, Func<ParquetRowGroupWriter, List<TRow>, CancellationToken, Task> Write)> _columns = [];

    public ParquetSchema Schema => new(_columns.Select(c => (Field)c.Field));

    public ParquetTable<TRow> Int(string name, Func<TRow, int> get) =>
        Add(new DataField<int>(name), (rg, f, rows, ct) => rg.WriteAsync<int>(f, rows.Select(get).ToArray(), null, null, ct));

    public ParquetTable<TRow> NullableInt(string name, Func<TRow, int?> get) =>
        Add(new DataField<int?>(name), (rg, f, rows, ct) => rg.WriteAsync<int>(f, (ReadOnlyMemory<int?>)rows.Select(get).ToArray(), null, null, ct));

    public ParquetTable<TRow> Bool(string name, Func<TRow, bool> get) =>
        Add(new DataField<bool>(name), (rg, f, rows, ct) => rg.WriteAsync<bool>(f, rows.Select(get).ToArray(), null, null, ct));

    /// <summary>An exact decimal: DECIMAL(precision, scale); values are rounded to the scale (money arrives exact to the paisa).</summary>
    public ParquetTable<TRow> Decimal(string name, Func<TRow, decimal> get, int precision = 18, int scale = 2) =>
        Add(new DecimalDataField(name, precision, scale, isNullable: false),
            (rg, f, rows, ct) => rg.WriteAsync<decimal>(f, rows.Select(r => Math.Round(get(r), scale, MidpointRounding.AwayFromZero)).ToArray(), null, null, ct));

    public ParquetTable<TRow> NullableDecimal(string name, Func<TRow, decimal?> get, int precision = 18, int scale = 2) =>
        Add(new DecimalDataField(name, precision, scale, isNullable: true),
            (rg, f, rows, ct) => rg.WriteAsync<decimal>(f, (ReadOnlyMemory<decimal?>)rows.Select(r => get(r) is { } v ? Math.Round(v, scale, MidpointRounding.AwayFromZero) : (decimal?)null).ToArray(), null, null, ct));

    public ParquetTable<TRow> String(string name, Func<TRow, string?> get, bool nullable = true) =>
        Add(new DataField<string>(name, nullable), (rg, f, rows, ct) => rg.WriteAsync(f, rows.Select(get).ToArray()!, null));

    /// <summary>A calendar date: Parquet DATE.</summary>
    public ParquetTable<TRow> Date(string name, Func<TRow, DateOnly> get) =>
        Add(new DataField<DateOnly>(name), (rg, f, rows, ct) => rg.WriteAsync<DateOnly>(f, rows.Select(get).ToArray(), null, null, ct));

    public ParquetTable<TRow> NullableDate(string name, Func<TRow, DateOnly?> get) =>
        Add(new DataField<DateOnly?>(name), (rg, f, rows, ct) => rg.WriteAsync<DateOnly>(f, (ReadOnlyMemory<DateOnly?>)rows.Select(get).ToArray(), null, null, ct));

    /// <summary>An instant: Parquet TIMESTAMP(MILLIS, adjusted to UTC).</summary>
    public ParquetTable<TRow> Timestamp(string name, Func<TRow, DateTimeOffset> get) =>
        Add(new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false),
            (rg, f, rows, ct) => rg.WriteAsync<DateTime>(f, rows.Select(r => get(r).UtcDateTime).ToArray(), null, null, ct));

    public ParquetTable<TRow> NullableTimestamp(string name, Func<TRow, DateTimeOffset?> get) =>
        Add(new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true),
            (rg, f, rows, ct) => rg.WriteAsync<DateTime>(f, (ReadOnlyMemory<DateTime?>)rows.Select(r => get(r)?.UtcDateTime).ToArray(), null, null, ct));

    private ParquetTable<TRow> Add<TField>(TField field, Func<ParquetRowGroupWriter, TField, List<TRow>, CancellationToken, Task> write) where TField : DataField
    {
        _columns.Add((field, (rg, rows, ct) => write(rg, field, rows, ct)));
        return this;
    }

    /// <summary>Opens a writer over the stream; rows go in with AddAsync, the last row group on dispose.</summary>
    public async Task<Writer> OpenAsync(Stream output, CancellationToken ct = default) =>
        new(this, await ParquetWriter.CreateAsync(Schema, output, cancellationToken: ct), ct);

    public sealed class Writer(ParquetTable<TRow> table, ParquetWriter writer, CancellationToken ct) : IAsyncDisposable
    {
        private readonly List<TRow> _buffer = new(RowGroupSize);

        public long Rows { get; private set; }

        public async Task AddAsync(TRow row)
        {
            _buffer.Add(row);
            Rows++;
            if (_buffer.Count == RowGroupSize)
            {
                await FlushAsync();
            }
        }

        private async Task FlushAsync()
        {
            if (_buffer.Count == 0)
            {
                return;
            }
            using (var rg = writer.CreateRowGroup())
            {
                foreach (var (_, write) in table._columns)
                {
                    await write(rg, _buffer, ct);
                }
            }
            _buffer.Clear();
        }

        public async ValueTask DisposeAsync()
        {
            await FlushAsync();
            await writer.DisposeAsync();
        }
    }
}
