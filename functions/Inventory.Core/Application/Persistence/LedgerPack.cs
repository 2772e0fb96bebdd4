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
/// </summary>
internal sealed record LedgerPack(IReadOnlyList<LedgerEntry> Entries)
{
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
    public object Document => Entries.Count == 1 ? Entries[0] : SharedValues.Compact(Entries, "entries");

    /// <summary>
    /// An upper bound of the stored body's bytes as the stores count them (the larger of UTF-16 and UTF-8), from each
    /// entry measured once (entries are immutable), so a batch growing one request at a time never reserialises them.
    /// </summary>
    [JsonIgnore]
    public long Bytes => WrapperBytes + Entries.Sum(e => BytesOf(e) + 2);

    /// <summary>The entries of a commit in packs of at most <paramref name="maxDocumentBytes"/> (less an envelope), in order.</summary>
    public static IEnumerable<LedgerPack> Of(IReadOnlyList<LedgerEntry> entries, int maxDocumentBytes)
    {
        var room = maxDocumentBytes - EnvelopeBytes - WrapperBytes;
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

    /// <summary>An upper bound of an entry's stored bytes as if nothing were shared (the size estimate stays safe).</summary>
    private static long BytesOf(LedgerEntry entry) =>
        Measured.GetValue(entry, e =>
        {
            var body = DocumentJson.Write(e);
            return new StrongBox<long>(Math.Max(body.Length * 2L, Encoding.UTF8.GetByteCount(body)));
        }).Value;
}
