using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review: a count or a decrease of a product in escrow gathers its buckets' free units first
/// (<c>AdjustStock</c>, the fix of <see cref="EscrowForcedCountTests"/>), through <c>EscrowBuckets.GatherAsync</c>, which
/// shares one gathering among the requests of an instance asking for the same buckets at once. A count that arrives
/// while a gathering started earlier (an order short of units) is still under way joins it: that gathering may have
/// passed a bucket before the bucket was granted units, so the count is decided with them still held for the bucket.
/// Forced below them, it leaves the bucket selling units that the count found missing (oversold), while the stock view
/// shows the product as the count left it. Its own gathering, started after the count began, would have taken them
/// back; a grant landing after that stays the narrow window the docs name.
/// </summary>
public class ACountOfAProductInEscrowGathersWhatABucketWasGrantedBeforeItTests
{
    /// <summary>Signals the first read of the product's head once armed (the count's look at the product's buckets).</summary>
    private sealed class HeadReads(IDocumentStore inner) : DelegatingStore(inner)
    {
        public bool Armed { get; set; }
        public TaskCompletionSource Read { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            var read = base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
            if (Armed && collection == Collection.Products && partition == EscrowWorld.Product && ids.Contains(Inventory.Application.ProductPartitionIds.Head)) Read.TrySetResult();
            return read;
        }
    }

    [Fact]
    public async Task A_forced_count_arriving_during_an_earlier_gathering_leaves_no_bucket_units_to_oversell()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O2", [new(EscrowWorld.Product, 1)])); // bucket 2: granted 25, 24 free

        // Instance G: an order short of units gathers buckets 1 and 2; bucket 1 is not made yet, and the return of
        // bucket 2's free units stalls at its first write.
        var stalling = new StallingStore(world.Store, EscrowWorld.Bucket(2).Partition, livesOn: true);
        var reads = new HeadReads(stalling);
        var g = EscrowWorld.Over(reads, 3);
        var gathering = g.Escrow.GatherAsync(EscrowWorld.Product, [1, 2], CancellationToken.None);
        await stalling.Stalled.Task;

        // Meanwhile bucket 1's first order: its first grant (an equal share of the 75 left: 18), 17 of them free.
        await world.Instance(1).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 1)]));
        Assert.Equal((18, 1), await world.StockOfAsync("P~1"));

        // Then a cycle count on G finds 5 units at L1 (forced): it gathers first.
        reads.Armed = true;
        var counting = g.Adjust.ExecuteAsync(new AdjustCommand(EscrowWorld.Product, "L1", null, 5, "count", "count-1", Force: true));
        Assert.True(reads.Read.Task.IsCompleted, "the count looked at the product's buckets while the earlier gathering is under way");
        stalling.Release.SetResult();
        await counting;
        await gathering;

        // 5 units exist, O1 and O2 hold 2 of them: 3 are left to sell, and an order of 4 cannot be served.
        var view = await world.Instance(1).Stock.GetStockAsync(EscrowWorld.Product);
        Assert.Equal((5, 3), (view.QuantityOnHand, view.QuantityAvailable));
        var oversold = await Record.ExceptionAsync(() => world.Instance(1).Reserve.ExecuteAsync(new ReserveCommand("O3", [new(EscrowWorld.Product, 4)])));
        Assert.True(oversold is Inventory.Domain.InsufficientStockException,
            $"an order of 4 was reserved in bucket 1 after a count left 3 units unreserved (bucket 1 holds {(await world.StockOfAsync("P~1")).OnHand} on hand, the product {(await world.StockOfAsync("P")).OnHand}): {oversold?.GetType().Name ?? "reserved"}");
    }
}
