using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Msme.Portal.Data;

/// <summary>The one encoding of DateTimeOffset columns, shared by EF Core and the raw bulk writers.</summary>
internal static class DateTimeOffsetStorage
{
    private static readonly DateTimeOffsetToBinaryConverter Converter = new();

    public static long ToProvider(DateTimeOffset value) => (long)Converter.ConvertToProvider(value)!;

    public static DateTimeOffset FromProvider(long value) => (DateTimeOffset)Converter.ConvertFromProvider(value)!;
}
