using System.Text;
using System.Text.Json;
using System.Xml;

using Msme.Domain.Ingestion.Reading;

namespace Msme.Domain.Ingestion;

/// <summary>Reads DEPOSIT FI documents (JSON or XML, ReBIT v1 or v2, any wrapper) in bounded memory.</summary>
public static class DepositDocumentReader
{
    /// <summary>
    /// Streams one FI document into the sink. The format is detected from the first non-whitespace byte (a UTF-8 BOM
    /// is fine). Per-transaction problems are reported and reading goes on; a syntax error or a non-UTF-8 byte ends it.
    /// </summary>
    public static IReadOnlyList<IngestionIssue> Read(Stream stream, string fileName, IDepositSink sink)
    {
        var issues = new IssueCollector(fileName);
        Read(stream, issues, sink, ReadOptions.Default);
        return issues.ToList();
    }

    /// <summary>Convenience for analytics and tests: collects the accounts with their transactions.</summary>
    public static DepositParseResult ReadAll(Stream stream, string fileName)
    {
        var sink = new CollectingSink();
        var issues = Read(stream, fileName, sink);
        return new DepositParseResult(sink.Accounts, issues);
    }

    /// <returns>How many transactions the JSON fast path read whole (the rest went through the events).</returns>
    internal static int Read(Stream stream, IssueCollector issues, IDepositSink sink, ReadOptions options)
    {
        using var input = new Utf8InputStream(stream);
        var machine = new DepositStateMachine(issues, sink, options);
        JsonEventWalker? json = null;
        XmlEventWalker? xml = null;
        try
        {
            var first = input.PeekSignificantByte();
            if (first < 0)
            {
                issues.Error(null, "$", null, input.BytesRead == 0 ? "the file is empty (0 bytes)" : "the file holds only whitespace");
                return 0;
            }

            switch (first)
            {
                case '{' or '[':
                    json = new JsonEventWalker(machine);
                    json.Walk(input);
                    break;
                case '<':
                    xml = new XmlEventWalker(machine);
                    if (input.Transcoded)
                    {
                        // The declaration says UTF-16 but these bytes are now UTF-8: a text reader makes XmlReader ignore it.
                        using var text = new StreamReader(input, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                        xml.Walk(text);
                    }
                    else
                    {
                        xml.Walk(input);
                    }

                    break;
                default:
                    issues.Error(null, "$", $"0x{first:X2}", $"not a JSON or XML document: it starts with '{(char)first}'");
                    return 0;
            }

            machine.Finish();
        }
        catch (InvalidUtf8Exception ex)
        {
            issues.Error(machine.CurrentAccount, json?.CurrentPath ?? xml?.CurrentPath ?? "$", $"0x{ex.Value:X2}",
                $"the file is not {ex.EncodingName}: {ex.Message}; reading stopped");
        }
        catch (JsonException ex) when (json is not null)
        {
            var truncated = json.EndedEarly && json.Depth > 0;
            var message = truncated
                ? $"the JSON ends before the document is complete ({json.Depth} object(s) or array(s) still open): the file looks truncated"
                : $"JSON syntax error after this point: {StripPosition(ex.Message)}";
            issues.Error(machine.CurrentAccount, json.CurrentPath, null, message + "; reading stopped",
                ex.LineNumber is { } l ? (int)l + 1 : null);
        }
        catch (XmlException ex) when (xml is not null)
        {
            issues.Error(machine.CurrentAccount, xml.CurrentPath, null, $"XML is not well-formed: {ex.Message}; reading stopped",
                ex.LineNumber > 0 ? ex.LineNumber : xml.CurrentLine);
        }

        return machine.WholeTransactionsRead;
    }

    // Utf8JsonReader appends "LineNumber: n | BytePositionInLine: m."; the issue carries the line itself.
    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at > 0 ? message[..at].TrimEnd() : message;
    }
}

/// <summary>Keeps every account with its transactions: for ReadAll, the analyze verb, tests and analytics over small documents.</summary>
public sealed class CollectingSink : IDepositSink
{
    private List<Transaction>? _current;
    // Accounts of one file tend to be alike in size: start each list at the last one's, rather than grow it from 4.
    private int _lastCount;

    public List<DepositAccount> Accounts { get; } = [];

    public void BeginAccount(AccountKey key) => _current = new List<Transaction>(Math.Min(_lastCount, 10_000));

    public void OnTransaction(AccountKey key, Transaction txn) => _current!.Add(txn);

    public void EndAccount(DepositAccount header)
    {
        Accounts.Add(header with { Transactions = _current ?? [] });
        _lastCount = _current?.Count ?? 0;
        _current = null;
    }
}
