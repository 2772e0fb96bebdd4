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
        var (warehouse, location) = await new WarehouseDocuments(store).ExistAsync(warehouseId, locationId, ct);
        if (!warehouse) throw new WarehouseNotFoundException(warehouseId);
        if (!location) throw new LocationNotFoundException(locationId);
        return await ListScan.PagesAsync<string, LocationStockItem>(
            async (size, t) => await products.ProductsAtPageAsync(locationId, size, t, ct), pageSize, token,
            (productId, c) => ItemAsync(productId, locationId, c), ct);
    }

    private readonly ProductPartitions products = new(store);

    private async Task<LocationStockItem?> ItemAsync(string productId, string locationId, CancellationToken ct)
    {
        var (product, balance) = await products.BalanceAtAsync(productId, locationId, ct);
        return balance is { } b
            ? new LocationStockItem(productId, product?.Sku, product?.Name, b.QuantityOnHand, b.QuantityReserved, b.QuantityAvailable, b.LastCountedAt, b.LastMovedAt)
            : null;
    }
}
