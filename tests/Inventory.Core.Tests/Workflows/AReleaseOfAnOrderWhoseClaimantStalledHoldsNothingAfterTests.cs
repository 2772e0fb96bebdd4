using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (2026-12-02, after <see cref="AReleaseWhileAOneProductOrderIsStillBeingReservedAsksToRetryTests"/>):
/// the claimant of a one-product order read the product, then stalled before its commit past its exclusive time
/// (<see cref="OrderClaim.OthersFrom"/>). A release of the order (a cancel: every line) found no reservation and was
/// answered 404 <c>reservation-not-found</c>, writing nothing, so nothing stopped the claimant's late commit: its
/// reservation landed after and the units stayed held for good, though the caller (or Shopify's orders/cancelled) was told
/// the order holds nothing. The release now closes the order where its reservation would land (released, nothing
/// allocated, the head replaced, as the hold sweep fences an expired hold): the claimant loses its commit, finds the order
/// closed and holds nothing. The cases: the product's own partition, a bucket made, a bucket not made yet.
/// </summary>
public class AReleaseOfAnOrderWhoseClaimantStalledHoldsNothingAfterTests
{
    private const string OrderId = "O1";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    public enum Where { Product, Bucket, BucketNotMadeYet }

    [Theory]
    [InlineData(Where.Product)]
    [InlineData(Where.Bucket)]
    [InlineData(Where.BucketNotMadeYet)]
    public async Task A_release_after_the_claimants_exclusive_time_leaves_nothing_held_by_its_late_commit(Where where)
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var clock = new ManualClock(Now);
        var inEscrow = where is not Where.Product;
        InventoryApplication Over(IDocumentStore store, int bucket) =>
            inEscrow ? EscrowWorld.Over(store, bucket, clock) : new InventoryApplication(store, clock);
        if (where is Where.Bucket) await Over(world.Memory, 1).Reserve.ExecuteAsync(new ReserveCommand("O0", [new(EscrowWorld.Product, 20)])); // bucket 1 made
        var order = new ReserveCommand(OrderId, [new(EscrowWorld.Product, 3)]);

        // The claimant claims O1 and is held at its first commit where the order is reserved (in a bucket not made yet:
        // the bucket's making), past its exclusive time and the skew.
        var gate = new GateFirstCommit(world.Memory, Collection.Products, inEscrow ? EscrowWorld.Bucket(1).Partition : EscrowWorld.Product);
        var claimant = Task.Run(() => Over(gate, 1).Reserve.ExecuteAsync(order));
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(10));

        // The caller cancels the order (every line), then the claimant goes on.
        var later = Over(world.Memory, 2);
        var cancel = new ReservationChangeCommand(OrderId, Reference: "cancel-1");
        var released = await StalledClaimant.Answer(() => later.Release.ExecuteAsync(cancel));
        gate.Release.SetResult();
        var reserved = await StalledClaimant.Answer(async () => (await claimant).Reservation);

        var view = await later.Orders.ViewAsync(OrderId, default);
        Assert.True(view.Lines.All(l => l.Remaining == 0) && view.Status == OrderReservationStatus.Released,
            $"{OrderId} was cancelled (answered {released}), yet afterwards it holds "
            + string.Join(", ", view.Lines.Select(l => $"{l.ProductId}: {l.Remaining}")) + $" ({view.Status}); its claimant was answered {reserved}");
        await new StockScenario(later).AssertBooksBalanceAsync(EscrowWorld.Product);
        if (inEscrow) await world.AssertEscrowBalancesAsync();

        // The cancel closed an order holding nothing: released, its line nothing-held; the claimant was answered as the
        // order stands; a replay of either answers the same.
        Assert.Equal("Released P:nothing-held 3/0/0", released);
        Assert.Equal("Released 3/0/0", reserved);
        Assert.Equal(released, await StalledClaimant.Answer(() => Over(world.Memory, 3).Release.ExecuteAsync(cancel)));
        Assert.Equal(reserved, await StalledClaimant.Answer(async () => (await Over(world.Memory, 3).Reserve.ExecuteAsync(order)).Reservation));
        Assert.Empty(await later.Orders.OpenIntentsAsync(OrderId, default));
    }

    [Fact]
    public async Task A_release_of_an_order_never_claimed_is_still_not_found_and_writes_nothing()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var commits = world.Memory.Commits;
        await Assert.ThrowsAsync<ReservationNotFoundException>(() =>
            new InventoryApplication(world.Memory).Release.ExecuteAsync(new ReservationChangeCommand("O-never", Reference: "cancel-1")));
        Assert.Equal(commits, world.Memory.Commits);
    }
}
