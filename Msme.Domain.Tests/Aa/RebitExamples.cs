using System.Text.Json;

namespace Msme.Domain.Tests.Aa;

/// <summary>ReBIT AA/FIU API 2.0.0 examples assembled from the specs' example values (Fixtures/rebit-aa-2.0.0-examples.json).</summary>
internal static class RebitExamples
{
    private static readonly JsonDocument Doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AaVector.Dir, "rebit-aa-2.0.0-examples.json")));

    public static JsonElement Get(string schema) => Doc.RootElement.GetProperty(schema);

    public static byte[] Bytes(string schema) => JsonSerializer.SerializeToUtf8Bytes(Get(schema));
}
