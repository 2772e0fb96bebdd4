using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

/// <summary>
/// Keeps a balance's copy of its location's type (what allocation reads, <see cref="StockBalance.LocationType"/>) from
/// going stale when a movement races a retype. A movement copies the type of the location it read before committing; a
/// retype saved meanwhile either reached the product first (the movement's commit lost to it and was decided again with
/// the old type) or listed the partitions at the location before the movement's balance was there. Either way only a
/// read of the type after the commit can tell, so a movement reads it once per location it wrote and, when it differs,
/// brings the balance to it as <see cref="SaveLocation"/> does: until the type read after a commit is the one committed.
/// </summary>
public sealed class BalanceTypeCopies(IDocumentStore store, StockCommitter committer)
{
    private readonly WarehouseDocuments warehouses = new(store);

    /// <summary>The location's type as stored now (null: the location is gone).</summary>
    public async Task<LocationType?> TypeOfAsync(Location location, CancellationToken ct) =>
        (await warehouses.TypeAndRetypeAsync(location.WarehouseId, location.LocationId, ct)).Type;

    /// <summary>After a commit to <paramref name="partition"/> that copied the type of each of <paramref name="copied"/> into its balance there.</summary>
    public async Task FollowAsync(string partition, IEnumerable<Location> copied, CancellationToken ct)
    {
        foreach (var location in copied.DistinctBy(l => l.LocationId))
            if (await TypeOfAsync(location, ct) is { } now && now != location.Type) await CatchUpAsync(partition, location, now, ct);
    }

    /// <summary>Brings the balance at <paramref name="copied"/> in <paramref name="partition"/> from the type copied to <paramref name="now"/>, read after that commit.</summary>
    public async Task CatchUpAsync(string partition, Location copied, LocationType now, CancellationToken ct)
    {
        var written = copied.Type;
        while (now != written)
        {
            var type = now;
            await committer.RunAsync(partition, StockRead.BalancesOnly, s => s.Retype(copied.LocationId, type), ct);
            written = type;
            now = await TypeOfAsync(copied, ct) ?? written;
        }
    }
}
