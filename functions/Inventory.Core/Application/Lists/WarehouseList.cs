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
        return await ListScan.AcrossPartitionsAsync(store, Collection.Warehouses, DocumentIds.Warehouse, pageSize, token,
            (d, _) => Task.FromResult<Warehouse?>(DocumentJson.Read<Warehouse>(d.Document.Body)), ct);
    }
}
