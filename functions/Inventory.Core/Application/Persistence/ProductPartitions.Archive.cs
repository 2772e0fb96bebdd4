using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// An entry as the hot store holds it: in the ledger document (a pack, <see cref="LedgerPack"/>) ending at sequence
/// <see cref="Pack"/>, with the ETag that document's delete is conditioned on.
/// </summary>
public sealed record HotLedgerEntry(LedgerEntry Entry, string ETag, long Pack);

/// <summary>The product partition module's part of ledger archival: entries by sequence, and their removal once archived.</summary>
public sealed partial class ProductPartitions
{
    /// <summary>Deletes race only other archival runs, which delete the same entries: a few attempts settle it.</summary>
    private static readonly OptimisticConcurrency Deletions = new(new ConcurrencyOptions { MaxAttempts = 6 });

    /// <summary>
    /// The hot entries among sequences <paramref name="first"/>..<paramref name="last"/>, by id (point reads of every id a
    /// pack ending in the range may have), a commit's worth a read. The bounds are checkpoints, which end a commit's last
    /// pack; a pack reaching below <paramref name="first"/> would be deleted with entries outside the range, so it is an
    /// <see cref="InvalidDataException"/> (nothing is archived or deleted).
    /// </summary>
    public async Task<IReadOnlyList<HotLedgerEntry>> LedgerEntriesAsync(string productId, long first, long last, CancellationToken ct)
    {
        var found = new List<HotLedgerEntry>();
        var chunk = store.Limits.MaxWritesPerCommit;
        for (var from = first; from <= last; from += chunk)
        {
            var ids = Enumerable.Range(0, (int)Math.Min(chunk, last - from + 1)).Select(i => ProductPartitionIds.Ledger(from + i)).ToArray();
            foreach (var d in await store.ReadAsync(Collection.Products, productId, ids, [], ct))
            {
                var pack = LedgerPack.Read(d.Body);
                if (pack[0].Sequence < first)
                    throw new InvalidDataException($"Ledger document {d.Id} of '{productId}' holds entries {pack[0].Sequence}..{pack[^1].Sequence}, across checkpoint {first - 1}.");
                found.AddRange(pack.Select(e => new HotLedgerEntry(e, d.ETag, pack[^1].Sequence)));
            }
        }
        return found;
    }

    /// <summary>The sequence the product's newest ledger document ends at (0: none), which archival never moves: it carries the product's state.</summary>
    public async Task<long> NewestLedgerSequenceAsync(string productId, CancellationToken ct) =>
        PartitionDocuments.SequenceOf(await NewestLedgerAsync(productId, ct));

    /// <summary>Whether the ledger document ending at <paramref name="sequence"/> (a checkpoint's: a commit's last entry) is still hot.</summary>
    public async Task<bool> HasLedgerEntryAsync(string productId, long sequence, CancellationToken ct) =>
        (await store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Ledger(sequence)], [], ct)).Count > 0;

    /// <summary>
    /// Deletes the documents of archived entries in ascending chunks of a commit each, so the highest goes last. A chunk
    /// another run deleted first (a conflict) is read again and what remains deleted. Returns how many entries this call deleted.
    /// </summary>
    public async Task<long> DeleteLedgerEntriesAsync(string productId, IReadOnlyList<HotLedgerEntry> entries, CancellationToken ct)
    {
        long deleted = 0;
        var packs = entries.GroupBy(e => e.Pack).OrderBy(g => g.Key)
            .Select(g => (Last: g.Key, First: g.Min(e => e.Entry.Sequence), g.First().ETag, Entries: g.Count())).ToArray();
        foreach (var chunk in packs.Chunk(store.Limits.MaxWritesPerCommit))
        {
            var remaining = chunk;
            deleted += await Deletions.RunAsync(productId, async attempt =>
            {
                if (attempt > 1) // lost to another run: delete what it left
                {
                    var left = (await LedgerEntriesAsync(productId, chunk[0].First, chunk[^1].Last, ct)).Select(e => e.Pack).ToHashSet();
                    remaining = chunk.Where(p => left.Contains(p.Last)).ToArray();
                }
                if (remaining.Length == 0) return 0;
                await store.CommitAsync(Collection.Products, productId,
                    remaining.Select(p => (DocumentWrite)new DocumentWrite.Delete(ProductPartitionIds.Ledger(p.Last), p.ETag)).ToArray(), ct);
                return remaining.Sum(p => p.Entries);
            }, ct);
        }
        return deleted;
    }
}
