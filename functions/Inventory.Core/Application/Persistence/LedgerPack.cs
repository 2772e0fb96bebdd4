using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Inventory.Domain;

namespace Inventory.Application;

/// <summary>
/// The ledger entries of one stock commit, stored as one document <c>led|{inverted sequence of its last entry}</c>,
/// oldest first: a coalesced batch of N reservations writes one ledger document, not N. A pack of one is stored as the
/// bare <see cref="LedgerEntry"/>, which is exactly what every entry was before packs, so documents written before
/// them are packs of one and are read the same way. A commit whose entries would pass the store's document size is
/// split into several packs, the last ending at the commit's last entry (where its checkpoint, if any, is), so a pack
/// never straddles a checkpoint.
/// A stock commit's last document also carries the product's state after it (<see cref="State"/>): the newest ledger
/// document is where a product's state is read, and a commit's first entry has a document of its own, so that two commits
/// decided on one state both create the document of the next sequence and one of them fails (docs/coalescing.md).
/// </summary>
internal sealed record LedgerPack(IReadOnlyList<LedgerEntry> Entries)
{
    private const string StateProperty = "state";

    /// <summary>The product's state after this pack's commit, in the commit's last pack only.</summary>
    public StockHead? State { get; init; }

    /// <summary>The stored bytes of <see cref="State"/> (set with it by <see cref="Of"/>).</summary>
    private long StateBytes { get; init; }

    /// <summary>Bytes a store's envelope may add to a document (id, partition key, type): kept free below its limit.</summary>
    private const int EnvelopeBytes = 1024;
    /// <summary>The pack's own JSON around its entries (<c>{"entries":[</c>, <c>]}</c>), generously.</summary>
    private const int WrapperBytes = 64;

    private static readonly ConditionalWeakTable<LedgerEntry, StrongBox<long>> Measured = [];

    /// <summary>The sequence of its last entry: the document's id.</summary>
    [JsonIgnore]
    public long Last => Entries[^1].Sequence;

    /// <summary>
    /// What is stored: the entry itself for a pack of one (today's shape), else the pack, each value its entries all have
    /// (the product, the location, the kind, who, ...) written once under <c>shared</c>: a hot product's commit chain is
    /// bounded by its partition's RU, which grow with the bytes written, and a batch's entries differ in a few fields only.
    /// </summary>
    [JsonIgnore]
    public object Document => State is not null
        ? SharedValues.Compact(Entries, "entries", (StateProperty, JsonSerializer.SerializeToNode(State, DocumentJson.Options)))
        : Entries.Count == 1 ? Entries[0] : SharedValues.Compact(Entries, "entries");

    /// <summary>
    /// An upper bound of the stored body's bytes as the stores count them (the larger of UTF-16 and UTF-8), from each
    /// entry measured once (entries are immutable), so a batch growing one request at a time never reserialises them.
    /// </summary>
    [JsonIgnore]
    public long Bytes => WrapperBytes + StateBytes + Entries.Sum(e => BytesOf(e) + 2);

    /// <summary>
    /// The entries of a commit in packs of at most <paramref name="maxDocumentBytes"/> (less an envelope), in order; with
    /// <paramref name="state"/>, the first entry of several alone and the last pack carrying the state (room kept for it in each).
    /// </summary>
    public static IEnumerable<LedgerPack> Of(IReadOnlyList<LedgerEntry> entries, int maxDocumentBytes, StockHead? state = null)
    {
        if (state is null) return Packed(entries, maxDocumentBytes - EnvelopeBytes - WrapperBytes);
        var stateBytes = BytesOf(state);
        var room = maxDocumentBytes - EnvelopeBytes - WrapperBytes - stateBytes;
        List<LedgerPack> packs = entries.Count > 1 ? [new LedgerPack([entries[0]]), .. Packed(entries.Skip(1).ToArray(), room)] : [.. Packed(entries, room)];
        if (packs.Count > 0) packs[^1] = packs[^1] with { State = state, StateBytes = stateBytes };
        return packs;
    }

    /// <summary>The product's state a stored ledger document carries, or null (not a commit's last, or written before documents carried it).</summary>
    public static StockHead? StateOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("Stored ledger document is not an object.");
        return json.RootElement.TryGetProperty(StateProperty, out var state)
            ? state.Deserialize<StockHead>(DocumentJson.Options) ?? throw new InvalidDataException("Stored ledger state is empty.") : null;
    }

    private static IEnumerable<LedgerPack> Packed(IReadOnlyList<LedgerEntry> entries, long room)
    {
        var pack = new List<LedgerEntry>();
        long bytes = 0;
        foreach (var entry in entries)
        {
            var size = BytesOf(entry) + 2;
            if (pack.Count > 0 && bytes + size > room)
            {
                yield return new LedgerPack(pack.ToArray());
                pack.Clear();
                bytes = 0;
            }
            pack.Add(entry);
            bytes += size;
        }
        if (pack.Count > 0) yield return new LedgerPack(pack.ToArray());
    }

    /// <summary>The entries of a stored ledger document, oldest first: a pack, or a single entry (a pack of one, or written before packs).</summary>
    public static IReadOnlyList<LedgerEntry> Read(string body)
    {
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("entries", out _))
        {
            var pack = SharedValues.Expand<LedgerEntry>(json.RootElement, "entries"); // packs written before: nothing shared
            return pack is { Length: > 0 } ? pack : throw new InvalidDataException("Stored ledger pack holds no entry.");
        }
        return [json.RootElement.Deserialize<LedgerEntry>(DocumentJson.Options) ?? throw new InvalidDataException("Stored LedgerEntry is empty.")];
    }

    /// <summary>
    /// The state's stored bytes, as <see cref="Document"/> writes it: a node, whose strings are escaped when written (a
    /// timestamp's '+' becomes six characters), unlike the state serialised whole; and its property (<c>"state":</c>, a comma).
    /// </summary>
    private static long BytesOf(StockHead state)
    {
        var body = JsonSerializer.SerializeToNode(state, DocumentJson.Options)!.ToJsonString(DocumentJson.Options);
        return Math.Max(body.Length * 2L, Encoding.UTF8.GetByteCount(body)) + (StateProperty.Length + 4) * 2L;
    }

    /// <summary>An upper bound of an entry's stored bytes as if nothing were shared (the size estimate stays safe).</summary>
    private static long BytesOf(LedgerEntry entry) =>
        Measured.GetValue(entry, e =>
        {
            var body = DocumentJson.Write(e);
            return new StrongBox<long>(Math.Max(body.Length * 2L, Encoding.UTF8.GetByteCount(body)));
        }).Value;
}
