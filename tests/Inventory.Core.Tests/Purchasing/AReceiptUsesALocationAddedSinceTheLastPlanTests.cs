using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review: <c>PutAwayPlans</c> keeps each warehouse's planner for 30 s (MaxAge) and never rebuilds it when a
/// location is saved, nor before refusing. A receipt that arrives after an operator added room (here: the OVERFLOW
/// location the warehouse lacked) is checked against the cached planner that does not know it, refused as
/// <c>invalid-state</c> ("no OVERFLOW location") and quarantined as poison, although the warehouse now has room for it:
/// a valid message ends in the quarantine and needs an operator to replay it. Deterministic: the clock does not move.
/// </summary>
public class AReceiptUsesALocationAddedSinceTheLastPlanTests
{
    [Fact]
    public async Task A_receipt_after_an_overflow_location_was_added_is_put_there_not_refused()
    {
        var store = new InMemoryDocumentStore();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(store, clock);
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        // One pick face with room for exactly one unit (1,000 cm3), no overflow yet.
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "PICK", WarehouseId = "W1", Type = LocationType.PickFace, MaxVolumeCubicCm = 1_000 });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "A", Name = "a", UnitWeightGrams = 100, Dimensions = new(100, 100, 100) });
        await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO1", "S1", "W1", new DateOnly(2026, 12, 1), [new OrderLine("A", 2)]));
        await app.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Send);
        await app.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Confirm);

        var first = await app.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R1", "W1", "dock", [new("A", 1)]));
        Assert.Equal("PICK", first.Lines.Single().LocationId); // the pick face is now full

        // The operator adds an overflow location; the next unit arrives.
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "OVF", WarehouseId = "W1", Type = LocationType.Overflow });
        var second = await Record.ExceptionAsync(() => app.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R2", "W1", "dock", [new("A", 1)])));

        Assert.Null(second); // refused: "invalid-state ... no OVERFLOW location" (a poison message) while OVF exists
        var po = await app.PurchaseOrders.GetAsync("PO1");
        Assert.Equal(PurchaseOrderStatus.Received, po.Status);
        Assert.Contains((await app.Stock.GetStockAsync("A")).Locations, l => l.LocationId == "OVF" && l.QuantityOnHand == 1);
    }
}
