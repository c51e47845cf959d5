using Msme.Portal.Features.Exports;
using Parquet;

namespace Msme.Portal.Tests.Exports;

/// <summary>The lake's writer: row groups of at most 50,000 rows, so a large table never sits in memory whole.</summary>
public sealed class ParquetTableTests
{
    [Fact]
    public async Task Rows_are_written_in_groups_of_at_most_fifty_thousand_and_read_back_in_order()
    {
        var table = new ParquetTable<(int Id, decimal Amount)>().Int("id", r => r.Id).Decimal("amount", r => r.Amount);
        using var file = new MemoryStream();

        await using (var writer = await table.OpenAsync(file))
        {
            for (var i = 0; i < 120_001; i++)
            {
                await writer.AddAsync((i, i / 100m));
            }
        }

        file.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(file);
        Assert.Equal(3, reader.RowGroupCount);
        Assert.Equal([50_000L, 50_000L, 20_001L], Enumerable.Range(0, 3).Select(g => reader.OpenRowGroupReader(g).RowCount));
        var last = reader.OpenRowGroupReader(2);
        var amounts = new decimal[last.RowCount];
        await last.ReadAsync<decimal>(reader.Schema.DataFields[1], amounts.AsMemory());
        Assert.Equal(1_200.00m, amounts[^1]);
        Assert.Equal(1_000.00m, amounts[0]);
    }
}
