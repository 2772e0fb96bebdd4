using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

public sealed record WarehouseView(Warehouse Warehouse, IReadOnlyList<Location> Locations);

/// <summary>Catalog reads: products, warehouses with their locations, and a location by its id alone.</summary>
public sealed class CatalogQueries(IDocumentStore store)
{
    public async Task<Product> GetProductAsync(string productId, CancellationToken ct = default)
    {
        new Guard().Id("productId", productId).ThrowIfAny();
        var docs = await store.ReadAsync(Collection.Products, productId, [DocumentIds.Product], [], ct);
        return docs.Count == 0 ? throw new ProductNotFoundException(productId) : DocumentJson.Read<Product>(docs[0].Body);
    }

    /// <summary>The product that holds a SKU, or null. A stale claim (its product moved to another SKU) counts as none.</summary>
    public async Task<Product?> FindProductBySkuAsync(string sku, CancellationToken ct = default)
    {
        new Guard().Text("sku", sku, Limits.MaxSkuLength).ThrowIfAny();
        var claim = await store.ReadAsync(Collection.Skus, sku, [DocumentIds.SkuClaim], [], ct);
        if (claim.Count == 0) return null;
        var productId = DocumentJson.Read<SkuClaim>(claim[0].Body).ProductId;
        var docs = await store.ReadAsync(Collection.Products, productId, [DocumentIds.Product], [], ct);
        var product = docs.Count == 0 ? null : DocumentJson.Read<Product>(docs[0].Body);
        return product?.Sku == sku ? product : null;
    }

    public async Task<WarehouseView> GetWarehouseAsync(string warehouseId, CancellationToken ct = default)
    {
        new Guard().Id("warehouseId", warehouseId).ThrowIfAny();
        var docs = await store.ReadAsync(Collection.Warehouses, warehouseId, [DocumentIds.Warehouse], [DocumentIds.LocationPrefix], ct);
        var warehouse = docs.FirstOrDefault(d => d.Id == DocumentIds.Warehouse) ?? throw new WarehouseNotFoundException(warehouseId);
        var locations = docs.Where(d => d.Id.StartsWith(DocumentIds.LocationPrefix, StringComparison.Ordinal))
            .Select(d => DocumentJson.Read<Location>(d.Body)).OrderBy(l => l.LocationId, StringComparer.Ordinal).ToArray();
        return new WarehouseView(DocumentJson.Read<Warehouse>(warehouse.Body), locations);
    }

    /// <summary>Two point reads: the location index names the warehouse, whose partition holds the location itself.</summary>
    public async Task<Location> GetLocationAsync(string locationId, CancellationToken ct = default)
    {
        var index = await store.ReadAsync(Collection.Locations, locationId, [DocumentIds.LocationIndex], [], ct);
        if (index.Count == 0) throw new LocationNotFoundException(locationId);
        var warehouseId = DocumentJson.Read<LocationIndexEntry>(index[0].Body).WarehouseId;
        var docs = await store.ReadAsync(Collection.Warehouses, warehouseId, [DocumentIds.Location(locationId)], [], ct);
        return docs.Count == 0 ? throw new LocationNotFoundException(locationId) : DocumentJson.Read<Location>(docs[0].Body);
    }
}

/// <summary>Location ids are unique across warehouses; this entry says which warehouse owns one. It never changes.</summary>
public sealed record LocationIndexEntry(string LocationId, string WarehouseId);

/// <summary>The claim that reserves a SKU for one product; valid while that product still carries the SKU.</summary>
public sealed record SkuClaim(string Sku, string ProductId);
