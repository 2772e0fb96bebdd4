using Inventory.Application.Catalog;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Lists;

/// <summary>Filters of the product list; null means any. <c>LowStock</c>: available at or below the reorder point.</summary>
public sealed record ProductFilter(string? Sku = null, string? CategoryId = null, bool? IsActive = null, bool LowStock = false);

/// <summary>A product in a list, with its stock over every location.</summary>
public sealed record ProductSummary(string ProductId, string Sku, string Name, string? CategoryId, bool IsActive, long ReorderPoint,
    long ReorderQuantity, long QuantityOnHand, long QuantityReserved, long QuantityAvailable);

/// <summary>
/// Products by SKU (one point read through the SKU claim), or by category, active flag and low stock through the
/// catalogue index: the filters are applied on the index rows, and only a row that passes them (or a pending row, whose
/// save may not have reached the product yet) costs one read of its product's partition (product and balances, never the
/// ledger), which is the truth the item is built from. A row without a product (a save that has not written it, or died
/// before) is skipped. Items come bucket by bucket, in id order within a bucket.
/// </summary>
public sealed class ProductList(IDocumentStore store, CatalogIndex index)
{
    public async Task<ListPage<ProductSummary>> ListAsync(ProductFilter filter, int pageSize = ListScan.DefaultPageSize, string? token = null,
        CancellationToken ct = default)
    {
        var guard = new Guard();
        ListScan.CheckPageSize(guard, pageSize);
        if (filter.Sku is not null)
        {
            guard.Text("sku", filter.Sku, Limits.MaxSkuLength);
            guard.That(token is null, "continuationToken", "is not a token this service issued (a lookup by sku answers one page)");
        }
        guard.OptionalId("categoryId", filter.CategoryId).ThrowIfAny();

        if (filter.Sku is not null)
        {
            var found = await new CatalogQueries(store).FindProductBySkuAsync(filter.Sku, ct);
            var item = found is null ? null : await SelectAsync(found.ProductId, filter, ct);
            return new ListPage<ProductSummary>(item is null ? [] : [item], null);
        }
        return await ListScan.ThroughCatalogAsync(index, pageSize, token,
            (row, c) => row.Entry.Pending || Passes(row.Entry.CategoryId, row.Entry.IsActive, filter)
                ? SelectAsync(row.Entry.ProductId, filter, c) : Task.FromResult<ProductSummary?>(null), ct);
    }

    private static bool Passes(string? categoryId, bool isActive, ProductFilter filter) =>
        (filter.CategoryId is null || categoryId == filter.CategoryId) && (filter.IsActive is not { } active || isActive == active);

    /// <summary>One read of the product's partition: the product and its balances.</summary>
    private async Task<ProductSummary?> SelectAsync(string productId, ProductFilter filter, CancellationToken ct)
    {
        if (await new ProductPartitions(store).StockAsync(productId, ct) is not { } stock) return null;
        var (p, balances) = stock;
        if (!Passes(p.CategoryId, p.IsActive, filter)) return null;
        long onHand = balances.Sum(b => b.QuantityOnHand), reserved = balances.Sum(b => b.QuantityReserved);
        if (filter.LowStock && onHand - reserved > p.ReorderPoint) return null;
        return new ProductSummary(p.ProductId, p.Sku, p.Name, p.CategoryId, p.IsActive, p.ReorderPoint, p.ReorderQuantity, onHand, reserved, onHand - reserved);
    }
}
