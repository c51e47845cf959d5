using System.Text;
using System.Text.Json;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>Turns a JSON stream into document events without building a DOM; arrays are transparent.</summary>
internal sealed class JsonEventWalker(IDocEventHandler handler, string rootPath = "$")
{
    private sealed class Container() : PathNode(default)
    {
        public bool IsArray { get; private set; }
        public string Name { get; private set; } = "";
        public int Index { get; set; } = -1;
        public string Property { get; set; } = "";

        public Container Open(bool isArray, string name, DocPath at)
        {
            (IsArray, Name, Index, Property) = (isArray, name, -1, "");
            MoveTo(at);
            return this;
        }
    }

    private readonly List<Container> _stack = [];
    // Closed containers, reused for the next object: one per transaction otherwise. Safe because every path held
    // through a container (a transaction's field paths, a frame's path) is let go by the time its object closes.
    private readonly Stack<Container> _free = new();
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
                var opened = Open(false, name, path);
                if (handler.ExpectsTransaction(name))
                {
                    // Most transactions are plain: read them in one go, and rewind for the general path if this one is not.
                    // A syntax error inside is left to the general path too, so its message names the field it sits in.
                    var start = reader;
                    if (TryReadTransaction(ref reader, out var fields))
                    {
                        handler.Transaction(fields, DocPath.Property(opened, fields.TxnIdName), 0);
                        _free.Push(opened);
                        break;
                    }

                    reader = start;
                }

                _stack.Add(opened);
                handler.BeginObject(name, path, 0);
                break;
            }
            case JsonTokenType.EndObject:
            {
                var closed = _stack[^1];
                _stack.RemoveAt(_stack.Count - 1);
                handler.EndObject(closed.At, 0);
                _free.Push(closed);
                break;
            }
            case JsonTokenType.StartArray:
            {
                var (name, path) = NextSlot();
                _stack.Add(Open(true, name, path));
                break;
            }
            case JsonTokenType.EndArray:
                _free.Push(_stack[^1]);
                _stack.RemoveAt(_stack.Count - 1);
                break;
            case JsonTokenType.String when reader.ValueIsEscaped:
                Emit(ScalarKind.String, reader.GetString());
                break;
            case JsonTokenType.String or JsonTokenType.Number:
            {
                // The raw text, so decimals are parsed from what was written, never via double.
                var kind = reader.TokenType == JsonTokenType.String ? ScalarKind.String : ScalarKind.Number;
                var (name, path) = NextSlot();
                if (!handler.TryScalarUtf8(name, kind, reader.ValueSpan, path, 0))
                {
                    handler.Scalar(name, kind, _values.Get(reader.ValueSpan), path, 0);
                }

                break;
            }
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

    private bool TryReadTransaction(ref Utf8JsonReader reader, out TransactionFields fields)
    {
        try
        {
            return JsonTransactionReader.TryRead(ref reader, _names, _values, out fields);
        }
        catch (JsonException)
        {
            fields = default;
            return false;
        }
    }

    private Container Open(bool isArray, string name, DocPath at) =>
        (_free.TryPop(out var reused) ? reused : new Container()).Open(isArray, name, at);

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
