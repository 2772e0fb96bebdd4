using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// A receipt accepted on one instance, which died before applying its line, is finished by another (the queue's
/// redelivery, or recovery). The line was placed by the first instance's planner; the cached planner of the instance
/// that applies it never counted it, and skipped every purchase-order line as "placed by itself": the next line was
/// planned into the room it took, beyond the location's capacity, until the cache's next rebuild.
/// </summary>
public class ALineAppliedOnAnotherInstanceIsTakenIntoThePlannerTests
{
    [Fact]
    public async Task A_line_placed_on_a_dead_instance_and_applied_here_does_not_leave_its_room_free()
    {
        var store = new DeadProductCommits(new InMemoryDocumentStore());
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var here = new InventoryApplication(store, clock);
        await TwoUnitBulk.ArrangeAsync(here, ("PO1", 1), ("PO2", 1), ("PO3", 1));
        Assert.Equal("BULK", (await here.ReceivePurchaseOrder.ExecuteAsync(TwoUnitBulk.OneUnit("PO1", "R1"))).Lines.Single().LocationId);

        var message = TwoUnitBulk.OneUnit("PO2", "R2");
        var elsewhere = new InventoryApplication(store, clock);
        store.Dead = true; // the other instance accepts the receipt (BULK) and dies before its line
        await Assert.ThrowsAsync<StoreFaultException>(() => elsewhere.ReceivePurchaseOrder.ExecuteAsync(message));
        store.Dead = false;
        var redelivered = await here.ReceivePurchaseOrder.ExecuteAsync(message);
        Assert.Equal("BULK", redelivered.Lines.Single().LocationId);

        var third = await here.ReceivePurchaseOrder.ExecuteAsync(TwoUnitBulk.OneUnit("PO3", "R3"));

        var at = await TwoUnitBulk.OnHandAsync(here);
        Assert.Equal(2, at["BULK"]); // not 3 units in a location holding 2
        Assert.Equal("OVF", third.Lines.Single().LocationId);
    }

    /// <summary>While <see cref="Dead"/>, a commit to a product's partition crashes its instance before it is applied.</summary>
    private sealed class DeadProductCommits(IDocumentStore inner) : DelegatingStore(inner)
    {
        public bool Dead { get; set; }

        public override Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            Dead && collection == Collection.Products
                ? throw new StoreFaultException(1, FaultSide.BeforeApplying, collection, partition)
                : base.CommitAsync(collection, partition, writes, cancellationToken);
    }
}
