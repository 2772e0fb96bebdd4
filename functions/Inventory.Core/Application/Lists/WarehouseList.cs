using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Lists;

/// <summary>Every warehouse, in warehouse id order (its locations: GET one warehouse).</summary>
public sealed class WarehouseList(IDocumentStore store)
{
    public async Task<ListPage<Warehouse>> ListAsync(int pageSize = ListScan.DefaultPageSize, string? token = null, CancellationToken ct = default)
    {
        var guard = new Guard();
        ListScan.CheckPageSize(guard, pageSize);
        guard.ThrowIfAny();
        var warehouses = new WarehouseDocuments(store);
        return await ListScan.PagesAsync<Warehouse, Warehouse>(async (size, t) => await warehouses.PageAsync(size, t, ct), pageSize, token,
            (w, _) => Task.FromResult<Warehouse?>(w), ct);
    }
}
