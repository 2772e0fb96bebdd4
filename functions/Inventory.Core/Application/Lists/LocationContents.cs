using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Lists;

/// <summary>One product's stock at a location.</summary>
public sealed record LocationStockItem(string ProductId, string? Sku, string? Name, long QuantityOnHand, long QuantityReserved, long QuantityAvailable,
    DateTimeOffset? LastCountedAt, DateTimeOffset? LastMovedAt);

/// <summary>
/// What is in a location (the first step of a cycle count): every product holding a balance there, in product id order,
/// including balances moved down to zero. Balances live in their products' partitions, so this is a cross-partition query.
/// </summary>
public sealed class LocationContents(IDocumentStore store)
{
    public async Task<ListPage<LocationStockItem>> ListAsync(string warehouseId, string locationId, int pageSize = ListScan.DefaultPageSize,
        string? token = null, CancellationToken ct = default)
    {
        var guard = new Guard().Id("warehouseId", warehouseId).Id("locationId", locationId);
        ListScan.CheckPageSize(guard, pageSize);
        guard.ThrowIfAny();
        var docs = await store.ReadAsync(Collection.Warehouses, warehouseId, [DocumentIds.Warehouse, DocumentIds.Location(locationId)], [], ct);
        if (docs.All(d => d.Id != DocumentIds.Warehouse)) throw new WarehouseNotFoundException(warehouseId);
        if (docs.All(d => d.Id != DocumentIds.Location(locationId))) throw new LocationNotFoundException(locationId);
        return await ListScan.AcrossPartitionsAsync(store, Collection.Products, DocumentIds.Balance(locationId), pageSize, token, ItemAsync, ct);
    }

    private async Task<LocationStockItem?> ItemAsync(PartitionDocument d, CancellationToken ct)
    {
        var b = DocumentJson.Read<StockBalance>(d.Document.Body);
        var product = (await store.ReadAsync(Collection.Products, d.Partition, [DocumentIds.Product], [], ct)).Select(p => DocumentJson.Read<Product>(p.Body)).FirstOrDefault();
        return new LocationStockItem(d.Partition, product?.Sku, product?.Name, b.QuantityOnHand, b.QuantityReserved, b.QuantityAvailable, b.LastCountedAt, b.LastMovedAt);
    }
}
