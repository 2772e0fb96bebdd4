using Inventory.Application.Catalog;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// The warehouses module: a warehouse's partition of the Warehouses collection (<c>warehouse</c>, <c>loc|{locationId}</c>,
/// <c>retype|{locationId}</c> while a location's balances follow its new type, and the loads kept by
/// <see cref="Purchasing.LocationLoads"/>) and the location index (collection Locations, one partition per location id,
/// document <c>location</c>: which warehouse owns it). Every id of these documents is here.
/// </summary>
public sealed class WarehouseDocuments(IDocumentStore store)
{
    internal const string WarehouseId = "warehouse";
    internal const string LocationPrefix = "loc|";
    internal const string LocationIndexId = "location";
    private const string RetypePrefix = "retype|";

    internal static string LocationId(string locationId) => LocationPrefix + locationId;
    private static string RetypeId(string locationId) => RetypePrefix + locationId;

    public async Task<Warehouse?> WarehouseAsync(string warehouseId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Warehouses, warehouseId, [WarehouseId], [], ct);
        return docs.Count == 0 ? null : DocumentJson.Read<Warehouse>(docs[0].Body);
    }

    /// <summary>Whether the warehouse exists (no JSON read).</summary>
    public async Task<bool> ExistsAsync(string warehouseId, CancellationToken ct) =>
        (await store.ReadAsync(Collection.Warehouses, warehouseId, [WarehouseId], [], ct)).Count > 0;

    /// <summary>Whether the warehouse and the location in its partition exist, in one read.</summary>
    public async Task<(bool Warehouse, bool Location)> ExistAsync(string warehouseId, string locationId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Warehouses, warehouseId, [WarehouseId, LocationId(locationId)], [], ct);
        return (docs.Any(d => d.Id == WarehouseId), docs.Any(d => d.Id == LocationId(locationId)));
    }

    /// <summary>The warehouse and its locations in location id order, in one read; null when there is no warehouse.</summary>
    public async Task<(Warehouse Warehouse, IReadOnlyList<Location> Locations)?> WithLocationsAsync(string warehouseId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Warehouses, warehouseId, [WarehouseId], [LocationPrefix], ct);
        if (docs.FirstOrDefault(d => d.Id == WarehouseId) is not { } warehouse) return null;
        var locations = docs.Where(d => d.Id.StartsWith(LocationPrefix, StringComparison.Ordinal))
            .Select(d => DocumentJson.Read<Location>(d.Body)).OrderBy(l => l.LocationId, StringComparer.Ordinal).ToArray();
        return (DocumentJson.Read<Warehouse>(warehouse.Body), locations);
    }

    /// <summary>Creates or replaces the warehouse (unconditioned); true when it did not exist.</summary>
    public async Task<bool> SaveAsync(Warehouse warehouse, CancellationToken ct)
    {
        var existing = await store.ReadAsync(Collection.Warehouses, warehouse.WarehouseId, [WarehouseId], [], ct);
        await store.CommitAsync(Collection.Warehouses, warehouse.WarehouseId,
            [new DocumentWrite.Upsert(WarehouseId, DocumentJson.Write(warehouse)) { Type = "warehouse" }], ct);
        return existing.Count == 0;
    }

    /// <summary>A page of every warehouse, in warehouse id order (a cross-partition query).</summary>
    public async Task<(IReadOnlyList<Warehouse> Warehouses, string? ContinuationToken)> PageAsync(int pageSize, string? token, CancellationToken ct)
    {
        var page = await store.QueryAcrossPartitionsAsync(Collection.Warehouses, WarehouseId, pageSize, token, ct);
        return (page.Documents.Select(d => DocumentJson.Read<Warehouse>(d.Document.Body)).ToArray(), page.ContinuationToken);
    }

    public async Task<Location?> LocationAsync(string warehouseId, string locationId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Warehouses, warehouseId, [LocationId(locationId)], [], ct);
        return docs.Count == 0 ? null : DocumentJson.Read<Location>(docs[0].Body);
    }

    /// <summary>
    /// Creates or replaces the location in its warehouse's partition (unconditioned). <c>Created</c>: it did not exist.
    /// <c>Retyped</c>: balances there owe it its type: its type changed (a retype marker is written with it, in the same
    /// commit), or the marker of an earlier change is still there (that save stopped before its balances followed).
    /// </summary>
    public async Task<(bool Created, bool Retyped)> SaveLocationAsync(Location location, CancellationToken ct)
    {
        var (id, marker) = (LocationId(location.LocationId), RetypeId(location.LocationId));
        var existing = await store.ReadAsync(Collection.Warehouses, location.WarehouseId, [id, marker], [], ct);
        var before = existing.FirstOrDefault(d => d.Id == id) is { } stored ? DocumentJson.Read<Location>(stored.Body) : null;
        var retyped = before is not null && before.Type != location.Type;
        List<DocumentWrite> writes = [new DocumentWrite.Upsert(id, DocumentJson.Write(location)) { Type = "location" }];
        if (retyped) writes.Add(new DocumentWrite.Upsert(marker, DocumentJson.Write(new LocationRetype(location.LocationId, location.Type))) { Type = "locationRetype" });
        await store.CommitAsync(Collection.Warehouses, location.WarehouseId, writes, ct);
        return (before is null, retyped || existing.Any(d => d.Id == marker));
    }

    /// <summary>The location's type and the ETag of its retype marker (null: none), in one read.</summary>
    public async Task<(LocationType? Type, string? Retype)> TypeAndRetypeAsync(string warehouseId, string locationId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Warehouses, warehouseId, [LocationId(locationId), RetypeId(locationId)], [], ct);
        return (docs.FirstOrDefault(d => d.Id == LocationId(locationId)) is { } l ? DocumentJson.Read<Location>(l.Body).Type : null,
            docs.FirstOrDefault(d => d.Id == RetypeId(locationId))?.ETag);
    }

    /// <summary>Drops the retype marker if it is still as read: one written since is a later retype's, which its save ends.</summary>
    public Task<bool> EndRetypeAsync(string warehouseId, string locationId, string etag, CancellationToken ct) =>
        OptimisticConcurrency.TryCommitAsync(store, Collection.Warehouses, warehouseId, [new DocumentWrite.Delete(RetypeId(locationId), etag)], ct);

    /// <summary>Binds the location id to the warehouse for good (must not exist); returns the warehouse that owns it, this one or an earlier one.</summary>
    public async Task<string> ClaimLocationAsync(string locationId, string warehouseId, CancellationToken ct)
    {
        var index = DocumentJson.Write(new LocationIndexEntry(locationId, warehouseId));
        if (await OptimisticConcurrency.CreateOnceAsync(store, Collection.Locations, locationId,
                [new DocumentWrite.Create(LocationIndexId, index) { Type = "locationIndex" }], ct))
            return warehouseId;
        return (await OwnerOfAsync(locationId, ct))!;
    }

    /// <summary>The warehouse that owns the location, from the location index; null when the location is unknown.</summary>
    public async Task<string?> OwnerOfAsync(string locationId, CancellationToken ct)
    {
        var index = await store.ReadAsync(Collection.Locations, locationId, [LocationIndexId], [], ct);
        return index.Count == 0 ? null : DocumentJson.Read<LocationIndexEntry>(index[0].Body).WarehouseId;
    }

    /// <summary>The warehouse's locations and the loads on them, in one read: what put-away plans from.</summary>
    public async Task<(IReadOnlyList<Location> Locations, IReadOnlyList<LocationLoad> Loads)> LocationsAndLoadsAsync(string warehouseId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Warehouses, warehouseId, [], [LocationPrefix, Purchasing.LocationLoads.Prefix], ct);
        var locations = docs.Where(d => d.Id.StartsWith(LocationPrefix, StringComparison.Ordinal)).Select(d => DocumentJson.Read<Location>(d.Body)).ToArray();
        return (locations, Purchasing.LocationLoads.Sum(docs.Where(d => d.Id.StartsWith(Purchasing.LocationLoads.Prefix, StringComparison.Ordinal))));
    }

    /// <summary>A read of location documents only (an index entry, or locations in a warehouse's partition): what never changes.</summary>
    internal static bool IsLocationRead(Collection collection, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> idPrefixes) =>
        idPrefixes.Count == 0 && (collection == Collection.Locations
            || (collection == Collection.Warehouses && ids.All(i => i.StartsWith(LocationPrefix, StringComparison.Ordinal))));
}

/// <summary>A location's marker while the balances there follow its new type (what it was changed to, for operators).</summary>
internal sealed record LocationRetype(string LocationId, LocationType Type);
