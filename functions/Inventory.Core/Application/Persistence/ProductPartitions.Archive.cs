using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>An entry as the hot store holds it, with the ETag its delete is conditioned on.</summary>
public sealed record HotLedgerEntry(LedgerEntry Entry, string ETag);

/// <summary>The product partition module's part of ledger archival: entries by sequence, and their removal once archived.</summary>
public sealed partial class ProductPartitions
{
    /// <summary>Deletes race only other archival runs, which delete the same entries: a few attempts settle it.</summary>
    private static readonly OptimisticConcurrency Deletions = new(new ConcurrencyOptions { MaxAttempts = 6 });

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
            deleted += await Deletions.RunAsync(productId, async attempt =>
            {
                if (attempt > 1) // lost to another run: delete what it left
                    remaining = (await LedgerEntriesAsync(productId, chunk[0].Entry.Sequence, chunk[^1].Entry.Sequence, ct))
                        .Where(e => chunk.Any(c => c.Entry.Sequence == e.Entry.Sequence)).ToArray();
                if (remaining.Length == 0) return 0;
                await store.CommitAsync(Collection.Products, productId,
                    remaining.Select(e => (DocumentWrite)new DocumentWrite.Delete(ProductPartitionIds.Ledger(e.Entry.Sequence), e.ETag)).ToArray(), ct);
                return remaining.Length;
            }, ct);
        }
        return deleted;
    }
}
