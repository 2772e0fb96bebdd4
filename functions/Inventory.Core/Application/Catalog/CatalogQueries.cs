using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

public sealed record WarehouseView(Warehouse Warehouse, IReadOnlyList<Location> Locations);

/// <summary>Catalog reads: products, warehouses with their locations, and a location by its id alone.</summary>
public sealed class CatalogQueries(IDocumentStore store)
{
    private readonly ProductPartitions products = new(store);
    private readonly WarehouseDocuments warehouses = new(store);

    public async Task<Product> GetProductAsync(string productId, CancellationToken ct = default)
    {
        new Guard().Id("productId", productId).ThrowIfAny();
        return await products.ProductAsync(productId, ct) ?? throw new ProductNotFoundException(productId);
    }

    /// <summary>The product that holds a SKU, or null. A stale claim (its product moved to another SKU) counts as none.</summary>
    public async Task<Product?> FindProductBySkuAsync(string sku, CancellationToken ct = default)
    {
        new Guard().Text("sku", sku, Limits.MaxSkuLength).ThrowIfAny();
        var claim = await new SkuClaims(store).FindAsync(sku, ct);
        if (claim is null) return null;
        var product = await products.ProductAsync(claim.ProductId, ct);
        return product?.Sku == sku ? product : null;
    }

    public async Task<WarehouseView> GetWarehouseAsync(string warehouseId, CancellationToken ct = default)
    {
        new Guard().Id("warehouseId", warehouseId).ThrowIfAny();
        var (warehouse, locations) = await warehouses.WithLocationsAsync(warehouseId, ct) ?? throw new WarehouseNotFoundException(warehouseId);
        return new WarehouseView(warehouse, locations);
    }

    /// <summary>Two point reads: the location index names the warehouse, whose partition holds the location itself.</summary>
    public async Task<Location> GetLocationAsync(string locationId, CancellationToken ct = default)
    {
        var warehouseId = await warehouses.OwnerOfAsync(locationId, ct) ?? throw new LocationNotFoundException(locationId);
        return await warehouses.LocationAsync(warehouseId, locationId, ct) ?? throw new LocationNotFoundException(locationId);
    }
}

/// <summary>Location ids are unique across warehouses; this entry says which warehouse owns one. It never changes.</summary>
public sealed record LocationIndexEntry(string LocationId, string WarehouseId);

/// <summary>
/// The claim that reserves a SKU for one product: valid while that product carries the SKU, or while it is young
/// (<see cref="SkuClaims.StaleAfter"/>: the product's save may still be writing it). <see cref="TakenAt"/>: when its save
/// took it; null on claims written before it was recorded, which count as old.
/// </summary>
public sealed record SkuClaim(string Sku, string ProductId, DateTimeOffset? TakenAt = null);
