using System.Text;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// A ledger checkpoint as stored. While its balances fit the store's document size it is one document,
/// <c>ckp|{inverted sequence}</c>: the <see cref="LedgerCheckpoint"/> itself, exactly as before parts existed. Past it (a
/// product stocked in a few hundred locations, on Table Storage's 64 KiB) the commit would be refused, and with it every
/// later commit of the product, so the balances (in location order) are cut into parts written in the same commit: the
/// checkpoint's document holds the first of them and how many parts follow (<see cref="CheckpointFirst.Parts"/>), part n
/// (<c>ckp|{inverted sequence}|{n:D3}</c>) the next. A part's id sorts right after its checkpoint's and before the next
/// older checkpoint's, so a read of the prefix meets each checkpoint whole and in order.
/// </summary>
internal static class CheckpointParts
{
    /// <summary>Bytes a store's envelope may add to a document (id, partition key, type), and room for <c>parts</c> or <c>index</c>.</summary>
    private const int EnvelopeBytes = 1024, FieldBytes = 64;

    /// <summary>The documents that store <paramref name="checkpoint"/>: its own, then its parts (none while it fits one document).</summary>
    public static IEnumerable<(string Id, object Document)> Of(LedgerCheckpoint checkpoint, int maxDocumentBytes)
    {
        var room = maxDocumentBytes - EnvelopeBytes - FieldBytes - BytesOf(checkpoint with { Balances = [] });
        var chunks = new List<List<CheckpointBalance>> { new() };
        long bytes = 0;
        foreach (var balance in checkpoint.Balances)
        {
            var size = BytesOf(balance) + 2;
            if (chunks[^1].Count > 0 && bytes + size > room)
            {
                chunks.Add([]);
                bytes = 0;
            }
            chunks[^1].Add(balance);
            bytes += size;
        }
        var id = ProductPartitionIds.Checkpoint(checkpoint.Sequence);
        if (chunks.Count == 1)
        {
            yield return (id, checkpoint);
            yield break;
        }
        yield return (id, new CheckpointFirst(checkpoint.ProductId, checkpoint.Sequence, chunks[0], checkpoint.CreatedAt, chunks.Count - 1));
        for (var n = 1; n < chunks.Count; n++)
            yield return (ProductPartitionIds.CheckpointPart(checkpoint.Sequence, n), new CheckpointPart(checkpoint.ProductId, checkpoint.Sequence, n, chunks[n]));
    }

    /// <summary>The ids of the parts that follow <paramref name="first"/>.</summary>
    public static IEnumerable<string> PartIds(CheckpointFirst first) =>
        Enumerable.Range(1, first.Parts).Select(n => ProductPartitionIds.CheckpointPart(first.Sequence, n));

    /// <summary>
    /// The checkpoint whole: its document's balances, then each part's. A part missing or not its own is corrupt data (parts
    /// are created with the checkpoint and never deleted): an <see cref="InvalidDataException"/>, never a checkpoint short of balances.
    /// </summary>
    public static LedgerCheckpoint Whole(CheckpointFirst first, IReadOnlyDictionary<string, StoredDocument> parts)
    {
        var balances = new List<CheckpointBalance>(first.Balances);
        foreach (var (id, n) in PartIds(first).Select((id, i) => (id, i + 1)))
        {
            var part = parts.TryGetValue(id, out var d) ? DocumentJson.Read<CheckpointPart>(d.Body) : null;
            if (part is null || part.Sequence != first.Sequence || part.Index != n)
                throw new InvalidDataException($"Checkpoint {first.Sequence} of '{first.ProductId}' has {first.Parts} parts; part {n} is {(part is null ? "missing" : "not its own")}.");
            balances.AddRange(part.Balances);
        }
        return new LedgerCheckpoint(first.ProductId, first.Sequence, balances, first.CreatedAt);
    }

    /// <summary>An upper bound of the stored bytes as the stores count them (the larger of UTF-16 and UTF-8).</summary>
    private static long BytesOf(object value)
    {
        var body = DocumentJson.Write(value);
        return Math.Max(body.Length * 2L, Encoding.UTF8.GetByteCount(body));
    }
}

/// <summary>
/// A checkpoint's own document: the checkpoint with its first balances, and how many parts follow (0: written whole, as
/// every checkpoint was before parts, whose documents have no <c>parts</c>).
/// </summary>
internal sealed record CheckpointFirst(string ProductId, long Sequence, IReadOnlyList<CheckpointBalance> Balances, DateTimeOffset CreatedAt, int Parts = 0);

/// <summary>Part <paramref name="Index"/> (from 1) of checkpoint <paramref name="Sequence"/>: the balances after the part before.</summary>
internal sealed record CheckpointPart(string ProductId, long Sequence, int Index, IReadOnlyList<CheckpointBalance> Balances);
