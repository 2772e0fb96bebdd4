using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>
/// Keeps, per location, the weight and volume of everything stored there (over all products), for put-away. It is
/// updated after each committed stock movement, in the warehouse's partition: advisory data that a crash between the
/// two commits can leave behind by one movement, never a stock quantity (those live only in product partitions).
/// </summary>
public sealed class LocationLoads(IDocumentStore store, ConcurrencyOptions options)
{
    private readonly OptimisticConcurrency concurrency = new(options);

    public const string Prefix = "load|";

    public async Task<IReadOnlyList<LocationLoad>> ReadAsync(string warehouseId, CancellationToken ct = default) =>
        (await store.ReadAsync(Collection.Warehouses, warehouseId, [], [Prefix], ct)).Select(d => DocumentJson.Read<LocationLoad>(d.Body)).ToArray();

    /// <summary>Adds the on-hand changes of committed ledger entries, converted to grams and cubic millimetres.</summary>
    public async Task ApplyAsync(Product product, IEnumerable<(string WarehouseId, LedgerEntry Entry)> moved, CancellationToken ct = default)
    {
        foreach (var warehouse in moved.Where(m => m.Entry.OnHandDelta != 0).GroupBy(m => m.WarehouseId))
        {
            var deltas = warehouse.GroupBy(m => m.Entry.LocationId).ToDictionary(g => g.Key, g => g.Sum(m => m.Entry.OnHandDelta));
            if (deltas.Values.All(d => PutAwayPlanner.Need(product, Math.Abs(d)) == (0, 0))) continue; // weighs nothing, fills nothing
            foreach (var chunk in deltas.Chunk(store.Limits.MaxWritesPerCommit))
                await ApplyChunkAsync(warehouse.Key, product, chunk, ct);
        }
    }

    private async Task ApplyChunkAsync(string warehouseId, Product product, KeyValuePair<string, long>[] deltas, CancellationToken ct)
    {
        try
        {
            await concurrency.RunAsync(warehouseId, _ => CommitChunkAsync(warehouseId, product, deltas, ct), ct);
        }
        catch (ConcurrencyExhaustedException)
        {
            // Advisory data: after MaxAttempts lost races give up rather than fail the movement that was committed.
        }
    }

    private async Task CommitChunkAsync(string warehouseId, Product product, KeyValuePair<string, long>[] deltas, CancellationToken ct)
    {
        var docs = (await store.ReadAsync(Collection.Warehouses, warehouseId, deltas.Select(d => Prefix + d.Key).ToArray(), [], ct))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        var writes = deltas.Select(d =>
        {
            var id = Prefix + d.Key;
            var current = docs.TryGetValue(id, out var doc) ? DocumentJson.Read<LocationLoad>(doc.Body) : new LocationLoad(d.Key, 0, 0);
            var (weight, volume) = PutAwayPlanner.Need(product, Math.Abs(d.Value));
            var sign = Math.Sign(d.Value);
            var next = DocumentJson.Write(new LocationLoad(d.Key, Math.Max(0, current.WeightGrams + sign * weight), Math.Max(0, current.VolumeCubicMm + sign * volume)));
            return doc is null ? (DocumentWrite)new DocumentWrite.Create(id, next) : new DocumentWrite.Replace(id, next, doc.ETag);
        }).ToArray();
        await store.CommitAsync(Collection.Warehouses, warehouseId, writes, ct);
    }
}
