using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>How a document is read: the FIP to assume when no wrapper names one, and whether the top level is a bundle envelope.</summary>
internal sealed record ReadOptions
{
    public static readonly ReadOptions Default = new();

    public string? DefaultFipId { get; init; }

    /// <summary>The top level is an envelope: only its <c>fi</c> array holds documents.</summary>
    public bool Envelope { get; init; }

    /// <summary>
    /// Plain JSON transactions are read whole (<see cref="JsonTransactionReader"/>); off, every one goes through the
    /// events, which is how tests prove the two paths give the same accounts and the same issues.
    /// </summary>
    public bool WholeTransactions { get; init; } = true;
}

/// <summary>
/// The one place that knows the deposit schema: turns format-neutral document events into accounts and transactions,
/// whatever wrapper, spelling, version or format they came in.
/// </summary>
/// <remarks>
/// Objects are recognised by name and nesting: <c>account</c>, or any object that turns out to hold profile, summary or
/// transactions (a bare account, FI.DEPOSIT[]). Everything else around them is a wrapper whose fipID, linkRefNumber and
/// maskedAccNumber are remembered as hints for the accounts inside.
/// </remarks>
internal sealed class DepositStateMachine(IssueCollector issues, IDepositSink sink, ReadOptions options) : IDocEventHandler
{
    private enum Role { Root, EnvelopeRoot, Container, Ignored, Account, Profile, Holders, Holder, Summary, PendingList, Pending, Transactions, Transaction }

    private sealed class Frame(Role role, string name, DocPath path, int line)
    {
        public Role Role { get; set; } = role;
        public string Name => name;
        public DocPath Path { get; private set; } = path;
        public int Line { get; private set; } = line;
        public WrapperHints Inherited { get; init; }
        public string? FipId { get; set; }
        public string? LinkRef { get; set; }
        public string? Masked { get; set; }
        public List<RawValue>? Held { get; set; }
        public int AccountsAtStart { get; init; }
        public bool Encrypted { get; set; }
        public AccountBuilder? Account { get; set; }
        public TransactionBuilder? Txn { get; private set; }
        public HolderBuilder? Holder { get; init; }
        public SummaryBuilder? Summary { get; init; }
        public PendingBuilder? Pending { get; init; }

        /// <summary>The one transaction frame, moved to the next transaction object (transactions never nest).</summary>
        public Frame NextTransaction(DocPath at, int atLine, AccountBuilder account, TransactionBuilder txn)
        {
            (Path, Line, Account, Txn) = (at, atLine, account, txn);
            return this;
        }

        /// <summary>Hints in force for objects inside this one.</summary>
        public WrapperHints Hints => new(FipId ?? Inherited.FipId, LinkRef ?? Inherited.LinkRef, Masked ?? Inherited.Masked);
    }

    private static readonly HashSet<string> AccountParts = new(StringComparer.Ordinal) { "profile", "summary", "transactions" };
    private static readonly HashSet<string> EnvelopeSections = new(StringComparer.Ordinal) { "customer", "fetchsession", "consent", "bundleversion" };
    private static readonly HashSet<string> EmbeddedDocumentNames = new(StringComparer.Ordinal) { "decryptedfi", "fi", "data", "account" };

    private readonly List<Frame> _stack = [];
    // Transactions never nest: one builder, reset for each, instead of one with its own field table per transaction.
    private readonly TransactionBuilder _txn = new();
    private Frame? _txnFrame;
    // The txnIds seen per account, handed from one account to the next so a file of many accounts does not grow a
    // table from nothing for each (growing them was an eighth of the read's CPU).
    private readonly Stack<Dictionary<ulong, ulong>> _seenPool = new();
    private int _accountsStarted;
    private int _accountsCompleted;

    public bool Stopped => false;

    public int AccountsCompleted => _accountsCompleted;

    /// <summary>The account being read, for naming a fatal error.</summary>
    public string? CurrentAccount => _stack.LastOrDefault(f => f.Account is not null)?.Account?.Display;

    /// <summary>Document-level checks once the walk is complete.</summary>
    public void Finish()
    {
        if (_accountsStarted == 0)
        {
            issues.Error(null, "$", null,
                "no deposit account found in the document (expected an account with maskedAccNumber and profile, summary or transactions)");
        }
    }

    public void BeginObject(string name, DocPath path, int line)
    {
        var norm = FieldNames.Normalise(name);
        if (_stack.Count == 0)
        {
            var rootHints = new WrapperHints(options.DefaultFipId, null, null);
            var role = norm == "account" ? Role.Account : options.Envelope ? Role.EnvelopeRoot : Role.Root;
            Push(new Frame(role, norm, path, line)
            {
                Inherited = rootHints,
                AccountsAtStart = _accountsCompleted,
                Account = role == Role.Account ? NewAccount(path, line, rootHints) : null,
            });
            return;
        }

        var parent = _stack[^1];
        switch (parent.Role)
        {
            case Role.EnvelopeRoot:
                if (norm == "fi")
                {
                    Push(Container(parent, norm, path, line));
                }
                else
                {
                    if (!EnvelopeSections.Contains(norm))
                    {
                        issues.Warning(null, path, null, $"unknown envelope section '{name}' ignored", line);
                    }

                    Push(new Frame(Role.Ignored, norm, path, line));
                }

                break;
            case Role.Root or Role.Container:
                if (AccountParts.Contains(norm))
                {
                    PromoteToAccount(parent);
                    BeginObject(name, path, line);
                }
                else if (norm == "account")
                {
                    Push(new Frame(Role.Account, norm, path, line) { Account = NewAccount(path, line, parent.Hints), AccountsAtStart = _accountsCompleted });
                }
                else
                {
                    Push(Container(parent, norm, path, line));
                }

                break;
            case Role.Account:
                Push(norm switch
                {
                    "profile" => Child(Role.Profile, parent, norm, path, line),
                    "summary" => new Frame(Role.Summary, norm, path, line) { Account = parent.Account, Summary = new SummaryBuilder() },
                    "transactions" => Child(Role.Transactions, parent, norm, path, line),
                    _ => Unknown(parent, name, path, line),
                });
                break;
            case Role.Profile:
                Push(norm == "holders" ? Child(Role.Holders, parent, norm, path, line) : Unknown(parent, name, path, line));
                break;
            case Role.Holders:
                Push(norm == "holder"
                    ? new Frame(Role.Holder, norm, path, line) { Account = parent.Account, Holder = new HolderBuilder() }
                    : Unknown(parent, name, path, line));
                break;
            case Role.Summary:
                Push(norm switch
                {
                    "pending" => new Frame(Role.Pending, norm, path, line) { Account = parent.Account, Summary = parent.Summary, Pending = new PendingBuilder() },
                    "pendingtxns" => new Frame(Role.PendingList, norm, path, line) { Account = parent.Account, Summary = parent.Summary },
                    _ => Unknown(parent, name, path, line),
                });
                break;
            case Role.PendingList:
                Push(norm == "pendingtxn"
                    ? new Frame(Role.Pending, norm, path, line) { Account = parent.Account, Summary = parent.Summary, Pending = new PendingBuilder() }
                    : Unknown(parent, name, path, line));
                break;
            case Role.Transactions:
                if (norm == "transaction")
                {
                    var account = parent.Account!;
                    _txnFrame ??= new Frame(Role.Transaction, norm, path, line);
                    Push(_txnFrame.NextTransaction(path, line, account, _txn.Reset(path, line, account.NextPosition++)));
                }
                else
                {
                    Push(Unknown(parent, name, path, line));
                }

                break;
            case Role.Transaction:
                if (FieldNames.TryResolve(Section.Transaction, name, out var field))
                {
                    parent.Txn!.NotAValue(field.Canonical, name, path);
                    Push(new Frame(Role.Ignored, norm, path, line));
                }
                else
                {
                    Push(Unknown(parent, name, path, line));
                }

                break;
            case Role.Ignored:
                // Inside what is already ignored (an envelope's consent section, an unknown element): silently.
                Push(new Frame(Role.Ignored, norm, path, line));
                break;
            default:
                Push(Unknown(parent, name, path, line));
                break;
        }
    }

    public void Scalar(string name, ScalarKind kind, string? value, DocPath path, int line)
    {
        if (_stack.Count == 0)
        {
            issues.Error(null, path, value, "the document is a single value, not an account");
            return;
        }

        var frame = _stack[^1];
        var raw = new RawValue(name, kind, value, path, line);
        if (IsWrongShape(frame, raw))
        {
            return;
        }

        switch (frame.Role)
        {
            case Role.EnvelopeRoot:
                var envelopeName = FieldNames.Normalise(name);
                if (envelopeName == "fi" && kind == ScalarKind.String)
                {
                    ReadEmbedded(value!, path, line, frame.Hints);
                }
                else if (!EnvelopeSections.Contains(envelopeName))
                {
                    issues.Warning(null, path, value, $"unknown envelope field '{name}' ignored", line);
                }

                break;
            case Role.Root or Role.Container:
                OnWrapperScalar(frame, raw);
                break;
            case Role.Account:
                OnAccountScalar(frame.Account!, raw);
                break;
            case Role.Holders:
                if (Resolve(Section.Holders, frame.Account!, raw, out _))
                {
                    frame.Account!.HoldingType = raw.IsBlank ? null : raw.Text!.Trim().ToUpperInvariant();
                }

                break;
            case Role.Holder:
                OnHolderScalar(frame.Account!, frame.Holder!, raw);
                break;
            case Role.Summary:
                OnSummaryScalar(frame.Account!, frame.Summary!, raw);
                break;
            case Role.Pending:
                OnPendingScalar(frame.Account!, frame.Pending!, raw);
                break;
            case Role.Transactions:
                OnPeriodScalar(frame.Account!, raw);
                break;
            case Role.Transaction:
                if (Resolve(Section.Transaction, frame.Account!, raw, out var canonical))
                {
                    frame.Txn!.Set(canonical, raw);
                }

                break;
            case Role.Profile or Role.PendingList:
                Unexpected(frame.Account!, raw);
                break;
        }
    }

    public bool TryScalarUtf8(string name, ScalarKind kind, ReadOnlySpan<byte> utf8, DocPath path, int line)
    {
        // Only where Scalar would store the value unjudged: a transaction's amount or balance, under its own name.
        if (_stack.Count == 0 || _stack[^1] is not { Role: Role.Transaction } frame
            || !FieldNames.TryResolve(Section.Transaction, name, out var field) || field.TypoOf is not null)
        {
            return false;
        }

        switch (field.Canonical)
        {
            case "amount" or "currentbalance" or "transactionalbalance" when ValueParsers.TryMoneyExact(utf8, out var number):
                frame.Txn!.Set(field.Canonical, RawValue.OfNumber(name, kind, number, path, line));
                return true;
            case "transactiontimestamp" when ValueParsers.TryTimestampExact(utf8, out var instant):
                frame.Txn!.Set(field.Canonical, RawValue.OfInstant(name, kind, instant, path, line));
                return true;
            default:
                return false;
        }
    }

    /// <summary>Transactions read whole, for the tests that show the fast path is taken.</summary>
    public int WholeTransactionsRead { get; private set; }

    public bool ExpectsTransaction(string name) =>
        options.WholeTransactions && _stack.Count > 0 && _stack[^1].Role == Role.Transactions && FieldNames.Normalise(name) == "transaction";

    public void Transaction(in TransactionFields fields, DocPath txnIdPath, int line)
    {
        var account = _stack[^1].Account!;
        var txn = new Transaction
        {
            TxnId = fields.TxnId,
            Type = fields.Type,
            Mode = fields.Mode,
            Amount = fields.Amount,
            Balance = fields.Balance,
            Timestamp = fields.Timestamp,
            ValueDate = fields.ValueDate,
            Narration = fields.Narration,
            Reference = fields.Reference,
            Position = account.NextPosition++,
        };
        WholeTransactionsRead++;
        Accept(account, txn, txnIdPath, line);
    }

    public void EndObject(DocPath path, int line)
    {
        var frame = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        switch (frame.Role)
        {
            case Role.Account:
                CompleteAccount(frame.Account!);
                Recycle(frame.Account!.Seen);
                break;
            case Role.Transaction:
                var account = frame.Account!;
                var txn = frame.Txn!.Build(issues, account.Display);
                if (txn is not null)
                {
                    Accept(account, txn, frame.Txn.TxnIdPath, frame.Line);
                }

                break;
            case Role.Holder:
                frame.Account!.Holders.Add(frame.Holder!.Build());
                break;
            case Role.Summary:
                frame.Account!.Summary = frame.Summary!.Build();
                break;
            case Role.Pending:
                if (frame.Pending!.Amount is { } amount)
                {
                    frame.Summary!.Pending.Add(new PendingTxn(frame.Pending.TransactionType, amount));
                }
                else if (frame.Pending.TransactionType is not null)
                {
                    issues.Warning(frame.Account!.Display, frame.Path, null, "pending transaction without amount ignored", frame.Line);
                }

                break;
            case Role.Root or Role.Container:
                if (frame.Encrypted && _accountsCompleted == frame.AccountsAtStart)
                {
                    issues.Error(frame.Masked ?? frame.Inherited.Masked, frame.Path, null,
                        "the FI data is still encrypted (encryptedFI): decrypt it before import", frame.Line);
                }

                break;
        }
    }

    private void Push(Frame frame) => _stack.Add(frame);

    /// <summary>
    /// A value where the schema has an object: a transaction, holder, account or section that is a string, number or
    /// boolean (or a null inside an array) would otherwise pass as an unknown field and its data would silently vanish.
    /// </summary>
    private bool IsWrongShape(Frame frame, RawValue raw)
    {
        var norm = FieldNames.Normalise(raw.Name);
        var objectSlot = frame.Role switch
        {
            Role.EnvelopeRoot => norm == "fi" && raw.Kind != ScalarKind.String,
            Role.Root or Role.Container => EmbeddedDocumentNames.Contains(norm) && raw.Kind != ScalarKind.String,
            Role.Account => AccountParts.Contains(norm),
            Role.Profile => norm == "holders",
            Role.Holders => norm == "holder",
            Role.Summary => norm is "pending" or "pendingtxns",
            Role.PendingList => norm == "pendingtxn",
            Role.Transactions => norm == "transaction",
            _ => false,
        };
        // A null property is how many feeds say "none"; a null inside an array is an item that was lost.
        var arrayItem = raw.Path.IsArrayItem;
        if (!objectSlot || (raw.Kind == ScalarKind.Null && !arrayItem))
        {
            return false;
        }

        var what = raw.Kind switch
        {
            ScalarKind.String => "a string",
            ScalarKind.Number => "a number",
            ScalarKind.True or ScalarKind.False => "a boolean",
            _ => "null",
        };
        var expected = frame.Role is Role.EnvelopeRoot or Role.Root or Role.Container ? "an object or a string holding a document" : "an object";
        issues.Error(frame.Account?.Display, raw.Path, raw.Text,
            $"{raw.Name}{(arrayItem ? " item" : "")} must be {expected}, not {what}; nothing in it could be imported", raw.Line);
        return true;
    }

    private Frame Container(Frame parent, string norm, DocPath path, int line) =>
        new(Role.Container, norm, path, line) { Inherited = parent.Hints, AccountsAtStart = _accountsCompleted };

    private static Frame Child(Role role, Frame parent, string norm, DocPath path, int line) =>
        new(role, norm, path, line) { Account = parent.Account };

    private Frame Unknown(Frame parent, string name, DocPath path, int line)
    {
        var account = parent.Account;
        issues.WarningOnce($"{account?.Serial}|object|{parent.Role}|{FieldNames.Normalise(name)}", account?.Display, path, null,
            $"unknown element '{name}' ignored", line);
        return new Frame(Role.Ignored, FieldNames.Normalise(name), path, line);
    }

    private AccountBuilder NewAccount(string path, int line, WrapperHints hints)
    {
        _accountsStarted++;
        return new AccountBuilder(_accountsStarted, path, line, hints, _seenPool.TryPop(out var seen) ? seen : []);
    }

    /// <summary>A wrapper turned out to be the account itself (a bare account, FI.DEPOSIT[]): its scalars were account fields.</summary>
    private void PromoteToAccount(Frame frame)
    {
        frame.Role = Role.Account;
        frame.Account = NewAccount(frame.Path, frame.Line, frame.Inherited);
        foreach (var held in frame.Held ?? [])
        {
            OnAccountScalar(frame.Account, held);
        }

        frame.Held = null;
    }

    private void OnWrapperScalar(Frame frame, RawValue raw)
    {
        var norm = FieldNames.Normalise(raw.Name);
        if (norm == "encryptedfi")
        {
            frame.Encrypted = true;
            return;
        }

        if (raw.Kind == ScalarKind.String && EmbeddedDocumentNames.Contains(norm))
        {
            ReadEmbedded(raw.Text!, raw.Path, raw.Line, frame.Hints);
            return;
        }

        if (FieldNames.TryResolve(Section.Wrapper, raw.Name, out var field) && !raw.IsBlank)
        {
            switch (field.Canonical)
            {
                case "fipid": frame.FipId = raw.Text!.Trim(); break;
                case "linkedaccref": frame.LinkRef = raw.Text!.Trim(); break;
                case "maskedaccnumber": frame.Masked = raw.Text!.Trim(); break;
            }
        }

        // Kept in case this object turns out to be the account itself; a wrapper has only a handful of fields.
        frame.Held ??= [];
        if (frame.Held.Count < 64)
        {
            frame.Held.Add(raw);
        }
    }

    /// <summary>
    /// A document inside a string (envelope fi[] entries, decryptedFI): read with the same machine, paths continuing
    /// from the string's path. Base64 is decoded first, as FI/fetch delivers it.
    /// </summary>
    private void ReadEmbedded(string text, string path, int line, WrapperHints hints)
    {
        var doc = text.TrimStart();
        if (!(doc.StartsWith('<') || doc.StartsWith('{') || doc.StartsWith('[')))
        {
            var bytes = new byte[doc.Length];
            if (!Convert.TryFromBase64String(doc.Trim(), bytes, out var n))
            {
                issues.Error(null, path, text, "is neither a JSON or XML document nor base64 of one", line);
                return;
            }

            doc = Encoding.UTF8.GetString(bytes, 0, n).TrimStart();
        }

        var depth = _stack.Count;
        var holder = new Frame(Role.Container, "", DocPath.Of(path), line) { Inherited = hints, AccountsAtStart = _accountsCompleted };
        Push(holder);
        try
        {
            if (doc.StartsWith('<'))
            {
                new XmlEventWalker(this, path).Walk(new StringReader(doc));
            }
            else
            {
                using var stream = new Utf8InputStream(new MemoryStream(Encoding.UTF8.GetBytes(doc)));
                new JsonEventWalker(this, path).Walk(stream);
            }
        }
        catch (XmlException ex)
        {
            issues.Error(CurrentAccount, path, null, $"embedded XML is not well-formed: {ex.Message}", ex.LineNumber);
        }
        catch (JsonException ex)
        {
            issues.Error(CurrentAccount, path, null, $"embedded JSON is not valid: {ex.Message}");
        }

        // Abandon whatever the broken embedded document left open.
        _stack.RemoveRange(depth, _stack.Count - depth);
    }

    private bool Resolve(Section section, AccountBuilder account, RawValue raw, out string canonical)
    {
        if (!FieldNames.TryResolve(section, raw.Name, out var field))
        {
            Unexpected(account, raw);
            canonical = "";
            return false;
        }

        if (field.TypoOf is { } meant)
        {
            issues.WarningOnce($"{account.Serial}|typo|{raw.Name}", account.Display, raw.Path, null,
                $"'{raw.Name}' is a misspelling of '{meant}'; read as {meant} (reported once per account)", raw.Line);
        }

        canonical = field.Canonical;
        return true;
    }

    private void Unexpected(AccountBuilder account, RawValue raw)
    {
        var text = raw.Name == "#text" ? "unexpected text content ignored (ReBIT XML carries values in attributes)"
            : $"unknown field '{raw.Name}' ignored (reported once per account)";
        issues.WarningOnce($"{account.Serial}|field|{raw.Name}", account.Display, raw.Path, raw.Text, text, raw.Line);
    }

    private void OnAccountScalar(AccountBuilder account, RawValue raw)
    {
        if (!Resolve(Section.Account, account, raw, out var canonical) || raw.IsBlank)
        {
            return;
        }

        var text = raw.Text!.Trim();
        switch (canonical)
        {
            case "maskedaccnumber":
                if (account.Key is { } key && key.MaskedAccNumber != text)
                {
                    issues.Error(account.Display, raw.Path, text,
                        $"maskedAccNumber differs from '{key.MaskedAccNumber}' stated by the wrapper and already used for its transactions", raw.Line);
                }

                account.Masked = text;
                break;
            case "linkedaccref":
                if (account.Key is { LinkedAccRef: null })
                {
                    issues.Warning(account.Display, raw.Path, text,
                        "linkedAccRef comes after the transactions; the account was already keyed without it", raw.Line);
                }

                account.LinkRef = text;
                break;
            case "version":
                account.Version = text;
                break;
            case "type":
                account.DocumentType = text;
                if (!text.Equals("deposit", StringComparison.OrdinalIgnoreCase))
                {
                    issues.Warning(account.Display, raw.Path, text, "account type is not 'deposit'; read as a deposit account", raw.Line);
                }

                break;
        }
    }

    private void OnHolderScalar(AccountBuilder account, HolderBuilder holder, RawValue raw)
    {
        if (!Resolve(Section.Holder, account, raw, out var canonical) || raw.IsBlank)
        {
            return;
        }

        var text = raw.Text!.Trim();
        switch (canonical)
        {
            case "name": holder.Name = text; break;
            case "mobile": holder.Mobile = text; break;
            case "landline": holder.Landline = text; break;
            case "email": holder.Email = text; break;
            case "pan": holder.Pan = text; break;
            case "address": holder.Address = text; break;
            case "nominee": holder.Nominee = text; break;
            case "ckyccompliance" or "ckycregistered": holder.Ckyc = text; break;
            case "dob": holder.Dob = Date(account, raw); break;
        }
    }

    private void OnSummaryScalar(AccountBuilder account, SummaryBuilder summary, RawValue raw)
    {
        if (!Resolve(Section.Summary, account, raw, out var canonical) || raw.IsBlank)
        {
            return;
        }

        var text = raw.Text!.Trim();
        switch (canonical)
        {
            case "currentbalance": summary.CurrentBalance = Money(account, raw); break;
            case "drawinglimit": summary.DrawingLimit = Money(account, raw); break;
            case "currentodlimit": summary.CurrentOdLimit = Money(account, raw); break;
            case "exchgerate": summary.ExchangeRate = Money(account, raw); break;
            case "currency": summary.Currency = text; break;
            case "branch": summary.Branch = text; break;
            case "micrcode": summary.MicrCode = text; break;
            case "ifsc": summary.Ifsc = text; break;
            case "type" or "accountsubtype": summary.AccountSubType = text; break;
            case "accounttype": summary.AccountType = text; break;
            case "facility": summary.Facility = text; break;
            case "openingdate": summary.OpeningDate = Date(account, raw); break;
            case "balancedatetime": summary.BalanceDateTime = Timestamp(account, raw); break;
            case "status":
                summary.Status = text.ToUpperInvariant();
                if (summary.Status != text)
                {
                    issues.Warning(account.Display, raw.Path, text, $"status should be upper case; read as {summary.Status}", raw.Line);
                }

                break;
        }
    }

    private void OnPendingScalar(AccountBuilder account, PendingBuilder pending, RawValue raw)
    {
        if (!Resolve(Section.Pending, account, raw, out var canonical) || raw.IsBlank)
        {
            return;
        }

        if (canonical == "amount")
        {
            pending.Amount = Money(account, raw);
        }
        else
        {
            pending.TransactionType = raw.Text!.Trim().ToUpperInvariant();
        }
    }

    private void OnPeriodScalar(AccountBuilder account, RawValue raw)
    {
        if (!Resolve(Section.Transactions, account, raw, out var canonical) || raw.IsBlank)
        {
            return;
        }

        if (canonical == "startdate")
        {
            account.StartDate = Date(account, raw);
        }
        else
        {
            account.EndDate = Date(account, raw);
        }
    }

    private decimal? Money(AccountBuilder account, RawValue raw)
    {
        var reason = "must be a number, not a boolean";
        if (!raw.IsBoolean && ValueParsers.TryMoney(raw.Text!, out var value, out reason))
        {
            return value;
        }

        issues.Error(account.Display, raw.Path, raw.Text, $"{raw.Name} {reason}", raw.Line);
        return null;
    }

    private DateOnly? Date(AccountBuilder account, RawValue raw)
    {
        if (ValueParsers.TryDate(raw.Text!, out var value, out var reason))
        {
            return value;
        }

        issues.Error(account.Display, raw.Path, raw.Text, $"{raw.Name} {reason}", raw.Line);
        return null;
    }

    private DateTimeOffset? Timestamp(AccountBuilder account, RawValue raw)
    {
        if (ValueParsers.TryTimestamp(raw.Text!, out var value, out var reason))
        {
            return value;
        }

        issues.Error(account.Display, raw.Path, raw.Text, $"{raw.Name} {reason}", raw.Line);
        return null;
    }

    /// <summary>Deduplicates by txnId, then streams the transaction (or buffers it while the account has no key yet).</summary>
    private void Accept(AccountBuilder account, Transaction txn, DocPath idPath, int line)
    {
        var id = Fingerprint.Of(txn.TxnId);
        var print = Fingerprint.Of(txn.Amount, txn.Type, txn.Timestamp);
        ref var earlier = ref CollectionsMarshal.GetValueRefOrAddDefault(account.Seen, id, out var exists);
        if (exists)
        {
            if (earlier == print)
            {
                issues.Warning(account.Display, idPath, txn.TxnId, "exact duplicate of an earlier transaction; kept once", line);
            }
            else
            {
                issues.Error(account.Display, idPath, txn.TxnId,
                    $"txnId repeats with a different amount, type or timestamp (now {txn.Amount} {txn.Type.ToString().ToUpperInvariant()} " +
                    $"at {txn.Timestamp:yyyy-MM-ddTHH:mm:sszzz})",
                    line);
            }

            return;
        }

        earlier = print;
        if (TryBegin(account))
        {
            sink.OnTransaction(account.Key!, txn);
        }
        else
        {
            account.Buffered.Add(txn);
        }
    }

    private bool TryBegin(AccountBuilder account)
    {
        if (account.Key is not null)
        {
            return true;
        }

        var masked = account.Masked ?? account.Hints.Masked;
        if (masked is null)
        {
            return false;
        }

        account.Key = new AccountKey(account.Hints.FipId, account.LinkRef ?? account.Hints.LinkRef, masked);
        sink.BeginAccount(account.Key);
        foreach (var buffered in account.Buffered)
        {
            sink.OnTransaction(account.Key, buffered);
        }

        account.Buffered.Clear();
        return true;
    }

    private void Recycle(Dictionary<ulong, ulong> seen)
    {
        // Clear costs a table's capacity, not its count: a large account's table would tax every small account after
        // it, so only tables of ordinary size are handed on (a large account's growth is small beside its own reading).
        if (seen.Count <= 4_096)
        {
            seen.Clear();
            _seenPool.Push(seen);
        }
    }

    private void CompleteAccount(AccountBuilder account)
    {
        if (!TryBegin(account))
        {
            var dropped = account.Buffered.Count;
            issues.Error(null, account.Path, null,
                $"account has no maskedAccNumber, so it cannot be told apart from others ({dropped} transaction(s) not imported)", account.Line);
            account.Buffered.Clear();
            return;
        }

        if (account.Version is null)
        {
            issues.Warning(account.Display, account.Path, null, "account has no version; read as ReBIT v1", account.Line);
        }

        var key = account.Key!;
        sink.EndAccount(new DepositAccount
        {
            LinkedAccRef = key.LinkedAccRef,
            MaskedAccNumber = key.MaskedAccNumber,
            Version = account.Version,
            Generation = account.Generation,
            FipId = key.FipId,
            HoldingType = account.HoldingType,
            Holders = account.Holders.ToList(),
            Summary = account.Summary,
            StartDate = account.StartDate,
            EndDate = account.EndDate,
            DocumentType = account.DocumentType,
        });
        _accountsCompleted++;
    }
}
