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
        await new StockScenario(here).WarehouseAsync("W1");
        // A unit is 1,000 cm3: BULK holds two, OVF takes anything.
        await here.SaveLocation.ExecuteAsync(new Location { LocationId = "BULK", WarehouseId = "W1", Type = LocationType.Bulk, MaxVolumeCubicCm = 2_000 });
        await here.SaveLocation.ExecuteAsync(new Location { LocationId = "OVF", WarehouseId = "W1", Type = LocationType.Overflow });
        await here.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "A", Name = "a", UnitWeightGrams = 100, Dimensions = new(100, 100, 100) });
        foreach (var po in new[] { "PO1", "PO2", "PO3" })
        {
            await here.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand(po, "S1", "W1", new DateOnly(2026, 12, 9), [new OrderLine("A", 1)]));
            await here.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Send);
            await here.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Confirm);
        }
        Assert.Equal("BULK", (await here.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R1", "W1", "dock", [new("A", 1)]))).Lines.Single().LocationId);

        var message = new ReceiptMessage("PO2", "R2", "W1", "dock", [new("A", 1)]);
        var elsewhere = new InventoryApplication(store, clock);
        store.Dead = true; // the other instance accepts the receipt (BULK) and dies before its line
        await Assert.ThrowsAsync<StoreFaultException>(() => elsewhere.ReceivePurchaseOrder.ExecuteAsync(message));
        store.Dead = false;
        var redelivered = await here.ReceivePurchaseOrder.ExecuteAsync(message);
        Assert.Equal("BULK", redelivered.Lines.Single().LocationId);

        var third = await here.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO3", "R3", "W1", "dock", [new("A", 1)]));

        var at = (await here.Stock.GetStockAsync("A")).Locations.ToDictionary(l => l.LocationId, l => l.QuantityOnHand);
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
