using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>An entry as the hot store holds it, with the ETag its delete is conditioned on.</summary>
public sealed record HotLedgerEntry(LedgerEntry Entry, string ETag);

/// <summary>The product partition module's part of ledger archival: entries by sequence, and their removal once archived.</summary>
public sealed partial class ProductPartitions
{
    /// <summary>The hot entries among sequences <paramref name="first"/>..<paramref name="last"/>, by id (point reads), a commit's worth a read.</summary>
    public async Task<IReadOnlyList<HotLedgerEntry>> LedgerEntriesAsync(string productId, long first, long last, CancellationToken ct)
    {
        var found = new List<HotLedgerEntry>();
        var chunk = store.Limits.MaxWritesPerCommit;
        for (var from = first; from <= last; from += chunk)
        {
            var ids = Enumerable.Range(0, (int)Math.Min(chunk, last - from + 1)).Select(i => ProductPartitionIds.Ledger(from + i)).ToArray();
            found.AddRange((await store.ReadAsync(Collection.Products, productId, ids, [], ct))
                .Select(d => new HotLedgerEntry(DocumentJson.Read<LedgerEntry>(d.Body), d.ETag)));
        }
        return found;
    }

    /// <summary>Whether entry <paramref name="sequence"/> is still in the hot store.</summary>
    public async Task<bool> HasLedgerEntryAsync(string productId, long sequence, CancellationToken ct) =>
        (await store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Ledger(sequence)], [], ct)).Count > 0;

    /// <summary>
    /// Deletes archived entries in ascending chunks of a commit each, so the highest goes last. A chunk another run
    /// deleted first (a conflict) is read again and what remains deleted. Returns how many this call deleted.
    /// </summary>
    public async Task<long> DeleteLedgerEntriesAsync(string productId, IReadOnlyList<HotLedgerEntry> entries, CancellationToken ct)
    {
        long deleted = 0;
        foreach (var chunk in entries.OrderBy(e => e.Entry.Sequence).Chunk(store.Limits.MaxWritesPerCommit))
        {
            var remaining = chunk;
            for (var attempt = 0; remaining.Length > 0; attempt++)
            {
                try
                {
                    await store.CommitAsync(Collection.Products, productId,
                        remaining.Select(e => (DocumentWrite)new DocumentWrite.Delete(ProductPartitionIds.Ledger(e.Entry.Sequence), e.ETag)).ToArray(), ct);
                    deleted += remaining.Length;
                    break;
                }
                catch (CommitConflictException) when (attempt < 5)
                {
                    remaining = (await LedgerEntriesAsync(productId, remaining[0].Entry.Sequence, remaining[^1].Entry.Sequence, ct))
                        .Where(e => remaining.Any(r => r.Entry.Sequence == e.Entry.Sequence)).ToArray();
                }
            }
        }
        return deleted;
    }
}
