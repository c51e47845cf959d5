using System.Text;
using System.Text.Json;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>Turns a JSON stream into document events without building a DOM; arrays are transparent.</summary>
internal sealed class JsonEventWalker(IDocEventHandler handler, string rootPath = "$")
{
    private sealed class Container(bool isArray, string name, DocPath at) : PathNode(at)
    {
        public bool IsArray => isArray;
        public string Name => name;
        public int Index { get; set; } = -1;
        public string Property { get; set; } = "";
    }

    private readonly List<Container> _stack = [];
    // Property names repeat in every transaction, short values (CREDIT, UPI, dates) often: one string each, not one per token.
    private readonly Utf8StringCache _names = new(256, 64);
    private readonly Utf8StringCache _values = new(1024, 16);
    private JsonTokenPump? _pump;

    /// <summary>Where the walk is now, for a syntax error.</summary>
    public string CurrentPath => _stack.Count == 0 ? rootPath
        : _stack[^1].IsArray ? $"{_stack[^1].Text}[{Math.Max(_stack[^1].Index, 0)}]"
        : _stack[^1].Property.Length > 0 ? $"{_stack[^1].Text}.{_stack[^1].Property}" : _stack[^1].Text;

    public int Depth => _stack.Count;

    /// <summary>The syntax error was the data running out: the file is truncated.</summary>
    public bool EndedEarly => _pump?.EndedEarly ?? false;

    public void Walk(Stream stream)
    {
        _pump = new JsonTokenPump(stream);
        _pump.Run(OnToken, () => handler.Stopped);
    }

    private void OnToken(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _stack[^1].Property = reader.ValueIsEscaped ? reader.GetString()! : _names.Get(reader.ValueSpan);
                break;
            case JsonTokenType.StartObject:
            {
                var (name, path) = NextSlot();
                var container = new Container(false, name, path);
                _stack.Add(container);
                handler.BeginObject(name, path, 0);
                break;
            }
            case JsonTokenType.EndObject:
            {
                var closed = _stack[^1];
                _stack.RemoveAt(_stack.Count - 1);
                handler.EndObject(closed.At, 0);
                break;
            }
            case JsonTokenType.StartArray:
            {
                var (name, path) = NextSlot();
                _stack.Add(new Container(true, name, path));
                break;
            }
            case JsonTokenType.EndArray:
                _stack.RemoveAt(_stack.Count - 1);
                break;
            case JsonTokenType.String:
                Emit(ScalarKind.String, reader.ValueIsEscaped ? reader.GetString() : _values.Get(reader.ValueSpan));
                break;
            case JsonTokenType.Number:
                // The raw text, so decimals are parsed from what was written, never via double.
                Emit(ScalarKind.Number, _values.Get(reader.ValueSpan));
                break;
            case JsonTokenType.True:
                Emit(ScalarKind.True, "true");
                break;
            case JsonTokenType.False:
                Emit(ScalarKind.False, "false");
                break;
            case JsonTokenType.Null:
                Emit(ScalarKind.Null, null);
                break;
        }
    }

    private void Emit(ScalarKind kind, string? value)
    {
        var (name, path) = NextSlot();
        handler.Scalar(name, kind, value, path, 0);
    }

    private (string Name, DocPath Path) NextSlot()
    {
        if (_stack.Count == 0)
        {
            return ("", DocPath.Of(rootPath));
        }

        var top = _stack[^1];
        if (top.IsArray)
        {
            top.Index++;
            return (top.Name, DocPath.Item(top, top.Index));
        }

        return (top.Property, DocPath.Property(top, top.Property));
    }
}

/// <summary>
/// Strings for UTF-8 byte runs that repeat (property names, CREDIT, UPI, a day's date): a direct-mapped cache, so a hit
/// costs a hash and a compare instead of a string, and a miss costs what decoding always did. Longer runs are decoded.
/// </summary>
internal sealed class Utf8StringCache(int slots, int maxBytes)
{
    private readonly byte[]?[] _keys = new byte[slots][];
    private readonly int[] _lengths = new int[slots];
    private readonly string?[] _values = new string[slots];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > maxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }

        var slot = (int)(hash % (uint)_values.Length);
        if (_values[slot] is { } cached && _lengths[slot] == utf8.Length && utf8.SequenceEqual(_keys[slot].AsSpan(0, utf8.Length)))
        {
            return cached;
        }

        var text = Encoding.UTF8.GetString(utf8);
        var key = _keys[slot] ??= new byte[maxBytes];
        utf8.CopyTo(key);
        _lengths[slot] = utf8.Length;
        _values[slot] = text;
        return text;
    }
}
