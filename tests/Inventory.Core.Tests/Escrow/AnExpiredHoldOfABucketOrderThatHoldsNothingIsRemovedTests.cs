using Inventory.Application.Orders;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review (order lifecycle): a one-product order with a hold, claimed in an escrow bucket that is not made yet,
/// whose claimant answers 503 (or dies) before it makes the bucket, holds nothing: docs/architecture.md (one-product
/// orders): "Hold expiry treats a header with no state as settled and releases whatever the product holds (nothing, for a
/// PENDING one: its entry is removed)". Here the sweep's release runs in the bucket's partition
/// (<c>order.StockOf</c>), which does not exist: <see cref="ExpireHolds"/> meets <c>product-not-found</c> for <c>P~1</c>,
/// counts the hold failed and keeps its entry (and its day's marker), and does so on every run for ever, until someone
/// retries that reservation. A fix: in <c>ExpireHolds.ReleaseAsync</c>, a partition that does not exist holds nothing
/// for the order (as a missing reservation does): released nothing, entry removed.
/// </summary>
public class AnExpiredHoldOfABucketOrderThatHoldsNothingIsRemovedTests
{
    /// <summary>Every commit that would make bucket 1's partition fails as the store being unavailable.</summary>
    private sealed class BucketUnavailable(IDocumentStore inner) : DelegatingStore(inner)
    {
        public override Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            collection == Collection.Products && partition == EscrowWorld.Bucket(1).Partition
                ? throw new StoreUnavailableException("test", "The store is unavailable (test).")
                : base.CommitAsync(collection, partition, writes, cancellationToken);
    }

    [Fact]
    public async Task The_sweep_removes_the_expired_hold_of_a_bucket_order_that_was_never_reserved()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
        var claimant = EscrowWorld.Over(new BucketUnavailable(world.Memory), 1, clock);
        await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            claimant.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)], HoldMinutes: 10)));
        Assert.Equal(1, (await claimant.Orders.FindAsync("O1", CancellationToken.None))!.Bucket); // claimed in bucket 1, holding nothing

        clock.Advance(TimeSpan.FromMinutes(11));
        var sweeper = EscrowWorld.Over(world.Memory, 2, clock);
        var first = await sweeper.ExpireHolds.ExecuteAsync();
        var second = await sweeper.ExpireHolds.ExecuteAsync();

        Assert.True((first.Failed, second.HoldsDue) == (0, 0),
            $"the expired hold of O1 (nothing held) was counted failed {first.Failed} time(s) and is still due on the next run ({second.HoldsDue} due, {second.Failed} failed)");
    }
}
