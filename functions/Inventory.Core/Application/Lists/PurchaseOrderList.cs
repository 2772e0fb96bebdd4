using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Lists;

/// <summary>Filters of the purchase-order list; null means any. <c>ProductId</c>: orders with a line of that product.</summary>
public sealed record PurchaseOrderFilter(PurchaseOrderStatus? Status = null, string? SupplierId = null, string? ProductId = null);

/// <summary>Purchase orders by status, supplier or product, in poId order.</summary>
public sealed class PurchaseOrderList(IDocumentStore store)
{
    public async Task<ListPage<PurchaseOrder>> ListAsync(PurchaseOrderFilter filter, int pageSize = ListScan.DefaultPageSize, string? token = null,
        CancellationToken ct = default)
    {
        var guard = new Guard().OptionalId("supplierId", filter.SupplierId).OptionalId("productId", filter.ProductId);
        ListScan.CheckPageSize(guard, pageSize);
        guard.ThrowIfAny();
        return await ListScan.PagesAsync<PurchaseOrder, PurchaseOrder>(
            async (size, t) => await PurchaseOrderBook.PageAsync(store, size, t, ct), pageSize, token, (po, _) =>
        {
            var keep = (filter.Status is not { } s || po.Status == s) && (filter.SupplierId is null || po.SupplierId == filter.SupplierId)
                && (filter.ProductId is null || po.Lines.Any(l => l.ProductId == filter.ProductId));
            return Task.FromResult(keep ? po : null);
        }, ct);
    }
}
