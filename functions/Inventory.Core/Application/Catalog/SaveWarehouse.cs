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

/// <summary>Creates or replaces a location. A location id belongs to one warehouse for good; moving it is refused.</summary>
public sealed class SaveLocation(IDocumentStore store)
{
    public async Task<SaveResult<Location>> ExecuteAsync(Location location, CancellationToken ct = default)
    {
        new Guard().Id("warehouseId", location.WarehouseId).Id("locationId", location.LocationId)
            .Text("aisle", location.Aisle, 32, required: false).Text("bay", location.Bay, 32, required: false)
            .Text("level", location.Level, 32, required: false).Text("bin", location.Bin, 32, required: false)
            .That(Enum.IsDefined(location.Type), "type", "must be PICK_FACE, BULK or OVERFLOW")
            .NonNegative("maxWeightKg", location.MaxWeightKg, 1_000_000m)
            .NonNegative("maxVolumeCubicCm", location.MaxVolumeCubicCm, 1_000_000_000_000m)
            .ThrowIfAny();
        var warehouses = new WarehouseDocuments(store);
        if (!await warehouses.ExistsAsync(location.WarehouseId, ct))
            throw new WarehouseNotFoundException(location.WarehouseId);

        var owner = await warehouses.ClaimLocationAsync(location.LocationId, location.WarehouseId, ct);
        if (owner != location.WarehouseId)
            throw new ValidationException("locationId", $"'{location.LocationId}' already belongs to warehouse '{owner}'");
        return new SaveResult<Location>(location, await warehouses.SaveLocationAsync(location, ct));
    }
}
