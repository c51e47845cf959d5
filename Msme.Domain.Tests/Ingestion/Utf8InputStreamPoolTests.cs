using System.Text;
using Msme.Domain.Ingestion.Reading;

namespace Msme.Domain.Tests.Ingestion;

/// <summary>
/// The UTF-8 input stream reads through a buffer rented from the shared pool: a stream never hands out another
/// stream's bytes, and a disposed stream (its buffer returned) reads nothing.
/// </summary>
public class Utf8InputStreamPoolTests
{
    [Fact]
    public void A_short_input_after_a_long_one_reads_its_own_bytes_only()
    {
        var rng = new Random(17);
        var longText = new string([.. Enumerable.Range(0, 200_000).Select(_ => (char)('a' + rng.Next(26)))]);
        Assert.Equal(Encoding.UTF8.GetBytes(longText), ReadAll(Encoding.UTF8.GetBytes(longText)));

        // The next stream most likely rents the buffer the first one filled and returned.
        foreach (var text in new[] { "{}", "x", "", "\uFEFF[1]", "₹ 1,00,000" })
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var expected = bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
            Assert.Equal(expected, ReadAll(bytes));
        }
    }

    [Fact]
    public void A_disposed_stream_reads_nothing()
    {
        var stream = new Utf8InputStream(new MemoryStream(Encoding.UTF8.GetBytes(new string('a', 100_000))));
        var buffer = new byte[10];
        stream.ReadExactly(buffer);
        Assert.Equal("aaaaaaaaaa"u8.ToArray(), buffer);
        stream.Dispose();
        stream.Dispose();
        Assert.Equal(0, stream.Read(buffer));
    }

    private static byte[] ReadAll(byte[] input)
    {
        using var stream = new Utf8InputStream(new MemoryStream(input));
        using var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }
}
