using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

/// <summary>
/// Keeps a balance's copy of its location's type (what allocation reads, <see cref="StockBalance.LocationType"/>) from
/// going stale when a movement races a retype. A movement copies the type of the location it read before committing; a
/// retype saved meanwhile either reached the product first (the movement's commit lost to it and was decided again with
/// the old type) or listed the partitions at the location before the movement's balance was there. Either way only a
/// read of the type after the commit can tell, so a movement reads it once per location it wrote and, when it differs
/// from the type its operation record says was committed (the original commit's, on a replay: a retry after this read
/// failed still finds it), brings the balance to it as <see cref="SaveLocation"/> does: until the type read after a
/// commit is the one committed.
/// </summary>
public sealed class BalanceTypeCopies(IDocumentStore store, StockCommitter committer)
{
    private readonly WarehouseDocuments warehouses = new(store);

    /// <summary>The location's type as stored now (null: the location is gone).</summary>
    public async Task<LocationType?> TypeOfAsync(string warehouseId, string locationId, CancellationToken ct) =>
        (await warehouses.TypeAndRetypeAsync(warehouseId, locationId, ct)).Type;

    /// <summary>After a commit to <paramref name="partition"/> of <paramref name="committed"/> (an operation record's balances after).</summary>
    public async Task FollowAsync(string partition, IEnumerable<StockBalance> committed, CancellationToken ct)
    {
        foreach (var balance in committed.DistinctBy(b => b.LocationId))
            if (await TypeOfAsync(balance.WarehouseId, balance.LocationId, ct) is { } now && now != balance.LocationType)
                await CatchUpAsync(partition, balance, now, ct);
    }

    /// <summary>Brings the balance <paramref name="committed"/> in <paramref name="partition"/> to <paramref name="now"/>, read after that commit.</summary>
    public async Task CatchUpAsync(string partition, StockBalance committed, LocationType now, CancellationToken ct)
    {
        var written = committed.LocationType;
        while (now != written)
        {
            var type = now;
            await committer.RunAsync(partition, StockRead.BalancesOnly, s => s.Retype(committed.LocationId, type, committer.Partitions.Clock.GetUtcNow()), ct);
            written = type;
            now = await TypeOfAsync(committed.WarehouseId, committed.LocationId, ct) ?? written;
        }
    }
}
