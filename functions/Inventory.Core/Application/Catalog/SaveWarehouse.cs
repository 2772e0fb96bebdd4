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
        var existing = await store.ReadAsync(Collection.Warehouses, warehouse.WarehouseId, [DocumentIds.Warehouse], [], ct);
        await store.CommitAsync(Collection.Warehouses, warehouse.WarehouseId, [new DocumentWrite.Upsert(DocumentIds.Warehouse, DocumentJson.Write(warehouse))], ct);
        return new SaveResult<Warehouse>(warehouse, existing.Count == 0);
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
        if ((await store.ReadAsync(Collection.Warehouses, location.WarehouseId, [DocumentIds.Warehouse], [], ct)).Count == 0)
            throw new WarehouseNotFoundException(location.WarehouseId);

        var index = DocumentJson.Write(new LocationIndexEntry(location.LocationId, location.WarehouseId));
        if (!await OptimisticConcurrency.CreateOnceAsync(store, Collection.Locations, location.LocationId,
                [new DocumentWrite.Create(DocumentIds.LocationIndex, index)], ct))
        {
            var owner = DocumentJson.Read<LocationIndexEntry>((await store.ReadAsync(Collection.Locations, location.LocationId, [DocumentIds.LocationIndex], [], ct))[0].Body);
            if (owner.WarehouseId != location.WarehouseId)
                throw new ValidationException("locationId", $"'{location.LocationId}' already belongs to warehouse '{owner.WarehouseId}'");
        }
        var id = DocumentIds.Location(location.LocationId);
        var existing = await store.ReadAsync(Collection.Warehouses, location.WarehouseId, [id], [], ct);
        await store.CommitAsync(Collection.Warehouses, location.WarehouseId, [new DocumentWrite.Upsert(id, DocumentJson.Write(location))], ct);
        return new SaveResult<Location>(location, existing.Count == 0);
    }
}
