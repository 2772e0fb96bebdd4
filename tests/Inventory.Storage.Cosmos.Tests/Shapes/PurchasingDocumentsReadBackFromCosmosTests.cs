using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;

namespace Inventory.Storage.Cosmos.Tests.Shapes;

/// <summary>
/// Purchase orders (created, sent, confirmed, an event, received into stock), the nightly replenishment run with its
/// checkpoints and the orders it raises, the outbox, and quarantined messages, each through the Cosmos item mapping.
/// </summary>
public class PurchasingDocumentsReadBackFromCosmosTests
{
    [Fact]
    public async Task A_purchase_order_created_sent_confirmed_and_received_writes_only_shapes_Cosmos_keeps()
    {
        var world = await ShapeWorld.CreateAsync();
        var app = world.App;

        await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO-2026-0001", "SUP-1", "W1", new DateOnly(2026, 3, 20),
            [new OrderLine(ShapeWorld.A, 30), new OrderLine(ShapeWorld.B, 12)]));
        await app.ChangePurchaseOrderStatus.ExecuteAsync("PO-2026-0001", PurchaseOrderAction.Send);
        await app.HandlePurchaseOrderEvent.ExecuteAsync(new PurchaseOrderEvent("evt-1", "PO-2026-0001", PurchaseOrderEventType.Confirmed, ShapeWorld.Start));
        await app.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO-2026-0001", "rcpt-1", "W1", "dock-7",
            [new(ShapeWorld.A, 20), new(ShapeWorld.B, 12, ShapeWorld.Bulk)]));
        await app.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO-2026-0001", "rcpt-2", "W1", "dock-7", [new(ShapeWorld.A, 10)]));
        // One created without an id of its own, and one cancelled.
        var (unnamed, _) = await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand(null, "SUP-2", "W1", new DateOnly(2026, 4, 1),
            [new OrderLine(ShapeWorld.B, 5)]));
        await app.ChangePurchaseOrderStatus.ExecuteAsync(unnamed.PoId, PurchaseOrderAction.Cancel);

        world.Store.AssertNoProblems();
        Assert.True(world.Writes(Collection.PurchaseOrders).Count >= 4);
    }

    [Fact]
    public async Task A_replenishment_run_and_the_orders_it_raises_write_only_shapes_Cosmos_keeps()
    {
        var world = await ShapeWorld.CreateAsync(stockA: 5);
        var app = world.App;
        await app.SaveProduct.ExecuteAsync(ShapeWorld.Product(ShapeWorld.A, autoReplenish: true, reorderPoint: 10));
        await app.SaveProduct.ExecuteAsync(ShapeWorld.Product(ShapeWorld.B, autoReplenish: true, reorderPoint: 10));
        await app.SaveProduct.ExecuteAsync(ShapeWorld.Product("C-never-stocked", autoReplenish: true, reorderPoint: 1));
        // A shipment that takes B below its point triggers a reorder after the commit, besides the nightly scan.
        await app.Reserve.ExecuteAsync(new ReserveCommand("ORD-5005", [new(ShapeWorld.B, 35)]));
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("ORD-5005"));

        var run = await app.ReplenishmentScan.ExecuteAsync();
        await app.Outbox.ListAsync();

        Assert.True(run.Scanned >= 3);
        world.Store.AssertNoProblems();
        Assert.NotEmpty(world.Writes(Collection.Runs));
        Assert.NotEmpty(world.Writes(Collection.PurchaseOrders));
    }

    [Fact]
    public async Task Quarantined_messages_write_only_shapes_Cosmos_keeps()
    {
        var world = await ShapeWorld.CreateAsync();
        var quarantine = world.App.Quarantine;

        await quarantine.PutAsync("receipts", "m-1", "malformed-json", "Unexpected '<' at 0", """{"poId":"PO-1","lines":[{"q":1e400}],"note":"<é & ü> 🍫"}""", 3);
        await quarantine.PutAsync("purchase-order-events", "not a/safe#id?", "invalid-transition", "Cancelled → Sent", "{\"type\":\"sent\"}", 1);
        await quarantine.PutAsync("receipts", "m-big", "too-large", "Body too large", new string('x', 100_000) + "\u0001\t\"", 10);

        world.Store.AssertNoProblems();
        Assert.Equal(3, world.Writes(Collection.Quarantine).Count);
    }
}
