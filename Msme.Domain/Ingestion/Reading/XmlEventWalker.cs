using System.Xml;
using System.Xml.Schema;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>Turns an XML stream into document events with XmlReader (forward-only): elements are objects, attributes scalars.</summary>
internal sealed class XmlEventWalker(IDocEventHandler handler, string pathPrefix = "")
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    // Elements that repeat get an XPath index (1-based) so a person can count to the bad one.
    private static readonly HashSet<string> Repeating = new(StringComparer.Ordinal) { "transaction", "holder", "pending", "pendingtxn", "account" };

    private sealed class Frame(DocPath at) : PathNode(at)
    {
        // Made on the first child: most elements (every Transaction) have none.
        private Dictionary<string, int>? _childCounts;

        public int NextIndex(string name)
        {
            _childCounts ??= new Dictionary<string, int>(StringComparer.Ordinal);
            return _childCounts[name] = _childCounts.GetValueOrDefault(name) + 1;
        }
    }

    private readonly List<Frame> _stack = [];
    private XmlReader? _reader;

    public string CurrentPath => _stack.Count == 0 ? pathPrefix + "/" : _stack[^1].Text;

    public int CurrentLine => _reader is IXmlLineInfo info ? info.LineNumber : 0;

    public void Walk(Stream stream)
    {
        using var reader = XmlReader.Create(stream, Settings);
        Walk(reader);
    }

    public void Walk(TextReader text)
    {
        using var reader = XmlReader.Create(text, Settings);
        Walk(reader);
    }

    private void Walk(XmlReader reader)
    {
        _reader = reader;
        while (!handler.Stopped && reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    OnElement(reader);
                    break;
                case XmlNodeType.EndElement:
                {
                    var closed = _stack[^1];
                    _stack.RemoveAt(_stack.Count - 1);
                    handler.EndObject(closed.At, CurrentLine);
                    break;
                }
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    // ReBIT deposit XML carries every value in attributes; text is not part of the schema.
                    handler.Scalar("#text", ScalarKind.String, reader.Value, DocPath.Of(CurrentPath + "/text()"), CurrentLine);
                    break;
            }
        }
    }

    private void OnElement(XmlReader reader)
    {
        var name = reader.LocalName;
        var line = CurrentLine;
        DocPath path;
        if (_stack.Count == 0)
        {
            path = DocPath.Of($"{pathPrefix}/{name}");
        }
        else
        {
            var parent = _stack[^1];
            var index = parent.NextIndex(name);
            path = DocPath.Element(parent, name, Repeating.Contains(FieldNames.Normalise(name)) ? index : -1);
        }

        var element = new Frame(path);
        handler.BeginObject(name, path, line);
        var empty = reader.IsEmptyElement;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.Prefix == "xmlns" || reader.LocalName == "xmlns" || reader.NamespaceURI == XmlSchema.InstanceNamespace)
                {
                    continue;
                }

                handler.Scalar(reader.LocalName, ScalarKind.String, reader.Value, DocPath.Attribute(element, reader.LocalName), CurrentLine);
            }
            while (reader.MoveToNextAttribute());

            reader.MoveToElement();
        }

        if (empty)
        {
            handler.EndObject(path, line);
        }
        else
        {
            _stack.Add(element);
        }
    }
}
