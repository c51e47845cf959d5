using System.Globalization;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>What a scalar was in the source: JSON keeps the difference between "12" and 12; XML attributes are always strings.</summary>
internal enum ScalarKind { String, Number, True, False, Null }

/// <summary>
/// Format-neutral events both walkers emit, so one state machine understands JSON and XML alike.
/// Names are as written in the source; the handler normalises them. Paths are ready to show to a person.
/// </summary>
internal interface IDocEventHandler
{
    /// <summary>An object (JSON) or element (XML). In JSON an array element carries its array's name.</summary>
    void BeginObject(string name, DocPath path, int line);

    /// <summary>A property value (JSON) or attribute (XML).</summary>
    void Scalar(string name, ScalarKind kind, string? value, DocPath path, int line);

    /// <summary>
    /// A JSON value offered as its UTF-8 bytes before any string is made: true when the handler took it (a money field
    /// it could read exactly from the bytes); false, and the walker sends it to <see cref="Scalar"/> as text.
    /// </summary>
    bool TryScalarUtf8(string name, ScalarKind kind, ReadOnlySpan<byte> utf8, DocPath path, int line);

    void EndObject(DocPath path, int line);

    /// <summary>True when the object about to open under this name is a transaction, which a walker may read whole.</summary>
    bool ExpectsTransaction(string name) => false;

    /// <summary>A transaction object read whole (see <see cref="JsonTransactionReader"/>): what its events would have built.</summary>
    void Transaction(in TransactionFields fields, DocPath txnIdPath, int line) =>
        throw new NotSupportedException("this handler does not take whole transactions");

    /// <summary>Lets a handler end the walk early (a pre-scan that has what it needed).</summary>
    bool Stopped { get; }
}

/// <summary>An object or element on the walk whose path is spelt out only when something asks for it.</summary>
internal class PathNode(DocPath at)
{
    private string? _text;

    public DocPath At { get; private set; } = at;

    public string Text => _text ??= At.ToString();

    /// <summary>Reuses the node for another object once nothing holds a path through the old one.</summary>
    protected void MoveTo(DocPath at)
    {
        At = at;
        _text = null;
    }
}

/// <summary>
/// A place in the document (<c>$.FI.DEPOSIT[3].transactions.transaction[17].amount</c>, <c>/Account/Transactions/Transaction[5]@amount</c>),
/// kept as its parent and last step and turned into text only when an issue shows it: a clean read of a million
/// transactions used to build ten million path strings nobody read (measured: a third of the bytes allocated).
/// </summary>
internal readonly struct DocPath
{
    private readonly string? _text;
    private readonly PathNode? _parent;
    private readonly string? _step;
    private readonly int _index;
    private readonly char _separator;

    private DocPath(string? text, PathNode? parent, string? step, int index, char separator) =>
        (_text, _parent, _step, _index, _separator) = (text, parent, step, index, separator);

    /// <summary>A path already spelt out.</summary>
    public static DocPath Of(string text) => new(text, null, null, -1, '\0');

    /// <summary>A JSON property of an object: <c>parent.name</c>.</summary>
    public static DocPath Property(PathNode parent, string name) => new(null, parent, name, -1, '.');

    /// <summary>A JSON array item: <c>parent[index]</c>.</summary>
    public static DocPath Item(PathNode parent, int index) => new(null, parent, null, index, '[');

    /// <summary>An XML attribute of an element: <c>element@name</c>.</summary>
    public static DocPath Attribute(PathNode element, string name) => new(null, element, name, -1, '@');

    /// <summary>An XML child element: <c>parent/name</c>, or <c>parent/name[index]</c> for one that repeats (index from 1).</summary>
    public static DocPath Element(PathNode parent, string name, int index) => new(null, parent, name, index, '/');

    /// <summary>The place is an item of an array (JSON), rather than a named property.</summary>
    public bool IsArrayItem => _separator == '[' || (_separator == '\0' && _text is { } t && t.EndsWith(']'));

    public override string ToString() => _separator switch
    {
        '.' => $"{_parent!.Text}.{_step}",
        '[' => $"{_parent!.Text}[{_index.ToString(CultureInfo.InvariantCulture)}]",
        '@' => $"{_parent!.Text}@{_step}",
        '/' => _index < 0 ? $"{_parent!.Text}/{_step}" : $"{_parent!.Text}/{_step}[{_index.ToString(CultureInfo.InvariantCulture)}]",
        _ => _text ?? "",
    };

    public static implicit operator string(DocPath path) => path.ToString();
}
