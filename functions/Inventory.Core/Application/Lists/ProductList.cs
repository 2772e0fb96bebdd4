using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Lists;

/// <summary>Filters of the product list; null means any. <c>LowStock</c>: available at or below the reorder point.</summary>
public sealed record ProductFilter(string? Sku = null, string? CategoryId = null, bool? IsActive = null, bool LowStock = false);

/// <summary>A product in a list, with its stock over every location.</summary>
public sealed record ProductSummary(string ProductId, string Sku, string Name, string? CategoryId, bool IsActive, long ReorderPoint,
    long ReorderQuantity, long QuantityOnHand, long QuantityReserved, long QuantityAvailable);

/// <summary>Products by SKU (one point read through the SKU claim), category, active flag or low stock, in product id order.</summary>
public sealed class ProductList(IDocumentStore store)
{
    public async Task<ListPage<ProductSummary>> ListAsync(ProductFilter filter, int pageSize = ListScan.DefaultPageSize, string? token = null,
        CancellationToken ct = default)
    {
        var guard = new Guard();
        ListScan.CheckPageSize(guard, pageSize);
        if (filter.Sku is not null) guard.Text("sku", filter.Sku, Limits.MaxSkuLength);
        guard.OptionalId("categoryId", filter.CategoryId).ThrowIfAny();

        if (filter.Sku is not null)
        {
            var found = await new Catalog.CatalogQueries(store).FindProductBySkuAsync(filter.Sku, ct);
            var item = found is null ? null : await SelectAsync(found, filter, ct);
            return new ListPage<ProductSummary>(item is null ? [] : [item], null);
        }
        return await ListScan.AcrossPartitionsAsync(store, Collection.Products, DocumentIds.Product, pageSize, token,
            (d, c) => SelectAsync(DocumentJson.Read<Product>(d.Document.Body), filter, c), ct);
    }

    private async Task<ProductSummary?> SelectAsync(Product p, ProductFilter filter, CancellationToken ct)
    {
        if (filter.CategoryId is not null && p.CategoryId != filter.CategoryId) return null;
        if (filter.IsActive is { } active && p.IsActive != active) return null;
        var balances = (await store.ReadAsync(Collection.Products, p.ProductId, [], [DocumentIds.BalancePrefix], ct))
            .Select(d => DocumentJson.Read<StockBalance>(d.Body)).ToArray();
        long onHand = balances.Sum(b => b.QuantityOnHand), reserved = balances.Sum(b => b.QuantityReserved);
        if (filter.LowStock && onHand - reserved > p.ReorderPoint) return null;
        return new ProductSummary(p.ProductId, p.Sku, p.Name, p.CategoryId, p.IsActive, p.ReorderPoint, p.ReorderQuantity, onHand, reserved, onHand - reserved);
    }
}
