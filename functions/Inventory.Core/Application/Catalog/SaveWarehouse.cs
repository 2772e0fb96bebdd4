using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

/// <summary>Creates or replaces a warehouse (its locations are kept).</summary>
public sealed class SaveWarehouse(IDocumentStore store)
{
    public async Task<SaveResult<Warehouse>> ExecuteAsync(Warehouse warehouse, CancellationToken ct = default)
    {
        new Guard().Id("warehouseId", warehouse.WarehouseId)
            .Text("name", warehouse.Name, Limits.MaxNameLength)
            .That(IsTimeZone(warehouse.Timezone), "timezone", "must be an IANA time zone id such as Europe/Paris")
            .NonNegative("capacityCubicMeters", warehouse.CapacityCubicMeters, 100_000_000m)
            .Text("address.line1", warehouse.Address?.Line1, Limits.MaxNameLength, required: false)
            .Text("address.city", warehouse.Address?.City, Limits.MaxNameLength, required: false)
            .Text("address.postalCode", warehouse.Address?.PostalCode, 32, required: false)
            .Text("address.country", warehouse.Address?.Country, 64, required: false)
            .ThrowIfAny();
        return new SaveResult<Warehouse>(warehouse, await new WarehouseDocuments(store).SaveAsync(warehouse, ct));
    }

    private static bool IsTimeZone(string? id) => !string.IsNullOrEmpty(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
