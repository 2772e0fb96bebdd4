using Inventory.Application.Orders;
using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// Found in review: the reorder trigger runs inside the fulfilment, after each product's SHIP (<c>AfterStockCommit</c>
/// → <c>ReorderTrigger</c> → <c>ReorderProduct.AfterDropAsync</c> → <c>PurchaseOrderSending.SendAsync</c>), and nothing
/// catches a publish failure. While Service Bus is unavailable, fulfilling an order whose first product crosses its
/// reorder point ships that product, then throws before the next product is shipped; every retry replays the first
/// product's step, runs the trigger again, fails on the publish again, and never reaches the second product. A
/// replenishment side-effect (whose DRAFT order the next trigger or the nightly scan would send anyway) blocks the
/// order's shipment and answers the caller with a failure for a half-applied fulfilment.
/// </summary>
public class AShipmentIsNotHeldUpByAReorderThatCannotBePublishedTests
{
    [Fact]
    public async Task Fulfilling_an_order_ships_every_product_while_the_purchase_orders_queue_is_down()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(new InMemoryDocumentStore(), clock)
        {
            ReplenishmentOptions = new ReplenishmentOptions { DefaultWarehouseId = "W1" },
            Publisher = new Down(),
        };
        var r = new ReplenishmentScenario { App = app, Clock = clock };
        await new StockScenario(app).WarehouseAsync("W1");
        await new StockScenario(app).LocationAsync("W1", "L1");
        await r.ProductAsync("A", stock: 12, reorderPoint: 10);            // replenishes itself; shipping 5 crosses its reorder point
        await r.ProductAsync("B", stock: 10, reorderPoint: 0, auto: false);

        await app.Reserve.ExecuteAsync(new ReserveCommand("ORD-1", [new("A", 5), new("B", 5)]));
        var first = await Record.ExceptionAsync(() => app.Fulfill.ExecuteAsync(new ReservationChangeCommand("ORD-1")));
        var retry = await Record.ExceptionAsync(() => app.Fulfill.ExecuteAsync(new ReservationChangeCommand("ORD-1")));

        var a = await app.Stock.GetStockAsync("A");
        var b = await app.Stock.GetStockAsync("B");
        Assert.True(first is null && retry is null,
            $"fulfilment failed on the reorder's publish: first: {first?.GetType().Name} {first?.Message}; retry: {retry?.GetType().Name} {retry?.Message}"
            + $" (A on hand {a.QuantityOnHand}, B on hand {b.QuantityOnHand})");
        Assert.Equal((7L, 5L), (a.QuantityOnHand, b.QuantityOnHand));
    }

    /// <summary>Service Bus unavailable: every publish fails.</summary>
    private sealed class Down : IPurchaseOrderPublisher
    {
        public Task PublishAsync(PurchaseOrder order, CancellationToken ct = default) =>
            throw new TimeoutException("Service Bus did not answer");
    }
}
