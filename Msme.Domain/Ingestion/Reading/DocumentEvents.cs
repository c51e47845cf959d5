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
    void BeginObject(string name, string path, int line);

    /// <summary>A property value (JSON) or attribute (XML).</summary>
    void Scalar(string name, ScalarKind kind, string? value, string path, int line);

    void EndObject(string path, int line);

    /// <summary>Lets a handler end the walk early (a pre-scan that has what it needed).</summary>
    bool Stopped { get; }
}
