using System.Text;
using System.Text.Json;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>Turns a JSON stream into document events without building a DOM; arrays are transparent.</summary>
internal sealed class JsonEventWalker(IDocEventHandler handler, string rootPath = "$")
{
    private sealed class Container(bool isArray, string name, string path)
    {
        public bool IsArray => isArray;
        public string Name => name;
        public string Path => path;
        public int Index { get; set; } = -1;
        public string Property { get; set; } = "";
    }

    private readonly List<Container> _stack = [];
    private JsonTokenPump? _pump;

    /// <summary>Where the walk is now, for a syntax error.</summary>
    public string CurrentPath => _stack.Count == 0 ? rootPath
        : _stack[^1].IsArray ? $"{_stack[^1].Path}[{Math.Max(_stack[^1].Index, 0)}]"
        : _stack[^1].Property.Length > 0 ? $"{_stack[^1].Path}.{_stack[^1].Property}" : _stack[^1].Path;

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
                _stack[^1].Property = reader.GetString()!;
                break;
            case JsonTokenType.StartObject:
            {
                var (name, path) = NextSlot();
                _stack.Add(new Container(false, name, path));
                handler.BeginObject(name, path, 0);
                break;
            }
            case JsonTokenType.EndObject:
            {
                var closed = _stack[^1];
                _stack.RemoveAt(_stack.Count - 1);
                handler.EndObject(closed.Path, 0);
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
                Emit(ScalarKind.String, reader.GetString());
                break;
            case JsonTokenType.Number:
                // The raw text, so decimals are parsed from what was written, never via double.
                Emit(ScalarKind.Number, Encoding.UTF8.GetString(reader.ValueSpan));
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

    private (string Name, string Path) NextSlot()
    {
        if (_stack.Count == 0)
        {
            return ("", rootPath);
        }

        var top = _stack[^1];
        if (top.IsArray)
        {
            top.Index++;
            return (top.Name, $"{top.Path}[{top.Index}]");
        }

        return (top.Property, $"{top.Path}.{top.Property}");
    }
}
