using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: <c>BalanceTypeCopies.FollowAsync</c> compares the type read after the commit with the type of the
/// location the movement read (<c>location.Type</c>), not with the type its balance holds. A movement that lost to a
/// retype's pass wrote the old type back, and then its read of the type failed (a 503): the client sends the same
/// adjustment again, as it should, and that retry replays. It read the location anew (the new type), so it finds nothing
/// to follow, and the balance keeps the old type for good: the retype's pass is over and its marker gone, so saving the
/// location again with the same type runs no pass either. Fixed: the check compares with the type the operation record
/// says was committed, which a replay returns.
/// </summary>
public class AMovementRetriedAfterItsTypeCheckFailedLeavesTheLocationsFinalTypeTests
{
    /// <summary>Fails the next read of a location's type and retype marker, once armed.</summary>
    private sealed class FailTypeReadOnce(IDocumentStore inner) : DelegatingStore(inner)
    {
        public volatile bool Armed;

        public override Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            if (Armed && collection == Collection.Warehouses && ids.Any(i => i.StartsWith("retype|", StringComparison.Ordinal)))
            {
                Armed = false;
                throw new StoreUnavailableException("in-memory store", "the read of the location's type timed out");
            }
            return base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        }
    }

    [Fact]
    public async Task An_adjustment_sent_again_after_a_503_brings_its_balance_to_the_locations_type()
    {
        var faulty = new FailTypeReadOnce(new InMemoryDocumentStore());
        var gate = new GateFirstCommit(faulty, Collection.Products, "P");
        var s = StockScenario.Over(gate);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "A", LocationType.PickFace);
        var other = StockScenario.Over(faulty);
        await other.ProductAsync("P");
        await other.StockAsync("P", "A", 10);

        var command = new AdjustCommand("P", "A", 1, null, "found", "adj-1");
        var adjusting = s.App.Adjust.ExecuteAsync(command);
        await gate.Reached.Task; // the adjustment read A as a pick face and is about to commit
        await other.LocationAsync("W1", "A", LocationType.Overflow); // the retype's pass commits P's balance at A, and ends
        faulty.Armed = true; // the adjustment's read of A's type after its commit fails
        gate.Release.SetResult();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => adjusting);

        // The client sends the same adjustment again: it replays.
        Assert.True((await s.App.Adjust.ExecuteAsync(command)).Replayed);

        var balance = (await s.App.Stock.GetStockAsync("P")).Locations.Single(l => l.LocationId == "A");
        Assert.Equal(11, balance.QuantityOnHand);
        Assert.Equal("Overflow", balance.LocationType);
    }
}
