using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

/// <summary>
/// Creates or replaces a location. A location id belongs to one warehouse for good; moving it is refused. A new type
/// is carried to the balances there (each holds a copy, so a reservation allocates with no read outside its product's
/// partition): the location is written with a retype marker, then every partition holding a balance there (products
/// and their escrow buckets, found through the location's <c>bal|</c> entries) is committed with the new type, then the
/// marker is dropped. A save that stops before leaves the marker, and the next save of the location (its retry) goes on.
/// </summary>
public sealed class SaveLocation(IDocumentStore store, StockCommitter committer)
{
    private const int PageSize = 100;
    private readonly WarehouseDocuments warehouses = new(store);

    public async Task<SaveResult<Location>> ExecuteAsync(Location location, CancellationToken ct = default)
    {
        new Guard().Id("warehouseId", location.WarehouseId).Id("locationId", location.LocationId)
            .Text("aisle", location.Aisle, 32, required: false).Text("bay", location.Bay, 32, required: false)
            .Text("level", location.Level, 32, required: false).Text("bin", location.Bin, 32, required: false)
            .That(Enum.IsDefined(location.Type), "type", "must be PICK_FACE, BULK or OVERFLOW")
            .NonNegative("maxWeightKg", location.MaxWeightKg, 1_000_000m)
            .NonNegative("maxVolumeCubicCm", location.MaxVolumeCubicCm, 1_000_000_000_000m)
            .ThrowIfAny();
        if (!await warehouses.ExistsAsync(location.WarehouseId, ct))
            throw new WarehouseNotFoundException(location.WarehouseId);

        var owner = await warehouses.ClaimLocationAsync(location.LocationId, location.WarehouseId, ct);
        if (owner != location.WarehouseId)
            throw new ValidationException("locationId", $"'{location.LocationId}' already belongs to warehouse '{owner}'");
        var (created, retyped) = await warehouses.SaveLocationAsync(location, ct);
        if (retyped) await FollowTypeAsync(location, ct);
        return new SaveResult<Location>(location, created);
    }

    /// <summary>
    /// Brings the balances at the location to its stored type, until a pass is bracketed by two equal reads of the type
    /// and the marker: a retype saved meanwhile, racing this pass, is then followed again, so the last pass any save
    /// makes is of the type current when it ends. Then drops the marker it read (a newer one is its own save's).
    /// </summary>
    private async Task FollowTypeAsync(Location location, CancellationToken ct)
    {
        var seen = await warehouses.TypeAndRetypeAsync(location.WarehouseId, location.LocationId, ct);
        while (true)
        {
            await RetypeBalancesAsync(location.LocationId, seen.Type ?? location.Type, ct);
            var now = await warehouses.TypeAndRetypeAsync(location.WarehouseId, location.LocationId, ct);
            if (now == seen) break;
            seen = now;
        }
        if (seen.Retype is { } etag) await warehouses.EndRetypeAsync(location.WarehouseId, location.LocationId, etag, ct);
    }

    private async Task RetypeBalancesAsync(string locationId, LocationType type, CancellationToken ct)
    {
        string? token = null;
        do
        {
            var (partitions, next) = await committer.Partitions.PartitionsAtPageAsync(locationId, PageSize, token, ct);
            foreach (var partition in partitions)
                await committer.RunAsync(partition, StockRead.BalancesOnly, s => s.Retype(locationId, type, committer.Partitions.Clock.GetUtcNow()), ct);
            token = next;
        } while (token is not null);
    }
}
