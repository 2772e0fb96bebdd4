using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>
/// The load one product puts on one location, as of the product's ledger sequence <paramref name="Sequence"/> (the
/// watermark: a position older than the stored one never replaces it).
/// </summary>
public sealed record ProductLoad(string LocationId, string ProductId, long Sequence, long QuantityOnHand, long WeightGrams, long VolumeCubicMm);

/// <summary>
/// Keeps, per location, the weight and volume of everything stored there, for put-away: one <c>load|{locationId}|{productId}</c>
/// document per product at the location, in the warehouse's partition, set (never incremented) from the product's
/// balance after a ledger sequence and kept only if that sequence is newer than the one it holds. Updated after each
/// stock commit, and by every replay of one, so a crash between the two commits is caught up by the retry, the
/// recovery or the product's next movement there, and nothing is ever counted twice. Advisory data: never a stock
/// quantity, and never the reason a committed movement fails.
/// </summary>
public sealed class LocationLoads(IDocumentStore store, ConcurrencyOptions options) : IStockChangeHandler
{
    private readonly OptimisticConcurrency concurrency = new(options);

    public const string Prefix = "load|";

    public static string Id(string locationId, string productId) => $"{Prefix}{locationId}|{productId}";

    public async Task<IReadOnlyList<LocationLoad>> ReadAsync(string warehouseId, CancellationToken ct = default) =>
        Sum(await store.ReadAsync(Collection.Warehouses, warehouseId, [], [Prefix], ct));

    /// <summary>Each location's products summed. Documents of the earlier per-location shape (<c>load|{locationId}</c>) are ignored.</summary>
    public static IReadOnlyList<LocationLoad> Sum(IEnumerable<StoredDocument> docs) =>
        docs.Where(d => d.Id.StartsWith(Prefix, StringComparison.Ordinal) && d.Id.IndexOf('|', Prefix.Length) > 0)
            .Select(d => DocumentJson.Read<ProductLoad>(d.Body))
            .GroupBy(l => l.LocationId, StringComparer.Ordinal)
            .Select(g => new LocationLoad(g.Key, g.Aggregate(0L, (sum, l) => Saturating.Add(sum, l.WeightGrams)),
                g.Aggregate(0L, (sum, l) => Saturating.Add(sum, l.VolumeCubicMm))))
            .ToArray();

    public Task FollowAsync(StockMoved moved, CancellationToken ct = default) => FollowAsync([moved], ct);

    /// <summary>The post-commit step's handler: follows the change's movements (none: nothing to do).</summary>
    public Task HandleAsync(StockChanged change, CancellationToken ct) => change.Moves.Count == 0 ? Task.CompletedTask : FollowAsync(change.Moves, ct);

    /// <summary>
    /// Brings the loads of the products moved up to their positions: those of the warehouses a movement wrote entries in
    /// (a replay: every warehouse holding the product). Many movements (a cycle count's) keep the newest position per
    /// location and product: one commit per warehouse and 100 documents.
    /// </summary>
    public async Task FollowAsync(IReadOnlyCollection<StockMoved> movements, CancellationToken ct = default)
    {
        var latest = new Dictionary<(string WarehouseId, string LocationId, string ProductId), (ProductLoad Load, bool Moved)>();
        foreach (var m in movements.Where(m => m.ConcernsLoads && PutAwayPlanner.Need(m.Product, 1) != (0, 0)))
        {
            var movedAt = m.Entries.Where(e => e.Entry.OnHandDelta != 0).Select(e => e.Entry.LocationId).ToHashSet(StringComparer.Ordinal);
            var warehouses = m.Entries.Count > 0 ? m.Entries.Select(e => e.WarehouseId).ToHashSet(StringComparer.Ordinal) : null;
            foreach (var b in m.Balances.Where(b => warehouses is null || warehouses.Contains(b.WarehouseId)))
            {
                var key = (b.WarehouseId, b.LocationId, m.Product.ProductId);
                var (weight, volume) = PutAwayPlanner.Need(m.Product, b.QuantityOnHand);
                var known = latest.GetValueOrDefault(key);
                var moved = movedAt.Contains(b.LocationId) || known.Moved;
                latest[key] = known.Load is { } k && k.Sequence >= m.Sequence
                    ? (k, moved)
                    : (new ProductLoad(b.LocationId, m.Product.ProductId, m.Sequence, b.QuantityOnHand, weight, volume), moved);
            }
        }
        foreach (var warehouse in latest.GroupBy(l => l.Key.WarehouseId, StringComparer.Ordinal))
            foreach (var chunk in warehouse.Select(l => l.Value).Chunk(store.Limits.MaxWritesPerCommit))
                await FollowChunkAsync(warehouse.Key, chunk, ct);
    }

    private async Task FollowChunkAsync(string warehouseId, (ProductLoad Load, bool Moved)[] positions, CancellationToken ct)
    {
        try
        {
            await concurrency.RunAsync(warehouseId, _ => CommitChunkAsync(warehouseId, positions, ct), ct);
        }
        catch (ConcurrencyExhaustedException)
        {
            // Advisory data: after MaxAttempts lost races give up rather than fail the movement that was committed.
        }
    }

    /// <summary>
    /// Writes each position newer than the stored one that changes it. A location the movement itself changed gets its
    /// watermark advanced even when the quantity came back to what was stored (a position delayed from between the two
    /// could otherwise replace it).
    /// </summary>
    private async Task CommitChunkAsync(string warehouseId, (ProductLoad Load, bool Moved)[] positions, CancellationToken ct)
    {
        var docs = (await store.ReadAsync(Collection.Warehouses, warehouseId, positions.Select(p => Id(p.Load.LocationId, p.Load.ProductId)).ToArray(), [], ct))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        var writes = new List<DocumentWrite>();
        foreach (var (load, moved) in positions)
        {
            var id = Id(load.LocationId, load.ProductId);
            if (!docs.TryGetValue(id, out var doc))
            {
                if (moved || load.QuantityOnHand != 0) writes.Add(new DocumentWrite.Create(id, DocumentJson.Write(load)));
                continue;
            }
            var stored = DocumentJson.Read<ProductLoad>(doc.Body);
            if (stored.Sequence < load.Sequence && (moved || stored with { Sequence = load.Sequence } != load))
                writes.Add(new DocumentWrite.Replace(id, DocumentJson.Write(load), doc.ETag));
        }
        if (writes.Count > 0) await store.CommitAsync(Collection.Warehouses, warehouseId, writes, ct);
    }
}
