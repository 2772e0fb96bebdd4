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
    public Task ApplyAsync(Product product, IEnumerable<(string WarehouseId, LedgerEntry Entry)> moved, CancellationToken ct = default) =>
        ApplyAsync([new Stock.StockMoved(product, moved.ToArray())], ct);

    /// <summary>The changes of many movements (a cycle count's) summed per location: one commit per warehouse and 100 locations.</summary>
    public async Task ApplyAsync(IReadOnlyCollection<Stock.StockMoved> movements, CancellationToken ct = default)
    {
        var byLocation = new Dictionary<(string WarehouseId, string LocationId), (long Grams, long CubicMm)>();
        foreach (var m in movements)
            foreach (var g in m.Entries.Where(e => e.Entry.OnHandDelta != 0).GroupBy(e => (e.WarehouseId, e.Entry.LocationId)))
            {
                var net = g.Sum(e => e.Entry.OnHandDelta);
                var (weight, volume) = PutAwayPlanner.Need(m.Product, Math.Abs(net));
                var sum = byLocation.GetValueOrDefault(g.Key);
                byLocation[g.Key] = (sum.Grams + Math.Sign(net) * weight, sum.CubicMm + Math.Sign(net) * volume);
            }
        foreach (var warehouse in byLocation.Where(l => l.Value != (0, 0)).GroupBy(l => l.Key.WarehouseId))
            foreach (var chunk in warehouse.Select(l => KeyValuePair.Create(l.Key.LocationId, l.Value)).Chunk(store.Limits.MaxWritesPerCommit))
                await ApplyChunkAsync(warehouse.Key, chunk, ct);
    }

    private async Task ApplyChunkAsync(string warehouseId, KeyValuePair<string, (long Grams, long CubicMm)>[] deltas, CancellationToken ct)
    {
        try
        {
            await concurrency.RunAsync(warehouseId, _ => CommitChunkAsync(warehouseId, deltas, ct), ct);
        }
        catch (ConcurrencyExhaustedException)
        {
            // Advisory data: after MaxAttempts lost races give up rather than fail the movement that was committed.
        }
    }

    private async Task CommitChunkAsync(string warehouseId, KeyValuePair<string, (long Grams, long CubicMm)>[] deltas, CancellationToken ct)
    {
        var docs = (await store.ReadAsync(Collection.Warehouses, warehouseId, deltas.Select(d => Prefix + d.Key).ToArray(), [], ct))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        var writes = deltas.Select(d =>
        {
            var id = Prefix + d.Key;
            var current = docs.TryGetValue(id, out var doc) ? DocumentJson.Read<LocationLoad>(doc.Body) : new LocationLoad(d.Key, 0, 0);
            var next = DocumentJson.Write(new LocationLoad(d.Key, Math.Max(0, current.WeightGrams + d.Value.Grams), Math.Max(0, current.VolumeCubicMm + d.Value.CubicMm)));
            return doc is null ? (DocumentWrite)new DocumentWrite.Create(id, next) : new DocumentWrite.Replace(id, next, doc.ETag);
        }).ToArray();
        await store.CommitAsync(Collection.Warehouses, warehouseId, writes, ct);
    }
}
